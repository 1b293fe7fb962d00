// The whole app end to end on MAX: startApp with the real core (triage model, Redis store, console)
// and the MAX channel in webhook mode; it subscribes at start, the stand-in POSTs updates with the
// secret header to the real POST /max/webhook, and @maxhub/max-bot-api answers over HTTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { conversationOf, counselorOnShift, eventually, logSink, startFullApp, stopFullApp, t, type ConsoleClient } from '../vk/app-harness.js';
import { TOKEN } from './harness.js';
import { MaxApiStandIn, type SentMessage } from './max-api-stand-in.js';
import { botStarted, botStopped, media, messageCallback, messageCreated, newChild, type Child } from './updates.js';

const CRISIS = 'хочу покончить с собой';
const HELPLINE = '8-800-2000-122';
const EMERGENCY = '112';
const WEBHOOK_URL = 'https://helpline.example/max/webhook';

let api: MaxApiStandIn;
let app: RunningApp;
let counselor: ConsoleClient;
const secret = `s_${randomUUID().replace(/-/g, '')}`;

beforeAll(async () => {
  api = await MaxApiStandIn.start({ token: TOKEN });
  app = await startFullApp({ MAX_BOT_TOKEN: TOKEN, MAX_WEBHOOK_URL: WEBHOOK_URL, MAX_WEBHOOK_SECRET: secret, MAX_API_ROOT: api.url });
  // The stand-in POSTs to this test's port instead of the public URL it was given.
  api.webhookTarget = `${app.url}/max/webhook`;
  counselor = await counselorOnShift(app);
});
afterAll(async () => {
  await stopFullApp(app);
  await api?.close();
});

const chat = (child: Child) => conversationOf(app, 'max', String(child.userId));
const ru = (id: string) => t(app, 'ru', id);

function received(child: Child, match: (m: SentMessage) => boolean, what: string, timeoutMs = 8000): Promise<SentMessage> {
  return api.waitFor(() => api.sentTo(child.userId).find(match), timeoutMs, `${what} for user ${child.userId}`);
}
const saidText = (child: Child, text: string, timeoutMs?: number) => received(child, (m) => m.text === text, `"${text.slice(0, 40)}…"`, timeoutMs);

async function greeted(child: Child): Promise<SentMessage> {
  expect((await api.deliver(botStarted(child))).status).toBe(200);
  return saidText(child, ru('greeting'));
}

const buttonsOf = (m: SentMessage) => m.attachments.filter((a) => a.type === 'inline_keyboard').flatMap((a) => a.payload.buttons.flat());

async function closed(child: Child) {
  return eventually(async () => {
    const c = await chat(child);
    return c?.conv.state === 'closed' ? c : null;
  }, 'the conversation to be closed');
}

