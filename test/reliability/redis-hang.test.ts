// A Redis that hangs (SIGSTOP: connections stay open, nothing answers) instead of refusing:
// every store call gives up after REDIS_COMMAND_TIMEOUT_MS, a child in crisis still gets the
// numbers within 2 s, /healthz says 503 within 2 s, and everything recovers when Redis does.
// On 5813c3a the reply came after 9.6 s and /healthz hung.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { TestRedis } from '../helpers/redis-server.js';
import { conversationOf } from '../helpers/webchat.js';
import { ChatClient } from '../helpers/ws-client.js';

let redis: TestRedis;
let app: RunningApp;

beforeAll(async () => {
  redis = await TestRedis.create();
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, REDIS_PREFIX: 'hang', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' });
});
afterAll(async () => {
  redis?.resume();
  await app?.close();
  await redis?.stop();
});

describe('Redis hangs', () => {
  it('a crisis message gets the numbers within 2 s, health answers 503 within 2 s, and both recover', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'привет', id: 'm1' });
    await c.waitFor((f) => f.type === 'ack' && f.id === 'm1');

    redis.pause();
    try {
      const from = c.frames.length;
      const sentAt = Date.now();
      c.send({ type: 'message', text: 'я больше не хочу жить', id: 'm2' });
      const reply = await c.waitFor((f) => f.type === 'message', 2000, from);
      expect(Date.now() - sentAt).toBeLessThan(2000);
      expect(reply.text).toContain('8-800-2000-122');
      expect(reply.text).toContain('112');

      const askedAt = Date.now();
      const health = await fetch(`${app.url}/healthz`);
      expect(Date.now() - askedAt).toBeLessThan(2500);
      expect(health.status).toBe(503);
    } finally {
      redis.resume();
    }

    const deadline = Date.now() + 10_000;
    while ((await fetch(`${app.url}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('did not recover');
      await new Promise((r) => setTimeout(r, 100));
    }
    // A frame after the unstored one is refused too (to be resent after it), so the order holds.
    let from = c.frames.length;
    c.send({ type: 'message', text: 'и ещё', id: 'm3' });
    const held = await c.waitFor((f) => f.type === 'error' && f.id === 'm3', 3000, from);
    expect(held.retry).toBe(true);
    // The page resends what was not stored, in order; now it is stored and answered.
    from = c.frames.length;
    c.send({ type: 'message', text: 'я больше не хочу жить', id: 'm2' });
    c.send({ type: 'message', text: 'и ещё', id: 'm3' });
    await c.waitFor((f) => f.type === 'ack' && f.id === 'm3' && !f.duplicate, 5000, from);
    await c.waitFor((f) => f.type === 'ack' && f.id === 'm2' && !f.duplicate, 5000, from);
    const id = (await conversationOf(app, String(session.id)))!;
    const transcript = await app.store.getTranscript(id);
    expect(transcript.filter((e) => e.from === 'child' && e.text === 'я больше не хочу жить')).toHaveLength(1);
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text).slice(-2)).toEqual(['я больше не хочу жить', 'и ещё']);
    expect((await app.store.getConversation(id))!.state).toBe('queued');
  });
});
