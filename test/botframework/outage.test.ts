// Nothing acknowledged is lost on the Bot Framework channel either: with Redis down the child
// gets the numbers, and the activity is answered 503 so the Bot Connector sends it again; once
// Redis is back the redelivery is stored, once. On 5813c3a it was answered 200 and lost.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatKeyOf } from '../../src/channels/botframework/activity.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { TestRedis } from '../helpers/redis-server.js';
import { startConnectorStandIn, type ConnectorStandIn } from './connector-stand-in.js';

let redis: TestRedis;
let app: RunningApp;
let connector: ConnectorStandIn;
beforeAll(async () => {
  redis = await TestRedis.create(true);
  connector = await startConnectorStandIn();
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', BOTFRAMEWORK_LOCAL: '1', REDIS_URL: redis.url, REDIS_PREFIX: 'bf-outage' });
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
  await redis?.stop();
});

describe('Bot Framework during a Redis outage', () => {
  it('answers 503 to what it could not store, gives the numbers, and stores the redelivery once', async () => {
    const conversation = { id: `conv-${randomUUID()}` };
    const activity = {
      type: 'message',
      id: 'act-crisis',
      channelId: 'emulator',
      serviceUrl: connector.url,
      conversation,
      from: { id: 'user-1' },
      recipient: { id: 'bot-1' },
      locale: 'ru-RU',
      text: 'я больше не хочу жить',
    };
    const post = () => fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await redis.stop();
    const down = await post();
    expect(down.status).toBe(503);
    const got = () => connector.received.filter((r) => decodeURIComponent(r.conversationId ?? '') === conversation.id).map((r) => String(r.body.text ?? ''));
    expect(got().some((t) => t.includes('8-800-2000-122') && t.includes('112'))).toBe(true);
    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${app.url}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('did not recover');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const id = (await app.store.findChat('botframework', chatKeyOf({ channelId: 'emulator', conversation } as never)))!;
    const said = (await app.store.getTranscript(id)).filter((e) => e.from === 'child').map((e) => e.text);
    expect(said).toEqual(['я больше не хочу жить']);
  });
});