describe('max through the whole app', () => {
  it('subscribed the webhook at start; a wrong or missing X-Max-Bot-Api-Secret gets 401', async () => {
    expect(api.subscriptions).toMatchObject([{ url: WEBHOOK_URL, secret }]);
    const child = newChild();
    expect((await api.deliver(botStarted(child), 'wrong-secret')).status).toBe(401);
    expect((await api.deliver(messageCreated(child, CRISIS), `${secret}x`)).status).toBe(401);
    const missing = await fetch(`${app.url}/max/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(botStarted(child)) });
    expect(missing.status).toBe(401);
    expect(await app.store.findChat('max', String(child.userId))).toBeNull();
    expect(api.sentTo(child.userId)).toHaveLength(0);
  });

  it('bot_started gets the greeting of locales/ru.ftl with the menu as callback buttons', async () => {
    const child = newChild();
    const greeting = await greeted(child);
    expect(greeting.text).toContain('Привет! Я бот детского телефона доверия');
    const buttons = buttonsOf(greeting);
    expect(buttons.map((b) => [b.type, b.text])).toEqual([
      ['callback', ru('btn-counselor')],
      ['callback', ru('btn-help-now')],
      ['callback', ru('btn-selfhelp')],
      ['callback', ru('btn-about')],
      ['callback', ru('btn-privacy')],
    ]);
    expect(buttons.map((b) => b.payload)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
    expect(buttons[0]!.text).toBe('Поговорить с консультантом');
    const { conv, transcript } = (await chat(child))!;
    expect(conv).toMatchObject({ channel: 'max', chatKey: String(child.userId), state: 'bot', locale: 'ru' });
    expect(transcript.some((e) => e.from === 'bot' && e.text === ru('greeting'))).toBe(true);
  });

  it('a crisis message gets the numbers, is queued at high or imminent, and a counselor’s reply from the console reaches the child', async () => {
    const child = newChild();
    expect((await api.deliver(messageCreated(child, CRISIS))).status).toBe(200);
    await received(child, (m) => m.text.includes(HELPLINE) && m.text.includes(EMERGENCY), 'the helpline and emergency numbers');

    const { conv } = await eventually(async () => {
      const c = await chat(child);
      return c?.conv.state === 'queued' ? c : null;
    }, 'the conversation to be queued');
    expect(['high', 'imminent']).toContain(conv.risk);
    const queued = (await app.store.listQueue()).find((q) => q.id === conv.id);
    expect(queued).toBeDefined();
    expect(['high', 'imminent']).toContain(queued!.risk);
    expect(await app.store.findChat('max', String(child.userId))).toBe(conv.id);

    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await saidText(child, ru('counselor-joined'));
    const words = 'Я здесь, я с тобой. Ты сейчас в безопасности?';
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/messages`, { text: words })).status).toBe(201);
    const reply = await saidText(child, words);
    expect(reply.user_id).toBe(child.userId);
    const after = (await chat(child))!;
    expect(after.conv).toMatchObject({ state: 'with_counselor', counselorId: counselor.id });
    expect(after.transcript.some((e) => e.from === 'counselor' && e.text === words)).toBe(true);
  });

  it('a press of the menu’s “Поговорить с консультантом” is processed by the core: the pre-queue age question arrives', async () => {
    const child = newChild();
    const greeting = await greeted(child);
    const button = buttonsOf(greeting).find((b) => b.text === ru('btn-counselor'))!;
    const up = messageCallback(child, button.payload!, greeting.text);
    expect((await api.deliver(up)).status).toBe(200);
    const question = await saidText(child, ru('prequeue-age'));
    expect(buttonsOf(question).map((b) => b.text)).toEqual(expect.arrayContaining([ru('btn-age-14-17'), ru('btn-skip')]));
    // The press was answered (POST /answers with its callback id).
    await api.waitFor(() => api.callsOf('POST /answers').find((c) => c.query.callback_id === up.callback.callback_id), 5000, 'POST /answers');
    const { conv, transcript } = (await chat(child))!;
    expect(conv.meta.pending).toBe('pre_age');
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text)).toEqual(['/start', '[action:counselor]']);
  });

  it('the same update delivered twice, one after another or at once, is answered once', async () => {
    const child = newChild();
    const start = botStarted(child);
    expect((await api.deliver(start)).status).toBe(200);
    await saidText(child, ru('greeting'));
    const sent = api.sentTo(child.userId).length;
    expect((await api.deliver(start)).status).toBe(200);
    const again = messageCreated(child, 'мне грустно');
    const answers = await Promise.all([api.deliver(again), api.deliver(again), api.deliver(again)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // Each delivery is answered after processing: what was sent is all there is.
    const { transcript } = (await chat(child))!;
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text)).toEqual(['/start', 'мне грустно']);
    expect(api.sentTo(child.userId).filter((m) => m.text === ru('greeting'))).toHaveLength(1);
    const replies = api.sentTo(child.userId).slice(sent);
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies.map((m) => m.text)).size).toBe(replies.length);
  });

  it('bot_stopped closes the conversation, with a system line about the block', async () => {
    const child = newChild();
    await greeted(child);
    expect((await api.deliver(botStopped(child))).status).toBe(200);
    const { conv, transcript } = await closed(child);
    expect(conv.meta.closeOutcome).toBe('unreachable');
    expect(transcript.some((e) => e.from === 'system' && /max: the child blocked the bot/.test(e.text))).toBe(true);
  });

  it('a send refused with 403 (the bot is blocked) closes the conversation, with a system line about the block', async () => {
    const child = newChild();
    await greeted(child);
    api.block(child.userId);
    expect((await api.deliver(messageCreated(child, 'ты тут?'))).status).toBe(200);
    const { conv, transcript } = await closed(child);
    expect(api.callsOf('POST /messages', child.userId).some((c) => c.status === 403)).toBe(true);
    expect(conv.meta.closeOutcome).toBe('unreachable');
    expect(transcript.some((e) => e.from === 'system' && /max: the child blocked the bot/.test(e.text))).toBe(true);
  });

  it('a 429 on POST /messages, then success: the greeting arrives once', async () => {
    const child = newChild();
    api.failNext('POST /messages', { status: 429, user: child.userId });
    expect((await api.deliver(botStarted(child))).status).toBe(200);
    await saidText(child, ru('greeting'), 15_000);
    expect(api.callsOf('POST /messages', child.userId).map((c) => c.status)).toEqual([429, 200]);
    expect(api.sentTo(child.userId).filter((m) => m.text === ru('greeting'))).toHaveLength(1);
  });

  it('a photo gets the media-not-supported reply of locales/ru.ftl, and the transcript shows [photo]', async () => {
    const child = newChild();
    expect((await api.deliver(messageCreated(child, null, [media.image]))).status).toBe(200);
    const reply = await saidText(child, ru('media-not-supported'));
    expect(reply.text).toContain('Я пока понимаю только текст');
    const { transcript } = (await chat(child))!;
    expect(transcript.filter((e) => e.from === 'child')).toMatchObject([{ text: '[photo]', kind: 'media', media: 'photo' }]);
  });
});

describe('max start-up with a refused token', () => {
  it('the app still starts (web chat healthy) and logs one clear error line', async () => {
    const sink = logSink('info');
    const other = await startFullApp(
      { MAX_BOT_TOKEN: 'max-token-max-refuses', MAX_WEBHOOK_URL: WEBHOOK_URL, MAX_WEBHOOK_SECRET: secret, MAX_API_ROOT: api.url },
      { log: sink.log, redis: false },
    );
    try {
      expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${other.url}/`)).status).toBe(200);
      const errors = sink.errors();
      expect(errors, JSON.stringify(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ channel: 'max', msg: 'max: could not start; the channel is off until the next start' });
      expect(errors[0]!.err?.message).toBe('MAX_BOT_TOKEN was refused by the MAX Bot API (401); check MAX_BOT_TOKEN and MAX_API_ROOT');
      // Refused at GET /me: nothing was subscribed with the refused token.
      expect(api.calls.filter((c) => c.route === 'POST /subscriptions')).toHaveLength(1);
    } finally {
      await stopFullApp(other);
    }
  });
});
