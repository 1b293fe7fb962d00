// Callback API end to end: the stand-in POSTs events to the real POST /vk/callback route; the
// channel maps them for a fake core and answers through vk-io to the stand-in API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRMATION, GROUP_ID, SECRET, attachment, confirmation, location, messageDeny, messageEdit, messageEvent, messageNew, newChild, photo, startButton, typingState, unknownEvent } from './events.js';
import { sleep } from './fakes.js';
import { LONG_STEP, startVk, type VkHarness } from './harness.js';

let h: VkHarness;

beforeAll(async () => {
  h = await startVk();
});
afterAll(async () => {
  await h?.close();
});

function post(body: string | object, contentType = 'application/json') {
  return h.app.inject({ method: 'POST', url: '/vk/callback', headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
}

const target = (peer: number) => ({ id: 'c1', chatKey: String(peer), channel: 'vk', locale: 'ru' });

describe('vk callback: the door', () => {
  it('answers the confirmation request with VK_CONFIRMATION', async () => {
    const r = await h.api.deliver(confirmation());
    expect(r).toEqual({ status: 200, text: CONFIRMATION });
    // Without a secret (while the server is being set up) too, but only for this community.
    const { secret: _s, ...bare } = confirmation();
    expect(await h.api.deliver(bare)).toEqual({ status: 200, text: CONFIRMATION });
    expect((await h.api.deliver({ ...bare, group_id: GROUP_ID + 1 })).status).toBe(403);
  });

  it('refuses a wrong or missing secret with 403, and another community’s events', async () => {
    const child = newChild();
    expect((await h.api.deliver(confirmation('wrong'))).status).toBe(403);
    expect((await h.api.deliver({ ...messageNew(child, 'hi'), secret: 'wrong' })).status).toBe(403);
    expect((await h.api.deliver({ ...messageNew(child, 'hi'), secret: `${SECRET}x` })).status).toBe(403);
    const { secret: _, ...without } = messageNew(child, 'hi');
    expect((await h.api.deliver(without)).status).toBe(403);
    expect((await h.api.deliver({ ...messageNew(child, 'hi'), group_id: GROUP_ID + 1 })).status).toBe(403);
    await sleep(50);
    expect(h.core.of(String(child.id))).toHaveLength(0);
  });

  it('refuses malformed bodies with 400, never 500', async () => {
    const child = newChild();
    const bad: (string | object)[] = [
      '{not json',
      '[]',
      '"text"',
      '{}',
      { type: 42, secret: SECRET },
      { ...messageNew(child, 'x'), object: {} },
      { ...messageNew(child, 'x'), object: { message: { id: 1, peer_id: 'me', from_id: 1, text: 'x' } } },
      { ...messageEvent(child, { b: 'x' }), object: { user_id: child.id } },
      { ...messageDeny(child), object: { user_id: 'x' } },
    ];
    for (const body of bad) {
      const r = await post(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await post('', 'application/json')).statusCode).toBe(400);
    expect(h.core.of(String(child.id))).toHaveLength(0);
  });

  it('answers ok to event types it does not use, and does nothing', async () => {
    const before = h.core.inbounds.length;
    const r = await h.api.deliver(unknownEvent());
    expect(r).toEqual({ status: 200, text: 'ok' });
    // The community's own outgoing messages and group conversations are not a child's words.
    const child = newChild();
    expect((await h.api.deliver({ ...messageNew(child, 'x'), type: 'message_reply' })).status).toBe(200);
    const group = messageNew(child, 'x');
    (group.object as { message: { peer_id: number } }).message.peer_id = 2_000_000_005;
    expect((await h.api.deliver(group)).status).toBe(200);
    expect(h.core.inbounds.length).toBe(before);
  });
});

describe('vk callback: a child’s conversation', () => {
  it('the Start button gives the start command, and the greeting goes out with inline callback buttons', async () => {
    const child = newChild(0);
    const ev = startButton(child);
    expect(await h.api.deliver(ev)).toEqual({ status: 200, text: 'ok' });
    expect(h.core.of(String(child.id))).toEqual([
      { channel: 'vk', chatKey: String(child.id), userKey: String(child.id), kind: 'command', value: 'start', localeHint: 'ru', platformMessageId: ev.event_id },
    ]);
    const greeting = await h.api.waitFor(() => h.api.sentTo(child.id).find((m) => m.message === 'greeting'));
    expect(greeting.keyboard?.inline).toBe(true);
    const buttons = greeting.keyboard!.buttons.flat();
    expect(buttons.map((b) => b.action.type)).toEqual(['callback', 'callback', 'callback']);
    expect(buttons.map((b) => [...b.action.label].length <= 40)).toEqual([true, true, true]);
    expect(buttons[2]!.action.label.endsWith('…')).toBe(true);
    const payloads = buttons.map((b) => JSON.parse(b.action.payload) as { b: string });
    expect(payloads[0]).toEqual({ b: 'action:counselor' });
    expect(payloads[1]).toEqual({ b: 'goto:selfhelp_menu' });
    // The long value travels as a short key kept in the channel's state.
    expect(payloads[2]!.b).toMatch(/^~[\w-]{22}$/);
    expect(buttons.every((b) => Buffer.byteLength(b.action.payload) <= 255)).toBe(true);
  });

  it('“/start” typed is the start command; “/lang en” switches the language', async () => {
    const child = newChild(3);
    await h.api.deliver(messageNew(child, '/start'));
    await h.api.deliver(messageNew(child, '/lang en'));
    expect(h.core.of(String(child.id)).map((i) => [i.kind, i.value, i.localeHint])).toEqual([
      ['command', 'start', 'en'],
      ['button', 'lang:en', 'en'],
    ]);
  });

  it('a text message becomes a text Inbound with the event id', async () => {
    const child = newChild(0);
    const ev = messageNew(child, 'мне очень плохо');
    expect((await h.api.deliver(ev)).status).toBe(200);
    expect(h.core.of(String(child.id))).toEqual([{ channel: 'vk', chatKey: String(child.id), userKey: String(child.id), kind: 'text', text: 'мне очень плохо', localeHint: 'ru', platformMessageId: ev.event_id }]);
    await h.api.waitFor(() => h.api.sentTo(child.id).find((m) => m.message === 'echo 15'));
  });

  it('a callback button fires message_event: answered with sendMessageEventAnswer, the long value decoded', async () => {
    const child = newChild(0);
    await h.api.deliver(startButton(child));
    const greeting = await h.api.waitFor(() => h.api.sentTo(child.id).find((m) => m.message === 'greeting'));
    const pressed = JSON.parse(greeting.keyboard!.buttons.flat()[2]!.action.payload);
    const ev = messageEvent(child, pressed);
    expect((await h.api.deliver(ev)).status).toBe(200);
    const answer = await h.api.waitFor(() => h.api.callsOf('messages.sendMessageEventAnswer').find((c) => c.params.event_id === (ev.object as { event_id: string }).event_id));
    expect(answer.params).toMatchObject({ user_id: String(child.id), peer_id: String(child.id) });
    const inb = h.core.of(String(child.id)).at(-1)!;
    expect(inb).toMatchObject({ kind: 'button', value: LONG_STEP, platformMessageId: ev.event_id });
    await h.api.waitFor(() => h.api.sentTo(child.id).find((m) => m.message === `pressed ${LONG_STEP}`));
    // A press of a button whose payload is not ours gets the menu.
    await h.api.deliver(messageEvent(child, { something: 'else' }));
    expect(h.core.of(String(child.id)).at(-1)).toMatchObject({ kind: 'button', value: 'action:menu' });
  });

  it('a client without callback buttons gets text buttons, and their payload comes back as a button', async () => {
    const child = newChild(0, { buttonActions: ['text'] });
    await h.api.deliver(startButton(child));
    const greeting = await h.api.waitFor(() => h.api.sentTo(child.id).find((m) => m.message === 'greeting'));
    const buttons = greeting.keyboard!.buttons.flat();
    expect(buttons.map((b) => b.action.type)).toEqual(['text', 'text', 'text']);
    await h.api.deliver(messageNew(child, buttons[0]!.action.label, { payload: buttons[0]!.action.payload }));
    expect(h.core.of(String(child.id)).at(-1)).toMatchObject({ kind: 'button', value: 'action:counselor' });
  });

  it('the same event delivered twice reaches the core with the same platformMessageId and is answered once', async () => {
    const child = newChild(0);
    const ev = messageNew(child, 'привет');
    const [a, b] = await Promise.all([h.api.deliver(ev), h.api.deliver(ev)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await h.api.deliver(ev)).status).toBe(200);
    const seen = h.core.of(String(child.id));
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((i) => i.platformMessageId))).toEqual(new Set([ev.event_id]));
    await sleep(100);
    expect(h.api.sentTo(child.id)).toHaveLength(1);
  });

  it('an event the core could not store gets 500 (VK sends it again), and the redelivery is processed', async () => {
    const child = newChild(0);
    const ev = messageNew(child, 'мне страшно');
    h.core.outcome = () => 'failed';
    try {
      expect((await h.api.deliver(ev)).status).toBe(500);
    } finally {
      h.core.outcome = () => 'processed';
    }
    expect((await h.api.deliver(ev)).status).toBe(200);
    expect(h.core.of(String(child.id)).map((i) => i.platformMessageId)).toEqual([ev.event_id, ev.event_id]);
    await h.api.waitFor(() => h.api.sentTo(child.id).length === 1);
  });

  it('an edit reaches the core as an edit; the child typing is passed on', async () => {
    const child = newChild(0);
    await h.api.deliver(messageEdit(child, 'я передумала'));
    await h.api.deliver(typingState(child));
    expect(h.core.of(String(child.id))).toMatchObject([{ kind: 'edit', text: 'я передумала' }]);
    await h.core.waitFor(() => h.core.typings.find((t) => t.chatKey === String(child.id)));
  });

  it('a 100 KB text is taken whole (the core truncates it)', async () => {
    const child = newChild(0);
    const text = 'я '.repeat(50_000);
    expect((await h.api.deliver(messageNew(child, text))).status).toBe(200);
    expect(h.core.of(String(child.id))[0]!.text).toHaveLength(100_000);
  });
});

