import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation, StoreEvent } from '../../src/core/types.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { REDIS_URL, implementations } from './implementations.js';

function conv(over: Partial<Conversation> = {}): Conversation {
  const at = Date.now();
  return {
    id: randomUUID(),
    channel: 'webchat',
    chatKey: `k-${randomUUID()}`,
    locale: 'ru',
    state: 'bot',
    risk: 'none',
    topic: 'other',
    createdAt: at,
    updatedAt: at,
    meta: {},
    ...over,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(fn: () => T | undefined, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

for (const impl of implementations) {
  describe(`store contract: ${impl.name}`, () => {
    const opened: Store[] = [];
    const make = async (r?: Parameters<typeof impl.make>[0]) => {
      const s = await impl.make(r);
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('saves, reads and binds conversations', async () => {
      const s = await make();
      const c = conv({ meta: { ageGroup: '12-14' } });
      expect(await s.getConversation(c.id)).toBeNull();
      await s.saveConversation(c);
      expect(await s.getConversation(c.id)).toEqual(c);
      await s.bindChat('telegram', '42', c.id);
      expect(await s.findChat('telegram', '42')).toBe(c.id);
      expect(await s.findChat('telegram', '43')).toBeNull();
    });

    it('appends transcripts with increasing sequence numbers, also under concurrency', async () => {
      const s = await make();
      const c = conv();
      await s.saveConversation(c);
      const entries = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.appendTranscript(c.id, { at: i, from: 'child', text: `m${i} "seq":0 ✓` })),
      );
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const all = await s.getTranscript(c.id);
      expect(all).toHaveLength(20);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(all.find((e) => e.seq === entries[3]!.seq)!.text).toBe(entries[3]!.text);
      expect(await s.getTranscript(c.id, 18)).toHaveLength(2);
    });

    it('orders the queue by risk, then by waiting time, with cheap positions', async () => {
      const s = await make();
      const t = Date.now();
      await s.enqueue('low-old', { risk: 'low', waitingSince: t - 50_000, returned: false });
      await s.enqueue('high-new', { risk: 'high', waitingSince: t, returned: false });
      await s.enqueue('imminent', { risk: 'imminent', waitingSince: t + 10, returned: false });
      await s.enqueue('high-old', { risk: 'high', waitingSince: t - 1000, returned: false });
      await s.enqueue('medium', { risk: 'medium', waitingSince: t - 99_000, returned: false });
      const q = await s.listQueue();
      expect(q.map((i) => i.id)).toEqual(['imminent', 'high-old', 'high-new', 'medium', 'low-old']);
      expect(q.map((i) => i.risk)).toEqual(['imminent', 'high', 'high', 'medium', 'low']);
      expect(q[1]!.waitingSince).toBe(t - 1000);
      expect(await s.queuePosition('high-new')).toBe(3);
      expect(await s.queuePosition('nobody')).toBeNull();
      expect(await s.queueLength()).toBe(5);
      // Re-scoring a waiting child moves it up.
      await s.enqueue('low-old', { risk: 'imminent', waitingSince: t - 50_000, returned: false });
      expect(await s.queuePosition('low-old')).toBe(1);
    });

    it('serves a child returned by a counselor first within its risk, and keeps its real waiting time', async () => {
      const s = await make();
      const t = Date.now();
      await s.enqueue('high-old', { risk: 'high', waitingSince: t - 60_000, returned: false });
      await s.enqueue('back', { risk: 'high', waitingSince: t, returned: true });
      await s.enqueue('imminent', { risk: 'imminent', waitingSince: t + 5, returned: false });
      await s.enqueue('back-earlier', { risk: 'high', waitingSince: t - 5, returned: true });
      const q = await s.listQueue();
      expect(q.map((i) => i.id)).toEqual(['imminent', 'back-earlier', 'back', 'high-old']);
      expect(q.map((i) => i.returned)).toEqual([false, true, true, false]);
      expect(q.map((i) => i.waitingSince)).toEqual([t + 5, t - 5, t, t - 60_000]);
      expect(q.map((i) => i.risk)).toEqual(['imminent', 'high', 'high', 'high']);
      expect(await s.queuePosition('back')).toBe(3);
      // A possible flood waits behind every other child, whatever its risk, in its own order.
      await s.enqueue('flood-imminent', { risk: 'imminent', waitingSince: t - 99_000, returned: false, flood: true });
      await s.enqueue('flood-high', { risk: 'high', waitingSince: t - 99_000, returned: false, flood: true });
      await s.enqueue('calm', { risk: 'none', waitingSince: t + 9, returned: false });
      const all = await s.listQueue();
      expect(all.map((i) => i.id)).toEqual(['imminent', 'back-earlier', 'back', 'high-old', 'calm', 'flood-imminent', 'flood-high']);
      expect(all.slice(-2).map((i) => [i.risk, i.flood, i.waitingSince])).toEqual([
        ['imminent', true, t - 99_000],
        ['high', true, t - 99_000],
      ]);
    });

    it('counts hits per key within a window shared by every client', async () => {
      const s = await make();
      expect(await s.countHit('k', 200)).toBe(1);
      expect(await s.countHit('k', 200)).toBe(2);
      expect(await s.countHit('other', 200)).toBe(1);
      await sleep(260);
      expect(await s.countHit('k', 200)).toBe(1);
    });

    it('lets exactly one of many concurrent claimers win', async () => {
      const s = await make();
      await s.enqueue('c1', { risk: 'high', waitingSince: Date.now(), returned: false });
      const results = await Promise.all(Array.from({ length: 10 }, () => s.takeFromQueue('c1')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await s.queuePosition('c1')).toBeNull();
      expect(await s.takeFromQueue('c1')).toBe(false);
    });

    it('counts retention from the last activity: a chat that keeps talking is never purged mid-conversation', async () => {
      const s = await make({ botMs: 250, handledMs: 60_000 });
      const live = conv();
      await s.saveConversation(live);
      // Writing every 100 ms for 600 ms: well past the 250 ms retention since the last save.
      for (let i = 0; i < 6; i++) {
        await s.appendTranscript(live.id, { at: i, from: 'child', text: `m${i}` });
        await sleep(100);
      }
      expect(await s.getConversation(live.id)).not.toBeNull();
      expect(await s.getTranscript(live.id)).toHaveLength(6);
      await sleep(400);
      expect(await s.getConversation(live.id)).toBeNull();
      expect(await s.getTranscript(live.id)).toEqual([]);
    });

    it('expires bot-only conversations and transcripts after the retention', async () => {
      const s = await make({ botMs: 150, handledMs: 60_000 });
      const bot = conv();
      const handled = conv({ handled: true });
      await s.saveConversation(bot);
      await s.saveConversation(handled);
      await s.appendTranscript(bot.id, { at: 1, from: 'child', text: 'x' });
      await s.appendTranscript(handled.id, { at: 1, from: 'child', text: 'y' });
      await sleep(300);
      expect(await s.getConversation(bot.id)).toBeNull();
      expect(await s.getTranscript(bot.id)).toEqual([]);
      expect(await s.getConversation(handled.id)).not.toBeNull();
      expect(await s.getTranscript(handled.id)).toHaveLength(1);
    });

    it('keeps presence with a TTL, active set, recent waits', async () => {
      const s = await make();
      await s.setPresence('anna', 10_000);
      await s.setPresence('boris', 50);
      await sleep(120);
      expect(await s.listPresent()).toEqual(['anna']);
      await s.clearPresence('anna');
      expect(await s.listPresent()).toEqual([]);
      await s.setActive('x', true);
      await s.setActive('y', true);
      await s.setActive('x', false);
      expect(await s.listActive()).toEqual(['y']);
      for (let i = 0; i < 60; i++) await s.recordWait(i);
      const waits = await s.recentWaits();
      expect(waits).toHaveLength(50);
      expect(waits[0]).toBe(59);
    });

    it('marks keys once, and forgets them on unmark', async () => {
      const s = await make();
      expect(await s.markOnce('u:1', 10_000)).toBe(true);
      expect(await s.markOnce('u:1', 10_000)).toBe(false);
      await s.unmark('u:1');
      expect(await s.markOnce('u:1', 10_000)).toBe(true);
      expect(await s.markOnce('u:2', 50)).toBe(true);
      await sleep(120);
      expect(await s.markOnce('u:2', 50)).toBe(true);
    });

    it('stores hashes, values with TTL and capped lists', async () => {
      const s = await make();
      await s.hashSet('accounts', 'anna', '{"role":"counselor"}');
      await s.hashSet('accounts', 'boris', '{}');
      expect(await s.hashGet('accounts', 'anna')).toBe('{"role":"counselor"}');
      await s.hashDel('accounts', 'boris');
      expect(await s.hashGetAll('accounts')).toEqual({ anna: '{"role":"counselor"}' });
      await s.kvSet('session:1', 'v', 50);
      await s.kvSet('forever', 'w');
      expect(await s.kvGet('session:1')).toBe('v');
      await sleep(120);
      expect(await s.kvGet('session:1')).toBeNull();
      expect(await s.kvGet('forever')).toBe('w');
      await s.kvDel('forever');
      expect(await s.kvGet('forever')).toBeNull();
      for (let i = 0; i < 5; i++) await s.listPush('audit', `e${i}`, 3);
      expect(await s.listRange('audit', 10)).toEqual(['e4', 'e3', 'e2']);
    });

    it('runs locked sections one at a time, and releases the lock when fn throws', async () => {
      const s = await make();
      let inside = 0;
      let maxInside = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          s.withLock('conv:x', async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            await sleep(5);
            order.push(i);
            inside--;
          }),
        ),
      );
      expect(maxInside).toBe(1);
      expect(order).toHaveLength(8);
      await expect(s.withLock('conv:y', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await s.withLock('conv:y', async () => 'free again')).toBe('free again');
    });

    it('fans events out to every subscriber', async () => {
      const s = await make();
      const a: StoreEvent[] = [];
      const b: StoreEvent[] = [];
      s.subscribe((e) => a.push(e));
      const off = s.subscribe((e) => b.push(e));
      if (s instanceof RedisStore) await s.ready();
      await s.publish({ type: 'queue' });
      await waitFor(() => (a.length && b.length ? true : undefined));
      off();
      await s.publish({ type: 'alert', id: 'x', risk: 'high', topic: 'suicide' });
      await waitFor(() => (a.length === 2 ? true : undefined));
      await sleep(50);
      expect(b).toHaveLength(1);
      expect(a[1]).toEqual({ type: 'alert', id: 'x', risk: 'high', topic: 'suicide' });
    });

    it('knows whether a child is there: a beat makes them online until its lifetime ends, gone keeps the time', async () => {
      const s = await make();
      expect((await s.childPresence(['never'])).get('never')).toEqual({ online: false, lastSeen: null });
      await s.childBeat('a', 1000, 60_000);
      await s.childBeat('b', 2000, 80);
      expect(Object.fromEntries(await s.childPresence(['a', 'b']))).toEqual({ a: { online: true, lastSeen: 1000 }, b: { online: true, lastSeen: 2000 } });
      await s.childGone('a', 5000);
      await sleep(150);
      // a left at 5000; b's page stopped beating and its lifetime ran out (a crashed instance).
      expect(Object.fromEntries(await s.childPresence(['a', 'b']))).toEqual({ a: { online: false, lastSeen: 5000 }, b: { online: false, lastSeen: 2000 } });
      await s.childBeat('a', 9000, 60_000);
      expect((await s.childPresence(['a'])).get('a')).toEqual({ online: true, lastSeen: 9000 });
    });

    it('counts heavy chats per counselor since a time', async () => {
      const s = await make();
      for (const at of [100, 200, 300]) await s.recordHeavyChat('anna', at);
      await s.recordHeavyChat('boris', 250);
      expect(Object.fromEntries(await s.heavyChats(['anna', 'boris', 'vera'], 200))).toEqual({ anna: 2, boris: 1, vera: 0 });
      expect((await s.heavyChats(['anna'], 0)).get('anna')).toBe(3);
    });

    it('keeps a block per identity until its lifetime ends; a cleared or broken one is none', async () => {
      const s = await make();
      expect(await s.getBlock('id-1')).toBeNull();
      await s.setBlock('id-1', { until: 123, reason: 'abuse', by: 'sveta' }, 150);
      await s.setBlock('id-2', { until: 456, reason: 'spam', by: 'sveta' }, 60_000);
      expect(await s.getBlock('id-1')).toEqual({ until: 123, reason: 'abuse', by: 'sveta' });
      await s.clearBlock('id-2');
      expect(await s.getBlock('id-2')).toBeNull();
      await new Promise((r) => setTimeout(r, 300));
      expect(await s.getBlock('id-1')).toBeNull();
      await s.kvSet('block:id-3', '{not json', 60_000);
      expect(await s.getBlock('id-3')).toBeNull();
    });
  });
}

describe('store contract: across two Redis clients', () => {
  it('one claim wins across processes sharing a prefix, and events cross clients', async () => {
    const prefix = `test-${randomUUID()}`;
    const retention = { botMs: 60_000, handledMs: 60_000 };
    const a = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    const b = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    try {
      const got: StoreEvent[] = [];
      b.subscribe((e) => got.push(e));
      await b.ready();
      for (let i = 0; i < 20; i++) {
        await a.enqueue(`c${i}`, { risk: 'high', waitingSince: Date.now(), returned: false });
        const [x, y] = await Promise.all([a.takeFromQueue(`c${i}`), b.takeFromQueue(`c${i}`)]);
        expect(Number(x) + Number(y)).toBe(1);
      }
      await a.publish({ type: 'queue' });
      await waitFor(() => (got.length ? true : undefined));
      expect(got[0]).toEqual({ type: 'queue' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('excludes two clients from one lock, and a dead holder\'s lock expires', async () => {
    const prefix = `test-${randomUUID()}`;
    const retention = { botMs: 60_000, handledMs: 60_000 };
    const a = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    const b = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    try {
      const log: string[] = [];
      await Promise.all([
        a.withLock('conv:z', async () => {
          log.push('a-in');
          await sleep(50);
          log.push('a-out');
        }),
        sleep(5).then(() =>
          b.withLock('conv:z', async () => {
            log.push('b-in');
            log.push('b-out');
          }),
        ),
      ]);
      expect(log).toEqual(['a-in', 'a-out', 'b-in', 'b-out']);
      // A holder that never releases (killed): its lock expires after the TTL.
      const { createClient } = await import('redis');
      const raw = createClient({ url: REDIS_URL });
      await raw.connect();
      await raw.set(`${prefix}:{lock:conv:dead}`, 'someone-dead', { PX: 100 });
      // Measured from the set: closing the raw client took 65 ms once on a loaded machine, and a
      // clock started after it saw only the lock's last 35 ms.
      const setAt = Date.now();
      await raw.close();
      await b.withLock('conv:dead', async () => undefined);
      expect(Date.now() - setAt).toBeGreaterThanOrEqual(90);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('grants one lock first come, first served across clients, and skips a waiter that died', async () => {
    const prefix = `test-${randomUUID()}`;
    const retention = { botMs: 60_000, handledMs: 60_000 };
    const a = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    const b = await RedisStore.connect({ url: REDIS_URL, prefix, retention });
    try {
      const order: number[] = [];
      const holder = a.withLock('conv:fair', () => sleep(400));
      await sleep(10);
      // Eight waiters arrive 40 ms apart, alternating between the two clients (10 ms apart, two
      // timers fired together once when the suite's two workers kept both cores busy, and the
      // later waiter reached Redis first).
      const waiters = Array.from({ length: 8 }, (_, i) =>
        sleep(i * 40).then(() => (i % 2 ? a : b).withLock('conv:fair', async () => {
          order.push(i);
          await sleep(5);
        })),
      );
      await Promise.all([holder, ...waiters]);
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

      // A waiter that queued and then vanished (its process was killed) does not block the lock.
      const { createClient } = await import('redis');
      const raw = createClient({ url: REDIS_URL });
      await raw.connect();
      await raw.zAdd(`${prefix}:{lock:conv:ghost}:q`, { score: 0, value: 'ghost' });
      await raw.hSet(`${prefix}:{lock:conv:ghost}:seen`, 'ghost', String(Date.now() - 60_000));
      await raw.close();
      expect(await b.withLock('conv:ghost', async () => 'through')).toBe('through');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps keys of one conversation in one Cluster hash slot', async () => {
    const prefix = `test-${randomUUID()}`;
    const s = await RedisStore.connect({ url: REDIS_URL, prefix, retention: { botMs: 60_000, handledMs: 60_000 } });
    try {
      const c = conv();
      await s.saveConversation(c);
      await s.appendTranscript(c.id, { at: 1, from: 'child', text: 'x' });
      const { createClient } = await import('redis');
      const raw = createClient({ url: REDIS_URL });
      await raw.connect();
      const keys = await raw.keys(`${prefix}:*`);
      await raw.close();
      const tags = keys.map((k) => /\{([^}]*)\}/.exec(k)?.[1]);
      expect(tags.every((t) => t === `c:${c.id}`)).toBe(true);
      expect(keys).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});
