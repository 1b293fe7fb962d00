// The whole app end to end on VK: startApp with the real core (triage model, Redis store, console)
// and the VK channel in Callback API mode; the stand-in POSTs events to the real POST /vk/callback,
// and the real vk-io answers over HTTP to the stand-in's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { conversationOf, counselorOnShift, eventually, logSink, startFullApp, stopFullApp, t, type ConsoleClient } from './app-harness.js';
import { CONFIRMATION, GROUP_ID, SECRET, confirmation, messageDeny, messageEvent, messageNew, newChild, photo, startButton, type Child } from './events.js';
import { TOKEN } from './harness.js';
import { VkApiStandIn, type SentMessage } from './vk-api-stand-in.js';

const CRISIS = 'хочу покончить с собой';
const HELPLINE = '8-800-2000-122';
const EMERGENCY = '112';

let api: VkApiStandIn;
let app: RunningApp;
let counselor: ConsoleClient;

beforeAll(async () => {
  api = await VkApiStandIn.start({ token: TOKEN, groupId: GROUP_ID });
  app = await startFullApp({
    VK_GROUP_TOKEN: TOKEN,
    VK_GROUP_ID: String(GROUP_ID),
    VK_CONFIRMATION: CONFIRMATION,
    VK_SECRET: SECRET,
    VK_API_ROOT: api.url,
    VK_API_LIMIT: '20',
  });
  api.webhookTarget = `${app.url}/vk/callback`;
  counselor = await counselorOnShift(app);
});
afterAll(async () => {
  await stopFullApp(app);
  await api?.close();
});

const chat = (child: Child) => conversationOf(app, 'vk', String(child.id));
const ru = (id: string) => t(app, 'ru', id);

/** Waits for a message to the child's peer that matches. */
function received(child: Child, match: (m: SentMessage) => boolean, what: string, timeoutMs = 8000): Promise<SentMessage> {
  return api.waitFor(() => api.sentTo(child.id).find(match), timeoutMs, `${what} for peer ${child.id}`);
}
const saidText = (child: Child, text: string, timeoutMs?: number) => received(child, (m) => m.message === text, `"${text.slice(0, 40)}…"`, timeoutMs);

async function greeted(child: Child): Promise<SentMessage> {
  expect(await api.deliver(startButton(child))).toEqual({ status: 200, text: 'ok' });
  return saidText(child, ru('greeting'));
}

const buttonsOf = (m: SentMessage) => (m.keyboard?.buttons ?? []).flat().map((b) => ({ type: b.action.type, label: b.action.label, value: (JSON.parse(b.action.payload) as { b: string }).b }));

