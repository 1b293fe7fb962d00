import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/main.js';
import { conversationOf } from './helpers/webchat.js';
import { ChatClient } from './helpers/ws-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' });
});
afterAll(async () => app?.close());

describe('GET /metrics', () => {
  it('counts messages, triage, handoffs and the queue, with no text or ids in any label', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'хочу покончить с собой' });
    await c.waitFor((f) => f.type === 'queue');
    c.close();
    const res = await app.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toMatch(/helpline_messages_in_total\{channel="webchat",kind="text"\} [1-9]/);
    expect(body).toMatch(/helpline_messages_out_total\{channel="webchat"\} [1-9]/);
    expect(body).toMatch(/helpline_handoffs_total\{risk="(high|imminent)"\} 1/);
    expect(body).toMatch(/helpline_queue_length\{risk="(high|imminent)"\} 1/);
    expect(body).toMatch(/helpline_triage_total\{risk="(high|imminent)",topic="suicide"\} 1/);
    expect(body).toContain('helpline_classifier_seconds_bucket');
    expect(body).toContain('helpline_store_up 1');
    expect(body).not.toContain(String(session.id));
    expect(body).not.toContain(String(await conversationOf(app, String(session.id))));
    expect(body).not.toContain('покончить');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('asks for the bearer token', async () => {
    const guarded = await startApp({ PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR, METRICS_TOKEN: 'operator-token-0123456789' });
    try {
      expect((await guarded.app.inject({ url: '/metrics' })).statusCode).toBe(401);
      const ok = await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer operator-token-0123456789' } });
      expect(ok.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
