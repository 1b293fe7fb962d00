// Long polling end to end: startApp with TELEGRAM_BOT_TOKEN, grammY runner over HTTP to the stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, signIn, sleep, startHarness, type Console, type Harness } from './harness.js';
import {
  blockedUpdate,
  callbackUpdate,
  commandUpdate,
  editedUpdate,
  groupTextUpdate,
  newChild,
  photoUpdate,
  stickerUpdate,
  textUpdate,
  voiceUpdate,
} from './updates.js';

let h: Harness;
let counselor: Console;

beforeAll(async () => {
  h = await startHarness();
  counselor = await signIn(h);
});
afterAll(async () => {
  await h?.close();
});

async function stateOf(chatId: number) {
  const id = await h.app.store.findChat('telegram', String(chatId));
  return id ? (await h.app.store.getConversation(id))?.state : undefined;
}

async function conversationOf(chatId: number) {
  const id = await h.app.store.findChat('telegram', String(chatId));
  expect(id).toBeTruthy();
  return (await h.app.store.getConversation(id!))!;
}

describe('telegram long polling', () => {
  it('starts by polling: getMe, the command menu, deleteWebhook, getUpdates with allowed_updates', async () => {
    await h.api.waitFor(() => h.api.callsOf('getUpdates').length > 0, 5000, 'getUpdates');
    expect(h.api.callsOf('getMe').length).toBeGreaterThan(0);
    expect(h.api.callsOf('deleteWebhook')).toHaveLength(1);
    const menus = h.api.callsOf('setMyCommands');
    expect(menus.map((c) => c.payload.language_code ?? 'default').sort()).toEqual(['default', 'en', 'ru']);
    const poll = h.api.callsOf('getUpdates').at(-1)!;
    expect(poll.payload.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    expect(poll.payload.timeout).toBe(30);
  });

  it('/start greets in the language of the Telegram app, with the choices as inline buttons', async () => {
    const en = newChild('en');
    const ru = newChild('ru-RU');
    await h.api.push(commandUpdate(en, 'start'));
    await h.api.push(commandUpdate(ru, 'start'));
    const greeting = await h.said(en.chatId, h.t('en', 'greeting'));
    expect(buttonsOf(greeting)).toEqual([
      { text: h.t('en', 'btn-counselor'), data: 'action:counselor' },
      { text: h.t('en', 'btn-help-now'), data: 'action:crisis' },
      { text: h.t('en', 'btn-selfhelp'), data: 'goto:selfhelp_menu' },
      { text: h.t('en', 'btn-about'), data: 'goto:about' },
      { text: h.t('en', 'btn-privacy'), data: 'action:privacy' },
    ]);
    // Issue 13, items 1 and 2: at once on /start, what is kept and for how long, and the one limit.
    expect(greeting.text).toContain('24 hours');
    expect(greeting.text).toContain('30 days');
    expect(greeting.text).toContain("someone's life is in danger");
    await h.said(ru.chatId, h.t('ru', 'greeting'));
    expect((await conversationOf(ru.chatId)).locale).toBe('ru');
  });

  it('a pressed button is answered, its keyboard removed, and the choice followed', async () => {
    const child = newChild('en');
    await h.api.push(commandUpdate(child, 'start'));
    const greeting = await h.said(child.chatId, h.t('en', 'greeting'));
    const { update } = await h.api.push(callbackUpdate(child, greeting, 'goto:selfhelp_menu'));
    const menu = await h.said(child.chatId, h.t('en', 'selfhelp-menu'));
    expect(buttonsOf(menu).length).toBeGreaterThan(3);
    expect(h.api.callsOf('answerCallbackQuery').some((c) => c.payload.callback_query_id === update.callback_query!.id)).toBe(true);
    const edit = h.api.callsOf('editMessageReplyMarkup', child.chatId);
    expect(edit).toHaveLength(1);
    expect(edit[0]!.payload.message_id).toBe(greeting.message_id);
    expect(h.api.sentTo(child.chatId).find((m) => m.message_id === greeting.message_id)!.reply_markup).toBeUndefined();
    // The removal went out before the answer: one chat's calls keep their order.
    const order = h.api.calls.filter((c) => String(c.payload.chat_id) === String(child.chatId)).map((c) => c.method);
    expect(order.slice(-2)).toEqual(['editMessageReplyMarkup', 'sendMessage']);
  });

  it('a crisis message gets the emergency text and is queued at imminent priority, with an alert', async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'I am going to kill myself tonight, the pills are ready'));
    // Nobody is on shift in this test: the numbers without "a counselor will write soon".
    await h.said(child.chatId, h.t('en', 'emergency-now'));
    await expectEventually(async () => (await stateOf(child.chatId)) === 'queued');
    const conv = await conversationOf(child.chatId);
    expect(['high', 'imminent']).toContain(conv.risk);
    const queue = await h.app.store.listQueue();
    expect(queue.find((q) => q.id === conv.id)?.risk).toBe(conv.risk);
  });

  it("a counselor's reply reaches the child, and the counselor's typing shows as a chat action", async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'I want to die'));
    await h.api.waitFor(() => h.api.sentTo(child.chatId).length >= 2, 5000, 'crisis replies');
    const conv = await conversationOf(child.chatId);
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await h.said(child.chatId, h.t('en', 'counselor-joined'));
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/typing`)).status).toBe(204);
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'Hi, I am here. Are you safe right now?' })).status).toBe(201);
    await h.said(child.chatId, 'Hi, I am here. Are you safe right now?');
    const actions = h.api.callsOf('sendChatAction', child.chatId);
    expect(actions.at(-1)!.payload.action).toBe('typing');
    // The child's answer reaches the counselor's transcript; the bot stays quiet.
    const before = h.api.sentTo(child.chatId).length;
    await h.api.push(textUpdate(child, 'yes, at home'));
    await expectEventually(async () => (await h.app.store.getTranscript(conv.id)).some((e) => e.from === 'child' && e.text === 'yes, at home'));
    expect(h.api.sentTo(child.chatId).length).toBe(before);
  });

  it('shows "typing…" while the bot\'s answer is delayed (here: held by the per-chat rate)', async () => {
    const child = newChild('en');
    for (const cmd of ['start', 'help', 'help', 'help']) await h.api.push(commandUpdate(child, cmd));
    await h.api.waitFor(() => h.api.sentTo(child.chatId).length === 4, 5000, 'four answers');
    const calls = h.api.calls.filter((c) => String(c.payload.chat_id) === String(child.chatId)).map((c) => c.method);
    // Three answers go at once (the burst); the fourth waits ~1 s, announced by "typing…".
    expect(calls).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendChatAction', 'sendMessage']);
  });

  it('a redelivered update (same update_id) sends nothing twice', async () => {
    const child = newChild('en');
    const { update } = await h.api.push(commandUpdate(child, 'start'));
    await h.said(child.chatId, h.t('en', 'greeting'));
    await h.api.redeliver(update);
    await h.api.redeliver(update);
    // A later update of the same chat is handled after the redeliveries (one chat, in order).
    await h.api.push(commandUpdate(child, 'help'));
    await h.said(child.chatId, h.t('en', 'about'));
    expect(h.api.sentTo(child.chatId).filter((m) => m.text === h.t('en', 'greeting'))).toHaveLength(1);
    expect(h.app.telegram!.stats.duplicates).toBeGreaterThanOrEqual(2);
  });

  it('an injected 429 delays the message by retry_after but loses nothing, and other chats do not wait', async () => {
    const slow = newChild('en');
    const other = newChild('en');
    h.api.failNext('sendMessage', { code: 429, retryAfter: 1, chatId: slow.chatId });
    const t0 = Date.now();
    await h.api.push(commandUpdate(slow, 'start'));
    await h.api.push(commandUpdate(other, 'start'));
    await h.said(other.chatId, h.t('en', 'greeting'));
    const otherMs = Date.now() - t0;
    await h.said(slow.chatId, h.t('en', 'greeting'), 5000);
    const slowMs = Date.now() - t0;
    expect(otherMs).toBeLessThan(900);
    expect(slowMs).toBeGreaterThanOrEqual(1000);
    expect(h.api.callsOf('sendMessage', slow.chatId).map((c) => c.status)).toEqual([429, 200]);
    expect(h.api.sentTo(slow.chatId).filter((m) => m.text === h.t('en', 'greeting'))).toHaveLength(1);
  });

  it('the bot and a counselor writing at once to a chat whose first message hits a 429: order is kept', async () => {
    const child = newChild('en');
    h.api.failNext('sendMessage', { code: 429, retryAfter: 1, chatId: child.chatId });
    const sender = h.app.telegram!.sender;
    const target = { id: '', chatKey: String(child.chatId), channel: 'telegram', locale: 'en' };
    await Promise.all([
      sender.send(target, { type: 'message', text: 'first (retried)', from: 'bot' }),
      sender.send(target, { type: 'message', text: 'second', from: 'counselor' }),
    ]);
    expect(h.api.sentTo(child.chatId).map((m) => m.text)).toEqual(['first (retried)', 'second']);
  });

  it('a 5xx from Telegram is retried and the message arrives once', async () => {
    const child = newChild('en');
    h.api.failNext('sendMessage', { code: 502, chatId: child.chatId });
    await h.api.push(commandUpdate(child, 'help'));
    await h.said(child.chatId, h.t('en', 'about'), 8000);
    expect(h.api.callsOf('sendMessage', child.chatId).map((c) => c.status)).toEqual([502, 200]);
  });

  it('stickers, photos and voice notes get the text-only reply; the counselor sees [sticker]; a caption is read', async () => {
    const child = newChild('en');
    await h.api.push(stickerUpdate(child));
    await h.said(child.chatId, h.t('en', 'media-not-supported'));
    await h.api.push(voiceUpdate(child));
    await h.api.waitFor(() => h.api.sentTo(child.chatId).filter((m) => m.text === h.t('en', 'media-not-supported')).length === 2, 5000, 'two media replies');
    await h.api.push(photoUpdate(child, 'I want to kill myself'));
    await h.said(child.chatId, h.t('en', 'crisis-high-closed'));
    const conv = await conversationOf(child.chatId);
    const transcript = await h.app.store.getTranscript(conv.id);
    const fromChild = transcript.filter((e) => e.from === 'child');
    expect(fromChild.map((e) => [e.kind, e.text])).toEqual([
      ['media', '[sticker]'],
      ['media', '[voice]'],
      ['media', '[photo]'],
      ['text', 'I want to kill myself'],
    ]);
  });

  it('an edited message reaches the counselor as an edit, without a second bot answer', async () => {
    const child = newChild('en');
    const { update } = await h.api.push(textUpdate(child, 'my parents shout at me'));
    await h.api.waitFor(() => h.api.sentTo(child.chatId).length >= 1, 5000, 'first answer');
    await sleep(100);
    const answers = h.api.sentTo(child.chatId).length;
    await h.api.push(editedUpdate(child, update.message!.message_id, 'my parents hit me'));
    const conv = await conversationOf(child.chatId);
    await expectEventually(async () => (await h.app.store.getTranscript(conv.id)).some((e) => e.kind === 'edit' && e.text === 'my parents hit me'));
    expect(h.api.sentTo(child.chatId)).toHaveLength(answers);
  });

  it('in a group the bot says one polite line and leaves', async () => {
    const groupId = -1_000_000_000 - Math.floor(Math.random() * 1e6);
    const child = newChild('en');
    await h.api.push(groupTextUpdate(groupId, child, 'hello bot'));
    await h.api.push(groupTextUpdate(groupId, child, 'hello again'));
    await h.api.waitFor(() => h.api.callsOf('leaveChat', groupId).length > 0, 5000, 'leaveChat');
    await sleep(200);
    expect(h.api.sentTo(groupId).map((m) => m.text)).toEqual([h.t('en', 'tg-group-leave')]);
    expect(h.api.callsOf('leaveChat', groupId).length).toBeGreaterThanOrEqual(1);
    expect(await h.app.store.findChat('telegram', String(groupId))).toBeNull();
  });

  it('/help and /lang', async () => {
    const child = newChild('en');
    await h.api.push(commandUpdate(child, 'help'));
    await h.said(child.chatId, h.t('en', 'about'));
    await h.api.push(commandUpdate(child, 'lang'));
    const choice = await h.said(child.chatId, h.t('en', 'tg-lang-choose'));
    expect(buttonsOf(choice)).toEqual(
      expect.arrayContaining([
        { text: 'English', data: 'lang:en' },
        { text: 'Русский', data: 'lang:ru' },
      ]),
    );
    await h.api.push(callbackUpdate(child, choice, 'lang:ru'));
    await h.said(child.chatId, h.t('ru', 'lang-switched'));
    await expectEventually(async () => (await conversationOf(child.chatId)).locale === 'ru');
    // /lang en switches straight away.
    await h.api.push(commandUpdate(child, 'lang', 'en'));
    await h.said(child.chatId, h.t('en', 'lang-switched'));
  });

  it('/stop while waiting leaves the queue', async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'I want to die'));
    await expectEventually(async () => (await stateOf(child.chatId)) === 'queued');
    await h.api.push(commandUpdate(child, 'stop'));
    await h.said(child.chatId, h.t('en', 'queue-left'));
    await expectEventually(async () => (await conversationOf(child.chatId)).state === 'bot');
  });

  it('a child who blocks the bot: the 403 closes the conversation and the counselor is told', async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'I want to die'));
    await h.api.waitFor(() => h.api.sentTo(child.chatId).length >= 2, 5000, 'crisis replies');
    const conv = await conversationOf(child.chatId);
    expect((await counselor.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await h.said(child.chatId, h.t('en', 'counselor-joined'));
    h.api.block(child.chatId);
    await counselor.call('POST', `/api/conversations/${conv.id}/messages`, { text: 'Are you still there?' });
    await expectEventually(async () => (await h.app.store.getConversation(conv.id))!.state === 'closed');
    const transcript = await h.app.store.getTranscript(conv.id);
    const system = transcript.filter((e) => e.from === 'system').map((e) => e.text);
    expect(system).toContain('delivery-failed');
    expect(system.some((t) => t.includes('blocked the bot'))).toBe(true);
    expect(system.at(-1)).toBe('closed by child');
    // Nothing more is attempted once it is closed: one 403 only.
    expect(h.api.callsOf('sendMessage', child.chatId).filter((c) => c.status === 403)).toHaveLength(1);
  });

  it('a my_chat_member "kicked" update (the child blocked the bot) closes a waiting conversation', async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'I want to die'));
    await expectEventually(async () => (await stateOf(child.chatId)) === 'queued');
    const conv = await conversationOf(child.chatId);
    await h.api.push(blockedUpdate(child, h.api.me.id));
    await expectEventually(async () => (await h.app.store.getConversation(conv.id))!.state === 'closed');
    expect((await h.app.store.listQueue()).some((q) => q.id === conv.id)).toBe(false);
  });

  it("keeps one chat's messages in order while serving many chats at once", async () => {
    const children = Array.from({ length: 20 }, () => newChild('en'));
    await Promise.all(children.map((c) => h.api.push(commandUpdate(c, 'start'))));
    await Promise.all(children.map((c) => h.api.push(commandUpdate(c, 'help'))));
    for (const c of children) {
      await h.said(c.chatId, h.t('en', 'about'));
      expect(h.api.sentTo(c.chatId).map((m) => m.text)).toEqual([h.t('en', 'greeting'), h.t('en', 'about')]);
    }
  });
});

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  expect(await check(), 'condition did not become true in time').toBe(true);
}
