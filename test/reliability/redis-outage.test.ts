import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { TestRedis } from '../helpers/redis-server.js';
import { ChatClient } from '../helpers/ws-client.js';

let redis: TestRedis;
let app: RunningApp;

beforeAll(async () => {
  redis = await TestRedis.create();
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, REDIS_PREFIX: 'outage', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' });
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
    await c.waitFor((f) => f.type === 'message');
    expect((await app.app.inject({ url: '/healthz' })).statusCode).toBe(200);

    await redis.stop();
    const from = c.frames.length;
    const sentAt = Date.now();
    c.send({ type: 'message', text: 'я больше не хочу жить' });
    const reply = await c.waitFor((f) => f.type === 'message', 2000, from);
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
    await c2.waitFor((f) => f.type === 'message' && String(f.text).includes('анонимно'));
    expect((await app.store.getTranscript(String(s2.id))).length).toBeGreaterThanOrEqual(2);
    expect(s2.id).not.toBe(session.id); // the old data was in a Redis without persistence
    c.close();
    c2.close();
  });
});
