// Long polling (no webhook configured): GET /updates with the marker, back-off on 429/5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMax, type MaxHarness } from './harness.js';
import { botStarted, messageCallback, messageCreated, newChild } from './updates.js';

let h: MaxHarness;

beforeAll(async () => {
  h = await startMax({}, { polling: true });
});
afterAll(async () => {
  await h?.close();
});

describe('max long polling', () => {
  it('checks the token, subscribes nothing, registers no route, and polls with the update types', async () => {
    expect(h.channel.mode).toBe('polling');
    expect(h.api.subscriptions).toEqual([]);
    expect((await h.app.inject({ method: 'POST', url: '/max/webhook', payload: {} })).statusCode).toBe(404);
    const poll = await h.api.waitFor(() => h.api.callsOf('GET /updates')[0]);
    expect(poll.query.types).toBe('bot_started,bot_stopped,message_created,message_callback,message_edited');
  });

  it('start, text and a button arrive in order and are answered; the marker moves on', async () => {
    const child = newChild();
    h.api.push(botStarted(child));
    h.api.push(messageCreated(child, 'hello'));
    h.api.push(messageCallback(child, 'action:counselor'));
    await h.core.waitFor(() => h.core.of(String(child.userId)).length === 3);
    expect(h.core.of(String(child.userId)).map((i) => i.kind)).toEqual(['command', 'text', 'button']);
    await h.api.waitFor(() => h.api.sentTo(child.userId).length === 3);
    expect(h.api.sentTo(child.userId).map((m) => m.text)).toEqual(['greeting', 'echo 5', 'pressed action:counselor']);
    // The next request carries the marker past the batch.
    await h.api.waitFor(() => h.api.callsOf('GET /updates').find((c) => Number(c.query.marker ?? 0) > 1));
    // Nothing is delivered twice by the poller itself.
    expect(h.core.of(String(child.userId))).toHaveLength(3);
  });

  it('backs off on 429 and 5xx, then keeps receiving', async () => {
    const errors = h.channel.stats.pollErrors;
    h.api.failNext('GET /updates', { status: 429 });
    h.api.failNext('GET /updates', { status: 503 });
    // The request waiting now ends empty; the next two fail.
    await h.api.waitFor(() => h.api.callsOf('GET /updates').some((c) => c.status === 503), 5000, 'the 503');
    expect(h.api.callsOf('GET /updates').filter((c) => c.status === 429 || c.status === 503).length).toBe(2);
    const child = newChild();
    h.api.push(messageCreated(child, 'after the errors'));
    await h.core.waitFor(() => h.core.of(String(child.userId)).length === 1, 5000);
    expect(h.channel.stats.pollErrors).toBe(errors + 2);
  });
});
