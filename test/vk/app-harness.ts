// Shared by the full-app end-to-end tests of VK and MAX (test/vk/app.e2e.test.ts,
// test/max/app.e2e.test.ts): startApp with the real core (the trained triage model, the Redis
// store under a random prefix, the console), a log captured line by line, a counselor signed in
// to the console API, and a wait for conditions the stand-ins do not see (the store's state).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createClient } from 'redis';
import { createLogger } from '../../src/logger.js';
import { startApp, type RunningApp } from '../../src/main.js';
import type { Conversation, TranscriptEntry } from '../../src/core/types.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_PASSWORD = 'e2e-admin-password-1';
const COUNSELOR_PASSWORD = 'e2e-counselor-pass-1';

/** A pino logger whose lines are kept (parsed) for the test to read. */
export interface LogSink {
  log: Logger;
  lines: { level: number; msg?: string; err?: { type?: string; message?: string }; [k: string]: unknown }[];
  /** Lines at error level or above. */
  errors(): LogSink['lines'];
}

export function logSink(level: pino.LevelWithSilent = 'info'): LogSink {
  const lines: LogSink['lines'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const raw of String(chunk).split('\n')) {
        if (!raw.trim()) continue;
        try {
          lines.push(JSON.parse(raw) as LogSink['lines'][number]);
        } catch {
          lines.push({ level: 0, msg: raw });
        }
      }
      cb();
    },
  });
  // The app's own logger (its redaction and serializers), writing here.
  return { log: createLogger(level, stream), lines, errors: () => lines.filter((l) => l.level >= 50) };
}

/** The whole app as main.ts runs it; Redis under a fresh prefix unless `redis: false`. */
export async function startFullApp(env: Record<string, string>, opts: { log?: Logger; redis?: boolean } = {}): Promise<RunningApp> {
  return startApp(
    {
      RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR,
      PORT: '0',
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD,
      LOGIN_MAX_PER_MINUTE: '1000',
      ...(opts.redis === false ? {} : { REDIS_URL, REDIS_PREFIX: `e2e-${randomUUID()}` }),
      ...env,
    },
    opts.log,
  );
}

/** Stops the app and removes its Redis keys (they would expire anyway). */
export async function stopFullApp(app: RunningApp | undefined): Promise<void> {
  if (!app) return;
  await app.close();
  if (app.store.kind !== 'redis') return;
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${app.config.REDIS_PREFIX}:*`, COUNT: 1000 })) if (keys.length) await redis.unlink(keys);
  } finally {
    await redis.close();
  }
}

/** A staff member's browser on the console API: the session cookie and the CSRF token. */
export class ConsoleClient {
  private cookie = '';
  private csrf = '';
  id = '';
  constructor(private app: RunningApp) {}

  async login(username: string, password: string): Promise<void> {
    const res = await this.app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`console sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
    this.cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const body = res.json() as { csrfToken: string; user: { id: string } };
    this.csrf = body.csrfToken;
    this.id = body.user.id;
  }

  async call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await this.app.app.inject({ method, url, headers: { cookie: this.cookie, 'x-csrf-token': this.csrf }, ...(body === undefined ? {} : { payload: body as object }) });
    let json: unknown = res.body;
    try {
      json = JSON.parse(res.body);
    } catch {
      // not JSON: the raw text
    }
    return { status: res.statusCode, json };
  }
}

/** A counselor account made through the admin API, signed in and available. */
export async function counselorOnShift(app: RunningApp, username = `counselor-${randomUUID().slice(0, 8)}`): Promise<ConsoleClient> {
  const boss = new ConsoleClient(app);
  await boss.login(app.config.ADMIN_USERNAME, ADMIN_PASSWORD);
  const created = await boss.call('POST', '/api/accounts', { username, password: COUNSELOR_PASSWORD, role: 'counselor' });
  if (created.status !== 201) throw new Error(`creating ${username}: ${created.status} ${JSON.stringify(created.json)}`);
  const c = new ConsoleClient(app);
  await c.login(username, COUNSELOR_PASSWORD);
  const presence = await c.call('POST', '/api/presence', { available: true });
  if (presence.status !== 200) throw new Error(`presence of ${username}: ${presence.status} ${JSON.stringify(presence.json)}`);
  return c;
}

/** Waits until check() gives a value (polled every 25 ms): for conditions in the store. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The chat's current conversation and its transcript, read from the store. */
export async function conversationOf(app: RunningApp, channel: string, chatKey: string): Promise<{ conv: Conversation; transcript: TranscriptEntry[] } | null> {
  const id = await app.store.findChat(channel, chatKey);
  if (!id) return null;
  const conv = await app.store.getConversation(id);
  if (!conv) return null;
  return { conv, transcript: await app.store.getTranscript(id) };
}

/** The bot's words in a language, from the content the app has loaded (locales/*.ftl). */
export function t(app: RunningApp, locale: string, id: string, args?: Record<string, string | number>): string {
  return app.content.current.i18n.t(locale, id, args);
}
