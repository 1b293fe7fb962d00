// Bots Long Poll (no callback configured) through vk-io's transport against the stand-in's /lp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, messageNew, newChild, photo, startButton } from './events.js';
import { startVk, type VkHarness } from './harness.js';

let h: VkHarness;

beforeAll(async () => {
  h = await startVk({}, { polling: true });
});
afterAll(async () => {
  await h?.close();
});

describe('vk long poll', () => {
  it('checks the token, gets the Long Poll server of the community, and registers no route', async () => {
    expect(h.channel.mode).toBe('polling');
    expect(h.api.callsOf('groups.getById')).toHaveLength(1);
    expect(h.api.callsOf('groups.getLongPollServer')[0]!.params.group_id).toBe(String(h.channel['settings'].groupId));
    expect((await h.app.inject({ method: 'POST', url: '/vk/callback', payload: {} })).statusCode).toBe(404);
  });

  it('start, text, a button and media arrive as Inbounds with their event ids, and are answered', async () => {
    const child = newChild(3);
    const events = [startButton(child), messageNew(child, 'hello'), photo(child)];
    for (const e of events) h.api.push(e);
    await h.core.waitFor(() => h.core.of(String(child.id)).length === 3);
    expect(h.core.of(String(child.id)).map((i) => [i.kind, i.value ?? i.text ?? i.media, i.platformMessageId])).toEqual([
      ['command', 'start', events[0]!.event_id],
      ['text', 'hello', events[1]!.event_id],
      ['media', 'photo', events[2]!.event_id],
    ]);
    // One chat's events are handled in order.
    await h.api.waitFor(() => h.api.sentTo(child.id).length === 3);
    expect(h.api.sentTo(child.id).map((m) => m.message)).toEqual(['greeting', 'echo 5', 'media-not-supported']);
    h.api.push(messageEvent(child, { b: 'action:counselor' }));
    await h.core.waitFor(() => h.core.of(String(child.id)).find((i) => i.kind === 'button'));
    await h.api.waitFor(() => h.api.callsOf('messages.sendMessageEventAnswer').length > 0);
  });

  it('handles failed 1 (new ts), 2 (key expired) and 3 (history lost) as vk-io does, and keeps receiving', async () => {
    for (const n of [1, 2, 3] as const) {
      const servers = h.api.callsOf('groups.getLongPollServer').length;
      h.api.failPoll(n);
      // Wake the waiting request so the fault is answered.
      const child = newChild(0);
      h.api.push(messageNew(child, `after failed ${n} (woken)`));
      if (n !== 1) await h.api.waitFor(() => h.api.callsOf('groups.getLongPollServer').length > servers, 5000, 'a new Long Poll server');
      const after = newChild(0);
      h.api.push(messageNew(after, `after failed ${n}`));
      await h.core.waitFor(() => h.core.of(String(after.id)).length === 1, 8000, `a message after failed ${n}`);
    }
  });

  it('a replayed event reaches the core with the same event id (the core answers it once)', async () => {
    const child = newChild(0);
    const e = messageNew(child, 'twice');
    h.api.push(e);
    h.api.push(e);
    await h.core.waitFor(() => h.core.of(String(child.id)).length === 2);
    expect(new Set(h.core.of(String(child.id)).map((i) => i.platformMessageId)).size).toBe(1);
    await h.api.waitFor(() => h.api.sentTo(child.id).length === 1);
  });
});