describe('vk through the whole app', () => {
  it('answers the confirmation with VK_CONFIRMATION and refuses a wrong secret with 403', async () => {
    expect(await api.deliver(confirmation())).toEqual({ status: 200, text: CONFIRMATION });
    expect((await api.deliver(confirmation('wrong'))).status).toBe(403);
    const child = newChild();
    expect((await api.deliver({ ...startButton(child), secret: 'wrong' })).status).toBe(403);
    expect((await api.deliver({ ...messageNew(child, CRISIS), secret: `${SECRET}x` })).status).toBe(403);
    expect(await app.store.findChat('vk', String(child.id))).toBeNull();
    expect(api.sentTo(child.id)).toHaveLength(0);
  });

  it('the Start button gets the greeting of locales/ru.ftl with the menu as callback buttons', async () => {
    const child = newChild();
    const greeting = await greeted(child);
    expect(greeting.message).toContain('Привет! Я бот детского телефона доверия');
    expect(greeting.keyboard?.inline).toBe(true);
    expect(buttonsOf(greeting)).toEqual([
      { type: 'callback', label: ru('btn-counselor'), value: 'action:counselor' },
      { type: 'callback', label: ru('btn-help-now'), value: 'action:crisis' },
      { type: 'callback', label: ru('btn-selfhelp'), value: 'goto:selfhelp_menu' },
      { type: 'callback', label: ru('btn-about'), value: 'goto:about' },
      { type: 'callback', label: ru('btn-privacy'), value: 'action:privacy' },
    ]);
    expect(buttonsOf(greeting)[0]!.label).toBe('Поговорить с консультантом');
    const { conv, transcript } = (await chat(child))!;
    expect(conv).toMatchObject({ channel: 'vk', chatKey: String(child.id), state: 'bot', locale: 'ru' });
    expect(transcript.some((e) => e.from === 'bot' && e.text === ru('greeting'))).toBe(true);
  });

  it('a crisis message gets the numbers, is queued at high or imminent, and a counselor’s reply from the console reaches the child', async () => {
    const child = newChild();
    expect(await api.deliver(messageNew(child, CRISIS))).toEqual({ status: 200, text: 'ok' });
    const numbers = await received(child, (m) => m.message.includes(HELPLINE) && m.message.includes(EMERGENCY), 'the helpline and emergency numbers');
    expect(numbers.message).toContain(HELPLINE);

    const { conv } = await eventually(async () => {
      const c = await chat(child);
      return c?.conv.state === 'queued' ? c : null;
    }, 'the conversation to be queued');
    expect(['high', 'imminent']).toContain(conv.risk);
    const queued = (await app.store.listQueue()).find((q) => q.id === conv.id);
    expect(queued).toBeDefined();
    expect(['high', 'imminent']).toContain(queued!.risk);
    expect(await app.store.findChat('vk', String(child.id))).toBe(conv.id);

    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await saidText(child, ru('counselor-joined'));
    const words = 'Я здесь, я с тобой. Ты сейчас в безопасности?';
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/messages`, { text: words })).status).toBe(201);
    const reply = await saidText(child, words);
    expect(reply.peer_id).toBe(child.id);
    const after = (await chat(child))!;
    expect(after.conv).toMatchObject({ state: 'with_counselor', counselorId: counselor.id });
    expect(after.transcript.some((e) => e.from === 'counselor' && e.text === words)).toBe(true);
  });

  it('a press of the menu’s “Поговорить с консультантом” is processed by the core: the pre-queue age question arrives', async () => {
    const child = newChild();
    const greeting = await greeted(child);
    const button = greeting.keyboard!.buttons.flat().find((b) => b.action.label === ru('btn-counselor'))!;
    const ev = messageEvent(child, JSON.parse(button.action.payload));
    expect(await api.deliver(ev)).toEqual({ status: 200, text: 'ok' });
    const question = await saidText(child, ru('prequeue-age'));
    expect(buttonsOf(question).map((b) => b.label)).toEqual(expect.arrayContaining([ru('btn-age-14-17'), ru('btn-skip')]));
    // The spinner of the pressed button was stopped.
    await api.waitFor(() => api.callsOf('messages.sendMessageEventAnswer').find((c) => c.params.event_id === (ev.object as { event_id: string }).event_id), 5000, 'sendMessageEventAnswer');
    const { conv, transcript } = (await chat(child))!;
    expect(conv.meta.pending).toBe('pre_age');
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text)).toEqual(['/start', '[action:counselor]']);
  });

  it('the same event delivered twice, one after another or at once, is answered once', async () => {
    const child = newChild();
    const ev = startButton(child);
    expect(await api.deliver(ev)).toEqual({ status: 200, text: 'ok' });
    await saidText(child, ru('greeting'));
    const sent = api.sentTo(child.id).length;
    expect(await api.deliver(ev)).toEqual({ status: 200, text: 'ok' });
    // A redelivery racing another.
    const again = messageNew(child, 'мне грустно');
    const answers = await Promise.all([api.deliver(again), api.deliver(again), api.deliver(again)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    // Each delivery is answered after processing: what was sent is all there is.
    const { transcript } = (await chat(child))!;
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text)).toEqual(['/start', 'мне грустно']);
    expect(api.sentTo(child.id).filter((m) => m.message === ru('greeting'))).toHaveLength(1);
    const replies = api.sentTo(child.id).slice(sent);
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies.map((m) => m.message)).size).toBe(replies.length);
  });

  it('message_deny closes the conversation, with a system line about the block', async () => {
    const child = newChild();
    await greeted(child);
    expect(await api.deliver(messageDeny(child))).toEqual({ status: 200, text: 'ok' });
    const { conv, transcript } = await eventually(async () => {
      const c = await chat(child);
      return c?.conv.state === 'closed' ? c : null;
    }, 'the conversation to be closed');
    expect(conv.meta.closeOutcome).toBe('unreachable');
    expect(transcript.some((e) => e.from === 'system' && /blocked/.test(e.text))).toBe(true);
  });

  it('a send refused with error 901 (messages turned off) closes the conversation, with a system line about the block', async () => {
    const child = newChild();
    await greeted(child);
    api.block(child.id);
    expect((await api.deliver(messageNew(child, 'ты тут?'))).status).toBe(200);
    const { conv, transcript } = await eventually(async () => {
      const c = await chat(child);
      return c?.conv.state === 'closed' ? c : null;
    }, 'the conversation to be closed');
    expect(api.callsOf('messages.send', child.id).some((c) => c.error === 901)).toBe(true);
    expect(conv.meta.closeOutcome).toBe('unreachable');
    expect(transcript.some((e) => e.from === 'system' && /vk: the child blocked the bot/.test(e.text))).toBe(true);
  });

  it('an HTTP 429 on messages.send, then success: the greeting arrives once', async () => {
    const child = newChild();
    api.failNext('messages.send', { http: 429, peer: child.id });
    expect((await api.deliver(startButton(child))).status).toBe(200);
    await saidText(child, ru('greeting'), 15_000);
    const calls = api.callsOf('messages.send', child.id);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // vk-io sent it again with the same random_id.
    expect(new Set(calls.map((c) => c.params.random_id)).size).toBe(1);
    expect(api.sentTo(child.id).filter((m) => m.message === ru('greeting'))).toHaveLength(1);
  });

  it('a photo gets the media-not-supported reply of locales/ru.ftl, and the transcript shows [photo]', async () => {
    const child = newChild();
    expect(await api.deliver(photo(child))).toEqual({ status: 200, text: 'ok' });
    const reply = await saidText(child, ru('media-not-supported'));
    expect(reply.message).toContain('Я пока понимаю только текст');
    const { transcript } = (await chat(child))!;
    expect(transcript.filter((e) => e.from === 'child')).toMatchObject([{ text: '[photo]', kind: 'media', media: 'photo' }]);
  });
});

describe('vk start-up with a refused token', () => {
  it('the app still starts (web chat healthy) and logs one clear error line', async () => {
    const sink = logSink('info');
    const other = await startFullApp(
      { VK_GROUP_TOKEN: 'vk1.a.a-token-vk-refuses', VK_GROUP_ID: String(GROUP_ID), VK_CONFIRMATION: CONFIRMATION, VK_SECRET: SECRET, VK_API_ROOT: api.url },
      { log: sink.log, redis: false },
    );
    try {
      const health = await fetch(`${other.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await fetch(`${other.url}/`)).status).toBe(200);
      const errors = sink.errors();
      expect(errors, JSON.stringify(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ channel: 'vk', msg: 'vk: could not start; the channel is off until the next start' });
      expect(errors[0]!.err?.message).toBe('VK_GROUP_TOKEN was refused by the VK API (error 5); check VK_GROUP_TOKEN, VK_GROUP_ID and VK_API_ROOT');
      // The error's own type, not "Object" (pino's default err serializer renamed errInfo's type).
      expect(errors[0]!.err?.type).toBe('VkTokenError');
      expect(api.calls.some((c) => c.method === 'groups.getById' && c.params.access_token === 'vk1.a.a-token-vk-refuses' && c.error === 5)).toBe(true);
    } finally {
      await stopFullApp(other);
    }
  });
});
