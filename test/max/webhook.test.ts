// Webhook end to end: the channel subscribes at start; the stand-in POSTs updates with the secret
// header to the real POST /max/webhook route; the channel answers through the MAX library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../vk/fakes.js';
import { LONG_STEP, startMax, type MaxHarness } from './harness.js';
import { botStarted, botStopped, media, messageCallback, messageCreated, messageEdited, newChild } from './updates.js';

let h: MaxHarness;

beforeAll(async () => {
  h = await startMax();
});
afterAll(async () => {
  await h?.close();
});

const target = (user: number) => ({ id: 'c1', chatKey: String(user), channel: 'max', locale: 'ru' });

function post(body: string | object, headers: Record<string, string> = { 'x-max-bot-api-secret': h.secret }) {
  return h.app.inject({ method: 'POST', url: '/max/webhook', headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('max webhook: the door', () => {
  it('subscribes the webhook at start with its secret and the update types, and never polls', () => {
    expect(h.api.subscriptions).toEqual([
      { url: 'https://helpline.example/max/webhook', secret: h.secret, update_types: ['bot_started', 'bot_stopped', 'message_created', 'message_callback', 'message_edited'] },
    ]);
    expect(h.api.callsOf('GET /me')).toHaveLength(1);
    expect(h.api.callsOf('GET /updates')).toHaveLength(0);
  });

  it('refuses a wrong or missing secret with 401, before reading the body', async () => {
    const child = newChild();
    expect((await h.api.deliver(botStarted(child), 'wrong')).status).toBe(401);
    expect((await h.api.deliver(botStarted(child), `${h.secret}x`)).status).toBe(401);
    expect((await post(botStarted(child), {})).statusCode).toBe(401);
    expect((await post('{not json', { 'x-max-bot-api-secret': 'wrong' })).statusCode).toBe(401);
    await sleep(30);
    expect(h.core.of(String(child.userId))).toHaveLength(0);
  });

  it('refuses malformed bodies with 400, never 500', async () => {
    const child = newChild();
    const bad: (string | object)[] = [
      '{not json',
      '[]',
      '{}',
      { update_type: 'message_created' },
      { update_type: 'message_created', timestamp: 1 },
      { ...messageCreated(child, 'x'), message: { body: {} } },
      { ...messageCallback(child, 'x'), callback: { payload: 'x' } },
      { ...botStarted(child), user: { user_id: 'me' } },
      { ...botStopped(child), chat_id: null },
    ];
    for (const body of bad) expect((await post(body)).statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect(h.core.of(String(child.userId))).toHaveLength(0);
  });

  it('answers 200 to update types it does not use, and does nothing', async () => {
    const child = newChild();
    const before = h.core.inbounds.length;
    expect((await h.api.deliver({ update_type: 'dialog_muted', timestamp: 1, chat_id: 1, user: { user_id: 1 }, muted_until: 2 })).status).toBe(200);
    expect((await h.api.deliver({ update_type: 'something_new', timestamp: 1 })).status).toBe(200);
    // A group chat is not a child's conversation.
    const group = messageCreated(child, 'hi');
    group.message.recipient.chat_type = 'chat';
    expect((await h.api.deliver(group)).status).toBe(200);
    expect(h.core.inbounds.length).toBe(before);
  });
});

describe('max webhook: a child’s conversation', () => {
  it('bot_started is the start command with the deep-link payload and the user locale; the greeting has callback buttons only', async () => {
    const child = newChild('en');
    const up = botStarted(child, 'school_poster');
    expect((await h.api.deliver(up)).status).toBe(200);
    expect(h.core.of(String(child.userId))).toEqual([
      { channel: 'max', chatKey: String(child.userId), userKey: String(child.userId), kind: 'command', value: 'start', text: 'school_poster', localeHint: 'en', platformMessageId: `started@${up.timestamp}` },
    ]);
    const greeting = await h.api.waitFor(() => h.api.sentTo(child.userId).find((m) => m.text === 'greeting'));
    expect(h.api.callsOf('POST /messages', child.userId)[0]!.query).toEqual({ user_id: String(child.userId) });
    const kb = greeting.attachments.find((a) => a.type === 'inline_keyboard')!;
    const buttons = kb.payload.buttons.flat();
    expect(kb.payload.buttons.every((row) => row.length <= 7)).toBe(true);
    expect(buttons.map((b) => b.type)).toEqual(['callback', 'callback', 'callback']);
    expect(buttons.slice(0, 2).map((b) => b.payload)).toEqual(['action:counselor', 'goto:selfhelp_menu']);
    expect(buttons[2]!.payload).toMatch(/^~[\w-]{22}$/);
    expect(JSON.stringify(h.api.sent)).not.toMatch(/request_contact|request_geo_location/);
  });

  it('“/start” typed is the start command; a text message is a text Inbound with its mid', async () => {
    const child = newChild();
    await h.api.deliver(messageCreated(child, '/start'));
    const up = messageCreated(child, 'мне очень плохо');
    await h.api.deliver(up);
    expect(h.core.of(String(child.userId)).map((i) => [i.kind, i.value ?? i.text, i.platformMessageId])).toEqual([
      ['command', 'start', expect.stringMatching(/^mid\./)],
      ['text', 'мне очень плохо', up.message.body.mid],
    ]);
    await h.api.waitFor(() => h.api.sentTo(child.userId).find((m) => m.text === 'echo 15'));
  });

  it('a callback button is answered through /answers (keyboard removed) and reaches the core, the long value decoded', async () => {
    const child = newChild();
    await h.api.deliver(botStarted(child));
    const greeting = await h.api.waitFor(() => h.api.sentTo(child.userId).find((m) => m.text === 'greeting'));
    const keyed = greeting.attachments[0]!.payload.buttons.flat()[2]!.payload!;
    const up = messageCallback(child, keyed);
    expect((await h.api.deliver(up)).status).toBe(200);
    const answer = await h.api.waitFor(() => h.api.callsOf('POST /answers').find((c) => c.query.callback_id === up.callback.callback_id));
    expect(answer.body).toEqual({ message: { text: 'greeting', attachments: [] } });
    expect(h.core.of(String(child.userId)).at(-1)).toMatchObject({ kind: 'button', value: LONG_STEP, platformMessageId: up.callback.callback_id });
    await h.api.waitFor(() => h.api.sentTo(child.userId).find((m) => m.text === `pressed ${LONG_STEP}`));
  });

  it('answers at most twice a second in one chat', async () => {
    const child = newChild();
    const ups = [1, 2, 3].map((i) => messageCallback(child, `goto:s${i}`));
    await Promise.all(ups.map((u) => h.api.deliver(u)));
    await h.api.waitFor(() => h.api.callsOf('POST /answers').filter((c) => ups.some((u) => u.callback.callback_id === c.query.callback_id)).length === 3, 5000);
    const at = h.api.callsOf('POST /answers').filter((c) => ups.some((u) => u.callback.callback_id === c.query.callback_id)).map((c) => c.at);
    expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(950);
  });

  it('the same update delivered twice reaches the core with the same platformMessageId and is answered once', async () => {
    const child = newChild();
    const up = messageCreated(child, 'привет');
    const [a, b] = await Promise.all([h.api.deliver(up), h.api.deliver(up)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const seen = h.core.of(String(child.userId));
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((i) => i.platformMessageId))).toEqual(new Set([up.message.body.mid]));
    await sleep(100);
    expect(h.api.sentTo(child.userId)).toHaveLength(1);
  });

  it('an update the core could not store gets 503 (MAX sends it again), is logged loudly, and the redelivery is processed', async () => {
    const child = newChild();
    const up = messageCreated(child, 'мне страшно');
    h.core.outcome = () => 'failed';
    const before = h.channel.stats.webhookFailures;
    try {
      expect((await h.api.deliver(up)).status).toBe(503);
    } finally {
      h.core.outcome = () => 'processed';
    }
    expect(h.channel.stats.webhookFailures).toBe(before + 1);
    expect(h.deps.log.lines.some((l) => l.level === 'error' && /webhook update failed/.test(l.msg ?? ''))).toBe(true);
    expect((await h.api.deliver(up)).status).toBe(200);
    await h.api.waitFor(() => h.api.sentTo(child.userId).length === 1);
  });

  it('message_edited reaches the core as an edit (each edit once)', async () => {
    const child = newChild();
    const first = messageEdited(child, 'я передумала', 'mid.child.x1');
    const second = messageEdited(child, 'я правда передумала', 'mid.child.x1');
    await h.api.deliver(first);
    await h.api.deliver(second);
    expect(h.core.of(String(child.userId)).map((i) => [i.kind, i.text])).toEqual([
      ['edit', 'я передумала'],
      ['edit', 'я правда передумала'],
    ]);
    expect(new Set(h.core.of(String(child.userId)).map((i) => i.platformMessageId)).size).toBe(2);
  });

  it('a 100 KB text is taken whole (the core truncates it)', async () => {
    const child = newChild();
    expect((await h.api.deliver(messageCreated(child, 'я '.repeat(50_000)))).status).toBe(200);
    expect(h.core.of(String(child.userId))[0]!.text).toHaveLength(100_000);
  });

  it('photos, stickers, voice, files, locations and contacts become media Inbounds (never downloaded); a caption is kept', async () => {
    const child = newChild();
    for (const a of [media.image, media.sticker, media.audio, media.file, media.location, media.contact, media.video]) await h.api.deliver(messageCreated(child, null, [a]));
    await h.api.deliver(messageCreated(child, 'это я', [media.image]));
    const got = h.core.of(String(child.userId)).map((i) => (i.kind === 'media' ? i.media : `${i.kind}:${i.text}`));
    expect(got).toEqual(['photo', 'sticker', 'audio', 'document', 'location', 'contact', 'video', 'photo', 'text:это я']);
    await h.api.waitFor(() => h.api.sentTo(child.userId).filter((m) => m.text === 'media-not-supported').length === 8);
    // Nothing was fetched from the media URLs: only API calls reached the stand-in.
    expect(h.api.calls.every((c) => !c.route.includes('i.example'))).toBe(true);
  });
});

describe('max webhook: blocks and sending', () => {
  it('bot_stopped closes the conversation through core.unreachable', async () => {
    const child = newChild();
    expect((await h.api.deliver(botStopped(child))).status).toBe(200);
    const u = await h.core.waitFor(() => h.core.unreachables.find((x) => x.chatKey === String(child.userId)));
    expect(u).toEqual({ channel: 'max', chatKey: String(child.userId), note: 'max: the child blocked the bot; nothing more can be delivered' });
  });

  it('a send refused with 403 (blocked) tells the core the child is unreachable, without retrying', async () => {
    const child = newChild();
    h.api.block(child.userId);
    await expect(h.channel.sender.send(target(child.userId), { type: 'message', text: 'Я здесь' })).rejects.toThrow(/403/);
    await h.core.waitFor(() => h.core.unreachables.find((x) => x.chatKey === String(child.userId)));
    expect(h.api.callsOf('POST /messages', child.userId)).toHaveLength(1);
  });

  it('429, then 502, then success: retried with back-off, sent once', async () => {
    const child = newChild();
    h.api.failNext('POST /messages', { status: 429, user: child.userId });
    h.api.failNext('POST /messages', { status: 502, user: child.userId });
    await h.channel.sender.send(target(child.userId), { type: 'message', text: 'Я здесь' });
    expect(h.api.callsOf('POST /messages', child.userId).map((c) => c.status)).toEqual([429, 502, 200]);
    expect(h.api.sentTo(child.userId).map((m) => m.text)).toEqual(['Я здесь']);
  });

  it('attachment.not.ready is retried (by the library), the keyboard then sent once', async () => {
    const child = newChild();
    h.api.failNext('POST /messages', { status: 400, code: 'attachment.not.ready', user: child.userId });
    await h.channel.sender.send(target(child.userId), { type: 'message', text: 'Выбери', buttons: [{ label: 'Меню', value: 'action:menu' }] });
    expect(h.api.callsOf('POST /messages', child.userId).map((c) => c.status)).toEqual([400, 200]);
    expect(h.api.sentTo(child.userId)).toHaveLength(1);
  });

  it('a persistent 5xx gives up after the retries and throws to the core', async () => {
    const child = newChild();
    h.api.failNext('POST /messages', { status: 500, user: child.userId, times: 10 });
    await expect(h.channel.sender.send(target(child.userId), { type: 'message', text: 'Я здесь' })).rejects.toThrow(/500/);
    expect(h.api.callsOf('POST /messages', child.userId)).toHaveLength(5);
  });

  it('long texts are split; queue news goes out as words; typing is typing_on in the dialog', async () => {
    const child = newChild();
    await h.api.deliver(messageCreated(child, 'привет'));
    await h.channel.sender.send(target(child.userId), { type: 'message', text: 'слово '.repeat(1500), buttons: [{ label: 'Меню', value: 'action:menu' }] });
    const parts = h.api.sentTo(child.userId).slice(1);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => [...p.text].length <= 4000)).toBe(true);
    expect(parts.map((p) => p.attachments.length)).toEqual([0, 0, 1]);
    await h.channel.sender.send(target(child.userId), { type: 'queue', position: 2, etaMinutes: 5, text: 'Вы вторые в очереди' });
    expect(h.api.sentTo(child.userId).at(-1)!.text).toBe('Вы вторые в очереди');
    await h.channel.sender.send(target(child.userId), { type: 'typing' });
    const typing = h.api.callsOf('POST /chats/actions').at(-1)!;
    expect(typing.body).toEqual({ action: 'typing_on' });
    expect(typing.url).toBe(`/chats/${child.chatId}/actions`);
  });
});
