// The outbox (per-chat order, rate limits, deadlines) with real grammY and auto-retry over HTTP.
import { autoRetry } from '@grammyjs/auto-retry';
import { createServer, type AddressInfo } from 'node:net';
import { Api, HttpError } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Outbox, RateGate, type OutboxOptions } from '../../src/channels/telegram/outbox.js';
import { BotApiStandIn } from './bot-api-stand-in.js';
import { TOKEN } from './harness.js';

let standIn: BotApiStandIn;
const outboxes: Outbox[] = [];

beforeAll(async () => {
  standIn = await BotApiStandIn.start({ token: TOKEN });
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close(0)));
});

const FAST: OutboxOptions = { globalPerSecond: 10_000, chatPerSecond: 10_000, chatBurst: 100, networkRetries: 2, networkBackoffMs: 20 };

function api(opts: Partial<OutboxOptions> | null = {}, apiRoot = standIn.url): { api: Api; outbox?: Outbox } {
  const a = new Api(TOKEN, { apiRoot });
  a.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowHttpErrors: opts !== null }));
  if (opts === null) return { api: a };
  const outbox = new Outbox({ ...FAST, ...opts });
  outboxes.push(outbox);
  a.config.use(outbox.transformer);
  return { api: a, outbox };
}

let chat = 300_000_000;
const nextChat = () => chat++;

describe('RateGate', () => {
  it('lets a burst through, then spaces reservations 1/rate apart, and forgets idle time', () => {
    let now = 0;
    const gate = new RateGate(1, 3, () => now);
    expect([gate.reserve(), gate.reserve(), gate.reserve(), gate.reserve(), gate.reserve()]).toEqual([0, 0, 0, 1000, 2000]);
    now = 10_000;
    expect(gate.idle()).toBe(true);
    expect([gate.reserve(), gate.reserve(), gate.reserve(), gate.reserve()]).toEqual([0, 0, 0, 1000]);
  });

  it('30 per second: the 31st message in the same instant waits one interval', () => {
    const now = 5;
    const gate = new RateGate(30, 30, () => now);
    const waits = Array.from({ length: 31 }, () => gate.reserve());
    expect(waits.slice(0, 30).every((w) => w === 0)).toBe(true);
    expect(waits[30]).toBe(33);
  });
});

describe('Outbox', () => {
  it('keeps one chat in order while a 429 is retried, and another chat does not wait', async () => {
    const { api: a } = api();
    const slow = nextChat();
    const other = nextChat();
    standIn.failNext('sendMessage', { code: 429, retryAfter: 1, chatId: slow });
    const t0 = Date.now();
    const sends = [a.sendMessage(slow, 'one'), a.sendMessage(slow, 'two'), a.sendMessage(slow, 'three')];
    await a.sendMessage(other, 'elsewhere');
    expect(Date.now() - t0).toBeLessThan(500);
    await Promise.all(sends);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(standIn.sentTo(slow).map((m) => m.text)).toEqual(['one', 'two', 'three']);
  });

  it('without the outbox, auto-retry alone lets the next message overtake a retried one (why the outbox exists)', async () => {
    const { api: a } = api(null);
    const slow = nextChat();
    standIn.failNext('sendMessage', { code: 429, retryAfter: 1, chatId: slow });
    await Promise.all([a.sendMessage(slow, 'one'), a.sendMessage(slow, 'two')]);
    expect(standIn.sentTo(slow).map((m) => m.text)).toEqual(['two', 'one']);
  });

  it('spaces messages to one chat at the per-chat rate after a burst', async () => {
    const { api: a } = api({ chatPerSecond: 10, chatBurst: 2 });
    const c = nextChat();
    const t0 = Date.now();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((t) => a.sendMessage(c, t)));
    const at = standIn.callsOf('sendMessage', c).map((x) => x.at);
    expect(standIn.sentTo(c).map((m) => m.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // a, b at once; then c, d, e 100 ms apart: d no sooner than 200 ms, e 300 ms after the start.
    // Measured from the start, not between arrivals: a loaded machine only delays an arrival, and
    // a late c once shrank c → e under the bound (CI, 2 cores busy).
    expect(at[3]! - t0).toBeGreaterThanOrEqual(190);
    expect(at[4]! - t0).toBeGreaterThanOrEqual(290);
  });

  it('keeps all chats together under the global rate', async () => {
    const { api: a } = api({ globalPerSecond: 10 });
    const chats = Array.from({ length: 15 }, () => nextChat());
    const t0 = Date.now();
    await Promise.all(chats.map((c) => a.sendMessage(c, 'hi')));
    // 10 at once (burst), 5 more at 100 ms each.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it('"typing…" does not wait behind a message held by the per-chat rate', async () => {
    const { api: a } = api({ chatPerSecond: 2, chatBurst: 1 });
    const c = nextChat();
    const first = a.sendMessage(c, 'first');
    const second = a.sendMessage(c, 'second');
    await first;
    await a.sendChatAction(c, 'typing');
    await second;
    const calls = standIn.calls.filter((x) => String(x.payload.chat_id) === String(c)).map((x) => x.method);
    expect(calls).toEqual(['sendMessage', 'sendChatAction', 'sendMessage']);
  });

  it('network failures are retried a bounded number of times, then fail without holding the chat', async () => {
    // A server that hangs up on every connection: grammY sees a network error (HttpError).
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const { api: a } = api({ networkRetries: 2, networkBackoffMs: 20 }, `http://127.0.0.1:${port}`);
      const c = nextChat();
      const t0 = Date.now();
      await expect(a.sendMessage(c, 'lost')).rejects.toBeInstanceOf(HttpError);
      expect(connections).toBe(3);
      expect(Date.now() - t0).toBeLessThan(2000);
      // The chat's line is free again: the next call is made (and fails the same way).
      await expect(a.sendMessage(c, 'next')).rejects.toBeInstanceOf(HttpError);
      expect(connections).toBe(6);
    } finally {
      server.close();
    }
  });

  it('forgets idle chats, and close() lets queued messages out', async () => {
    const { api: a, outbox } = api({ chatPerSecond: 20, chatBurst: 1 });
    const c = nextChat();
    const sends = Promise.all(['1', '2', '3'].map((t) => a.sendMessage(c, t)));
    expect(outbox!.pending).toBe(3);
    await outbox!.close(2000);
    await sends;
    expect(standIn.sentTo(c).map((m) => m.text)).toEqual(['1', '2', '3']);
    expect(outbox!.lanesOpen).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    outbox!.sweep();
    expect(outbox!.lanesOpen).toBe(0);
  });
});