describe('vk callback: media', () => {
  it('photos, voice, documents, stickers and locations become media Inbounds; a caption is kept as text', async () => {
    const child = newChild(0);
    await h.api.deliver(photo(child));
    await h.api.deliver(photo(child, 'это я'));
    for (const type of ['audio_message', 'doc', 'sticker', 'video', 'wall']) await h.api.deliver(attachment(child, type));
    await h.api.deliver(location(child));
    const got = h.core.of(String(child.id)).map((i) => (i.kind === 'media' ? i.media : `${i.kind}:${i.text}`));
    expect(got).toEqual(['photo', 'photo', 'text:это я', 'voice', 'document', 'sticker', 'video', 'post', 'location']);
    await h.api.waitFor(() => h.api.sentTo(child.id).filter((m) => m.message === 'media-not-supported').length === 8);
  });
});

describe('vk callback: sending', () => {
  it('message_deny closes the conversation through core.unreachable', async () => {
    const child = newChild(0);
    expect((await h.api.deliver(messageDeny(child))).status).toBe(200);
    const u = await h.core.waitFor(() => h.core.unreachables.find((x) => x.chatKey === String(child.id)));
    expect(u).toEqual({ channel: 'vk', chatKey: String(child.id), note: 'vk: the child blocked the bot; nothing more can be delivered' });
  });

  it('a send refused with 901 (messages turned off) tells the core the child is unreachable', async () => {
    const child = newChild(0);
    h.api.block(child.id);
    await expect(h.channel.sender.send(target(child.id), { type: 'message', text: 'Я здесь' })).rejects.toThrow(/901/);
    await h.core.waitFor(() => h.core.unreachables.find((x) => x.chatKey === String(child.id)));
    for (const code of [900, 902]) {
      const other = newChild(0);
      h.api.failNext('messages.send', { error: code, peer: other.id });
      await expect(h.channel.sender.send(target(other.id), { type: 'message', text: 'Я здесь' })).rejects.toThrow(String(code));
      await h.core.waitFor(() => h.core.unreachables.find((x) => x.chatKey === String(other.id)));
    }
  });

  it('error 6 (too many requests) twice, then success: sent once', async () => {
    const child = newChild(0);
    h.api.failNext('messages.send', { error: 6, peer: child.id, times: 2 });
    const t0 = Date.now();
    await h.channel.sender.send(target(child.id), { type: 'message', text: 'Я здесь' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(h.api.callsOf('messages.send', child.id).map((c) => c.error ?? 200)).toEqual([6, 6, 200]);
    expect(new Set(h.api.callsOf('messages.send', child.id).map((c) => c.params.random_id)).size).toBe(1);
    expect(h.api.sentTo(child.id).map((m) => m.message)).toEqual(['Я здесь']);
  });

  it('HTTP 429 and 502, then success: retried with the same random_id, sent once', async () => {
    const child = newChild(0);
    h.api.failNext('messages.send', { http: 429, peer: child.id });
    h.api.failNext('messages.send', { http: 502, peer: child.id });
    await h.channel.sender.send(target(child.id), { type: 'message', text: 'Я здесь' });
    expect(h.api.callsOf('messages.send', child.id).map((c) => c.status)).toEqual([429, 502, 200]);
    expect(h.api.sentTo(child.id)).toHaveLength(1);
  });

  it('an answer slower than the timeout: sent again with the same random_id, delivered once', async () => {
    const child = newChild(0);
    h.api.failNext('messages.send', { slowMs: 1500, peer: child.id });
    await h.channel.sender.send(target(child.id), { type: 'message', text: 'Я здесь' });
    expect(h.api.callsOf('messages.send', child.id).length).toBe(2);
    expect(h.api.sentTo(child.id)).toHaveLength(1);
  });

  it('long texts are split; queue news goes out as words; typing is messages.setActivity', async () => {
    const child = newChild(0);
    await h.channel.sender.send(target(child.id), { type: 'message', text: 'слово '.repeat(1500), buttons: [{ label: 'Меню', value: 'action:menu' }] });
    const parts = h.api.sentTo(child.id);
    expect(parts).toHaveLength(3);
    expect(parts.every((p) => [...p.message].length <= 4000)).toBe(true);
    expect(parts.map((p) => Boolean(p.keyboard))).toEqual([false, false, true]);
    await h.channel.sender.send(target(child.id), { type: 'queue', position: 2, etaMinutes: 5, text: 'Вы вторые в очереди' });
    expect(h.api.sentTo(child.id).at(-1)!.message).toBe('Вы вторые в очереди');
    await h.channel.sender.send(target(child.id), { type: 'typing' });
    expect(h.api.callsOf('messages.setActivity', child.id).at(-1)!.params).toMatchObject({ type: 'typing', group_id: String(GROUP_ID) });
  });
});
