import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { TestRedis } from '../helpers/redis-server.js';
import { conversationOf } from '../helpers/webchat.js';
import { ChatClient } from '../helpers/ws-client.js';
import { BotApiStandIn } from '../telegram/bot-api-stand-in.js';
import { newChild, textUpdate } from '../telegram/updates.js';

let redis: TestRedis;
let app: RunningApp;

beforeAll(async () => {
  redis = await TestRedis.create();
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, REDIS_PREFIX: 'outage', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' });
});
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

describe('Redis outage', () => {
  it('a child still gets the numbers within 2 s, health turns 503, and it recovers by itself', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'привет' });
    await c.waitFor((f) => f.type === 'message' && !f.welcome);
    expect((await app.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    await redis.stop();
    const from = c.frames.length;
    const sentAt = Date.now();
    c.send({ type: 'message', text: 'я больше не хочу жить' });
    const reply = await c.waitFor((f) => f.type === 'message' && !f.welcome, 2000, from);
    expect(Date.now() - sentAt).toBeLessThan(2000);
    expect(reply.text).toContain('8-800-2000-122');
    expect(reply.text).toContain('112');
    const health = await app.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json().reasons[0]).toMatch(/^store unavailable/);

    await redis.start();
    // Recovery without a restart: health returns, and messages are stored again.
    const deadline = Date.now() + 10_000;
    while ((await app.app.inject({ url: '/healthz' })).statusCode !== 200) {
      if (Date.now() > deadline) throw new Error('did not recover');
      await new Promise((r) => setTimeout(r, 100));
    }
    const c2 = await ChatClient.connect(app.url);
    const s2 = await c2.waitFor((f) => f.type === 'session');
    c2.send({ type: 'message', text: 'привет' });
    await c2.waitFor((f) => f.type === 'message' && !f.welcome);
    expect((await app.store.getTranscript((await conversationOf(app, String(s2.id)))!)).length).toBeGreaterThanOrEqual(2);
    expect(s2.id).not.toBe(session.id); // a new browser, a new secret
    c.close();
    c2.close();
  });
});

describe('Redis outage on the Telegram webhook', () => {
  it('the child gets the numbers, Telegram gets 500, and the redelivery after recovery is processed once', async () => {
    const redis2 = await TestRedis.create();
    const token = '77:outage-token';
    const api = await BotApiStandIn.start({ token });
    const tg = await startApp({
      PORT: '0',
      LOG_LEVEL: 'silent',
      REDIS_URL: redis2.url,
      REDIS_PREFIX: 'tg-outage',
      RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR,
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: api.url,
      TELEGRAM_WEBHOOK_URL: 'https://helpline.example/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'outage-secret',
    });
    try {
      const child = newChild('ru');
      const update = { update_id: 9_001, ...textUpdate(child, 'я больше не хочу жить') };
      const post = () =>
        tg.app.inject({
          method: 'POST',
          url: '/telegram/webhook',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'outage-secret' },
          payload: JSON.stringify(update),
        });
      await redis2.stop();
      const started = Date.now();
      const refused = await post();
      expect(refused.statusCode).toBe(500);
      const fallback = await api.waitFor(() => api.sentTo(child.chatId)[0], 2000, 'the fallback reply');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(fallback.text).toContain('8-800-2000-122');
      expect(fallback.text).toContain('112');

      await redis2.start();
      const deadline = Date.now() + 10_000;
      while ((await tg.app.inject({ url: '/healthz' })).statusCode !== 200) {
        if (Date.now() > deadline) throw new Error('did not recover');
        await new Promise((r) => setTimeout(r, 100));
      }
      const before = api.sentTo(child.chatId).length;
      expect((await post()).statusCode).toBe(200);
      expect((await post()).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      const id = await tg.store.findChat('telegram', String(child.chatId));
      const transcript = await tg.store.getTranscript(id!);
      expect(transcript.filter((e) => e.from === 'child')).toHaveLength(1);
      expect(['high', 'imminent']).toContain((await tg.store.getConversation(id!))!.risk);
      expect(api.sentTo(child.chatId).length).toBeGreaterThan(before);
    } finally {
      await tg.close();
      await api.close();
      await redis2.stop();
    }
  });
});
