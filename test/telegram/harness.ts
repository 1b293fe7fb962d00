// The whole app (startApp) talking to the Bot API stand-in over HTTP, as in production.
import { randomUUID } from 'node:crypto';
import type { Message } from 'grammy/types';
import { createClient } from 'redis';
import { startApp, type RunningApp } from '../../src/main.js';
import { BotApiStandIn } from './bot-api-stand-in.js';

export const TOKEN = '7000000001:AAE-test_token-for-the-stand-in';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'telegram-test-password';

export interface Harness {
  api: BotApiStandIn;
  app: RunningApp;
  /** The bot's text in a language (what the child must see). */
  t(locale: string, id: string, args?: Record<string, string | number>): string;
  /** Waits until the bot has sent `text` to the chat; returns that message. */
  said(chatId: number, text: string, timeoutMs?: number): Promise<Message>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, opts: { webhook?: boolean; redis?: boolean } = {}): Promise<Harness> {
  const api = await BotApiStandIn.start({ token: TOKEN });
  const secret = `s-${randomUUID()}`;
  const app = await startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    ...(opts.webhook ? { TELEGRAM_WEBHOOK_URL: 'https://helpline.example/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: secret } : {}),
    ...(opts.redis ? { REDIS_URL, REDIS_PREFIX: `test-${randomUUID()}` } : {}),
    ...env,
  });
  // The stand-in POSTs updates to this test's port instead of the public URL it was given.
  if (opts.webhook) api.webhookTarget = `${app.url}/telegram/webhook`;
  const i18n = () => app.content.current.i18n;
  return {
    api,
    app,
    t: (locale, id, args) => i18n().t(locale, id, args),
    said: (chatId, text, timeoutMs = 5000) => api.waitFor(() => api.sentTo(chatId).find((m) => m.text === text), timeoutMs, `"${text.slice(0, 40)}…" in chat ${chatId}`),
    close: async () => {
      await app.close();
      await api.close();
      if (opts.redis) await dropKeys(app.config.REDIS_PREFIX);
    },
  };
}

/** A counselor signed in to the console API (the admin account, which can do what a counselor can). */
export interface Console {
  call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: () => unknown }>;
}

export async function signIn(h: Harness): Promise<Console> {
  const login = await h.app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`console sign-in failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const { csrfToken } = login.json() as { csrfToken: string };
  return {
    call: async (method, url, body) => {
      const res = await h.app.app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, json: () => res.json() };
    },
  };
}

/** A test's Redis keys go when it ends (they would expire anyway). */
async function dropKeys(prefix: string): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) if (keys.length) await redis.unlink(keys);
  } finally {
    await redis.close();
  }
}

export function buttonsOf(msg: Message): { text: string; data: string }[] {
  return (msg.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: (b as { callback_data?: string }).callback_data ?? '' }));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
