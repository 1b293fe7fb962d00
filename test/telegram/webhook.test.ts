// Webhook end to end with Redis: startApp with TELEGRAM_WEBHOOK_URL; the stand-in POSTs updates to
// POST /telegram/webhook with the secret header, as Telegram does.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, buttonsOf, signIn, sleep, startHarness, type Console, type Harness } from './harness.js';
import { callbackUpdate, commandUpdate, newChild, stickerUpdate, textUpdate } from './updates.js';

let h: Harness;
let counselor: Console;
let secret: string;

beforeAll(async () => {
  h = await startHarness({}, { webhook: true, redis: true });
  counselor = await signIn(h);
  secret = h.api.webhook!.secret_token!;
});
afterAll(async () => {
  await h?.close();
});

async function conversationOf(chatId: number) {
  const id = await h.app.store.findChat('telegram', String(chatId));
  return id ? h.app.store.getConversation(id) : null;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  expect(await check(), 'condition did not become true in time').toBe(true);
}

function post(body: string | object, headers: Record<string, string> = {}) {
  return h.app.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('telegram webhook', () => {
  it('sets the webhook at start with the secret and allowed_updates, and never polls', async () => {
    const set = h.api.callsOf('setWebhook');
    expect(set).toHaveLength(1);
    expect(set[0]!.payload).toMatchObject({
      url: 'https://helpline.example/telegram/webhook',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    expect(secret).toMatch(/^s-/);
    expect(h.api.callsOf('getUpdates')).toHaveLength(0);
    expect(h.app.store.kind).toBe('redis');
  });

  it('refuses a wrong or missing secret with 401, before reading the body', async () => {
    const update = { update_id: 1, ...commandUpdate(newChild(), 'start') };
    expect((await post(update)).statusCode).toBe(401);
    expect((await post(update, { 'x-telegram-bot-api-secret-token': 'wrong' })).statusCode).toBe(401);
    expect((await post(update, { 'x-telegram-bot-api-secret-token': `${secret}x` })).statusCode).toBe(401);
    expect((await post('{not json', { 'x-telegram-bot-api-secret-token': 'wrong' })).statusCode).toBe(401);
    expect(h.api.callsOf('sendMessage', update.message!.chat.id)).toHaveLength(0);
  });

  it('refuses a body that is not an update with a clear 400', async () => {
    const auth = { 'x-telegram-bot-api-secret-token': secret };
    const missing = await post({ message: {} }, auth);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatch(/update_id/);
    expect((await post({ update_id: 'x' }, auth)).statusCode).toBe(400);
    expect((await post('{not json', auth)).statusCode).toBe(400);
  });

  it('answers 200 to a my_chat_member without new_chat_member (it got 500, redelivered forever)', async () => {
    const auth = { 'x-telegram-bot-api-secret-token': secret };
    const chat = { id: 777001, type: 'private' };
    const from = { id: 777001, is_bot: false, first_name: 'x' };
    const odd = { update_id: 990_001, my_chat_member: { chat, from, date: 0, old_chat_member: null, new_chat_member: null } };
    expect((await post(odd, auth)).statusCode).toBe(200);
    const group = { update_id: 990_002, my_chat_member: { chat: { id: -777002, type: 'group', title: 'g' }, from, date: 0, new_chat_member: null } };
    expect((await post(group, auth)).statusCode).toBe(200);
  });

  it('/start gets the greeting with buttons', async () => {
    const child = newChild('en');
    const { status } = await h.api.push(commandUpdate(child, 'start'));
    expect(status).toBe(200);
    // The webhook answers after the update is processed: the greeting is already out.
    const greeting = h.api.sentTo(child.chatId).find((m) => m.text === h.t('en', 'greeting'));
    expect(greeting).toBeDefined();
    expect(buttonsOf(greeting!).map((b) => b.data)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
  });

  it('a crisis message gets the emergency text, is queued at high priority, and a counselor reply (console API) reaches the child', async () => {
    const child = newChild('ru');
    await h.api.push(textUpdate(child, 'сегодня ночью покончу с собой, таблетки уже приготовила'));
    await h.said(child.chatId, h.t('ru', 'emergency-now'));
    await eventually(async () => (await conversationOf(child.chatId))?.state === 'queued');
    const conv = (await conversationOf(child.chatId))!;
    expect(conv.risk).toBe('imminent');
    const queue = (await counselor.call('GET', '/api/queue')).json() as { id: string; risk: string; channel: string }[];
    expect(queue[0]).toMatchObject({ id: conv.id, risk: 'imminent', channel: 'telegram' });

    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await h.said(child.chatId, h.t('ru', 'counselor-joined'));
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'Я здесь. Ты сейчас в безопасности?' })).status).toBe(201);
    await h.said(child.chatId, 'Я здесь. Ты сейчас в безопасности?');
  });

  it('issue 13 on Telegram: queued at once with the questions while waiting; silent bot with a counselor; a transfer is a hand-over, with the leave button', async () => {
    const child = newChild('ru');
    await h.api.push(commandUpdate(child, 'start'));
    const greeting = await h.said(child.chatId, h.t('ru', 'greeting'));
    await h.api.push(callbackUpdate(child, greeting, 'action:counselor'));
    // Item 3: in the queue before any question; the age question comes while waiting.
    const age = await h.said(child.chatId, h.t('ru', 'prequeue-age'));
    expect((await conversationOf(child.chatId))?.state).toBe('queued');
    expect(buttonsOf(age).map((b) => b.data)).toContain('pre_age:skip');
    // Item 5: the place in the queue is a message with the leave button.
    const place = h.api.sentTo(child.chatId).find((m) => m.text?.includes('очереди') && buttonsOf(m).some((b) => b.data === 'action:leave_queue'));
    expect(place).toBeDefined();

    const conv = (await conversationOf(child.chatId))!;
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await h.said(child.chatId, h.t('ru', 'counselor-joined'));
    // Item 7: an imminent message mid-chat: the risk rises, the bot says nothing.
    const before = h.api.callsOf('sendMessage', child.chatId).length;
    await h.api.push(textUpdate(child, 'сегодня ночью покончу с собой, таблетки уже приготовила'));
    await eventually(async () => (await conversationOf(child.chatId))?.risk === 'imminent');
    await sleep(200);
    expect(h.api.callsOf('sendMessage', child.chatId)).toHaveLength(before);

    // Item 8: a transfer to the queue reads as a hand-over, not a disconnect.
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/transfer`, { to: 'queue' })).status).toBe(200);
    const handover = await h.said(child.chatId, h.t('ru', 'counselor-handover'));
    expect(buttonsOf(handover).map((b) => b.data)).toContain('action:leave_queue');
    expect(h.api.sentTo(child.chatId).some((m) => m.text === h.t('ru', 'counselor-left'))).toBe(false);
  });

  it('a redelivered update gets 200 and sends nothing twice (de-duplicated in Redis)', async () => {
    const child = newChild('en');
    const { update } = await h.api.push(commandUpdate(child, 'help'));
    await h.said(child.chatId, h.t('en', 'about'));
    expect((await h.api.redeliver(update)).status).toBe(200);
    expect((await h.api.redeliver(update)).status).toBe(200);
    await sleep(100);
    expect(h.api.callsOf('sendMessage', child.chatId)).toHaveLength(1);
  });

  it('concurrent redeliveries of one update: exactly one is processed', async () => {
    const child = newChild('en');
    const update = { update_id: 900_000_000 + Math.floor(Math.random() * 1e6), ...commandUpdate(child, 'help') };
    const auth = { 'x-telegram-bot-api-secret-token': secret };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(update, auth)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await h.said(child.chatId, h.t('en', 'about'));
    await sleep(100);
    expect(h.api.callsOf('sendMessage', child.chatId)).toHaveLength(1);
  });

  it('an injected 429 delays the reply but loses nothing', async () => {
    const child = newChild('en');
    h.api.failNext('sendMessage', { code: 429, retryAfter: 1, chatId: child.chatId, times: 2 });
    const t0 = Date.now();
    await h.api.push(commandUpdate(child, 'start'));
    await h.said(child.chatId, h.t('en', 'greeting'), 6000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(h.api.callsOf('sendMessage', child.chatId).map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('a sticker gets the text-only reply', async () => {
    const child = newChild('en');
    await h.api.push(stickerUpdate(child));
    await h.said(child.chatId, h.t('en', 'media-not-supported'));
  });

  it('an update that fails gets 500 (the child still gets the numbers), and its redelivery is processed', async () => {
    const child = newChild('en');
    await h.api.push(commandUpdate(child, 'start'));
    await h.said(child.chatId, h.t('en', 'greeting'));
    // The conversation's record in Redis is damaged: processing fails.
    const id = await h.app.store.findChat('telegram', String(child.chatId));
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const key = `${h.app.config.REDIS_PREFIX}:{c:${id}}:conv`;
      expect(await redis.exists(key)).toBe(1);
      await redis.set(key, '{damaged');
      const { update, status } = await h.api.push(textUpdate(child, 'I am scared'));
      expect(status).toBe(500);
      await h.said(child.chatId, h.t('en', 'fallback-error'));
      // Repaired (here: the damaged record is gone); Telegram sends the update again.
      await redis.del(key);
      expect((await h.api.redeliver(update)).status).toBe(200);
    } finally {
      await redis.close();
    }
    const conv = (await conversationOf(child.chatId))!;
    const transcript = await h.app.store.getTranscript(conv.id);
    expect(transcript.filter((e) => e.from === 'child').map((e) => e.text)).toEqual(['I am scared']);
  });
});
