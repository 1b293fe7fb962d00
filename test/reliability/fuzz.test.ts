// Bad input at every door: thousands of random and malformed bodies. Never a 5xx, never a crash,
// memory flat afterwards; oversized bodies refused before parsing.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { ChatClient } from '../helpers/ws-client.js';
import { BotApiStandIn } from '../telegram/bot-api-stand-in.js';

// A real garbage collection before each memory reading, so that "flat" means no leak, not luck.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const TOKEN = '42:fuzz-token';
const SECRET = 'fuzz-secret';
const ADMIN_PASSWORD = 'fuzz-admin-password';
let api: BotApiStandIn;
let app: RunningApp;
let cookie = '';
let csrf = '';

beforeAll(async () => {
  api = await BotApiStandIn.start({ token: TOKEN });
  app = await startApp({
    RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD,
    LOGIN_MAX_PER_MINUTE: '1000000',
    LOGIN_MAX_FAILURES: '1000000',
    BOTFRAMEWORK_LOCAL: '1',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    TELEGRAM_WEBHOOK_URL: 'https://helpline.example/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  const login = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  csrf = (login.json() as { csrfToken: string }).csrfToken;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
});

/** Bodies a broken or hostile client might send. */
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  // Shapes close to the real thing, with wrong types inside.
  fc.record({
    update_id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    message: fc.oneof(fc.constant(undefined), fc.record({ chat: fc.anything(), text: fc.anything(), from: fc.anything(), message_id: fc.anything() })),
    callback_query: fc.option(fc.record({ data: fc.anything(), from: fc.anything() }), { nil: undefined }),
  }).map((v) => JSON.stringify(v)),
  fc.record({
    type: fc.oneof(fc.constantFrom('message', 'conversationUpdate', 'event', 'invoke'), fc.string()),
    text: fc.anything(),
    serviceUrl: fc.oneof(fc.webUrl(), fc.string()),
    conversation: fc.anything(),
    from: fc.anything(),
    channelId: fc.anything(),
    attachments: fc.anything(),
  }).map((v) => JSON.stringify(v)),
  fc.record({ username: fc.anything(), password: fc.anything(), text: fc.anything(), category: fc.anything(), to: fc.anything() }).map((v) => JSON.stringify(v)),
);
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', '');

const doors = [
  { url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET } },
  { url: '/api/messages', headers: {} },
  { url: '/api/auth/login', headers: {} },
  { url: '/api/conversations/nonexistent/messages', auth: true },
  { url: '/api/conversations/nonexistent/close', auth: true },
  { url: '/api/accounts', auth: true },
];

describe('fuzzing every door', () => {
  it('answers 10,000 random bodies without a 5xx, and memory stays flat', async () => {
    const statuses = new Map<number, number>();
    const run = async (n: number, seed: number) => {
      for (const [door, payload, type] of fc.sample(fc.tuple(fc.constantFrom(...doors), body, contentType), { numRuns: n, seed })) {
        const headers: Record<string, string> = { ...((door.headers ?? {}) as Record<string, string>) };
        if (type) headers['content-type'] = type;
        if (door.auth) Object.assign(headers, { cookie, 'x-csrf-token': csrf });
        const res = await app.app.inject({ method: 'POST', url: door.url, headers, payload });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${door.url} answered ${res.statusCode} to ${JSON.stringify(payload).slice(0, 200)} (${type}): ${res.body.slice(0, 200)}`);
      }
    };
    // Warm up (JIT, caches, conversations the valid bodies open), then measure over 10,000 more.
    await run(1000, 1);
    const before = heapMb();
    await run(10_000, 20261128);
    const growth = heapMb() - before;
    expect([...statuses.keys()].every((s) => s >= 200 && s < 500)).toBe(true);
    expect((await app.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect(growth).toBeLessThan(24);
  }, 120_000);

  it('refuses oversized bodies by the size limit, before parsing', async () => {
    const huge = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) });
    for (const url of ['/telegram/webhook', '/api/messages', '/api/auth/login']) {
      const res = await app.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, payload: huge });
      expect(res.statusCode).toBe(413);
    }
  });

  it('keeps the web chat socket alive through 2,000 random frames', async () => {
    const c = await ChatClient.connect(app.url);
    await c.waitFor((f) => f.type === 'session');
    const frames = fc.sample(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 }), fc.record({ type: fc.constantFrom('message', 'button', 'typing'), text: fc.anything(), value: fc.anything() }).map((v) => JSON.stringify(v))), {
      numRuns: 2000,
      seed: 7,
    });
    for (const f of frames) c.send(f);
    c.send({ type: 'ping' });
    await c.waitFor((f) => f.type === 'pong', 10_000);
    expect(c.closed).toBe(false);
    c.close();
  });
});
