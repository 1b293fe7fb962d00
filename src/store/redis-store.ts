import { createClient } from 'redis';
import type { Conversation, QueueItem, StoreEvent, TranscriptEntry } from '../core/types.js';
import type { QueuePlace, Unsubscribe } from '../core/ports.js';
import type { PeekedItem, RecordSnapshot } from '../core/records.js';
import type { Retention, Store } from './store.js';
import { StoreTimeout, withTimeout } from './timeout.js';
import { RedisContentVersions } from './redis-content-versions.js';
import { KeyValueStore, LockTimeout, WAIT_SAMPLES, decodeOutbox, placeFromScore, queueScore, retentionFor } from './store.js';

/** A waiter that has not polled for this long is taken to be dead and leaves the lock queue. */
const WAITER_STALE_MS = 2_000;

/**
 * One attempt at the fair lock. KEYS: lock, queue (zset of tokens by ticket), seen (hash token →
 * last poll, ms), ticket counter. ARGV: token, lock ttl ms, stale ms. Returns 1 when the lock is ours.
 */
const FAIR_LOCK_TRY = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[1])
end
redis.call('HSET', KEYS[3], ARGV[1], now)
redis.call('PEXPIRE', KEYS[2], 60000)
redis.call('PEXPIRE', KEYS[3], 60000)
redis.call('PEXPIRE', KEYS[4], 60000)
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head == ARGV[1] then break end
  local seen = tonumber(redis.call('HGET', KEYS[3], head) or '0')
  if now - seen <= tonumber(ARGV[3]) then return 0 end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return 1
end
return 0
`;

/** KEYS: outbox list, sequence counter. ARGV: the snapshot's JSON. Returns the entry's sequence. */
const OUTBOX_PUSH = `
local seq = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], seq .. ' ' .. ARGV[1])
return seq
`;

/** KEYS: outbox list. ARGV: through sequence. Pops entries from the head while their sequence is at most it. */
const OUTBOX_DROP = `
local n = 0
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then break end
  local seq = tonumber(string.match(head, '^(%d+) '))
  if seq and seq > tonumber(ARGV[1]) then break end
  redis.call('LPOP', KEYS[1])
  n = n + 1
end
return n
`;

/** A waiter giving up (timeout) leaves the queue so that it does not hold up the ones behind. */
const FAIR_LOCK_LEAVE = `
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`;
import { randomUUID } from 'node:crypto';

type Client = ReturnType<typeof createClient>;

export { StoreTimeout };

/** Every call that talks to Redis on the main connection (withLock times its own calls). */
const TIMED_CALLS = [
  'getConversation',
  'saveConversation',
  'bindChat',
  'findChat',
  'appendTranscript',
  'getTranscript',
  'enqueue',
  'takeFromQueue',
  'listQueue',
  'queuePosition',
  'queueLength',
  'setActive',
  'listActive',
  'setPresence',
  'clearPresence',
  'listPresent',
  'recordWait',
  'recentWaits',
  'markOnce',
  'countHit',
  'resetCount',
  'unmark',
  'hashSet',
  'hashGet',
  'hashGetAll',
  'hashDel',
  'kvSet',
  'kvGet',
  'kvDel',
  'listPush',
  'listRange',
  'listReplace',
  'publish',
  'ping',
  'pushRecord',
  'peekRecords',
  'dropRecords',
  'recordBacklog',
] as const;

export interface RedisStoreOptions {
  url: string;
  /** Namespace for every key, so several deployments (or test runs) share one Redis. */
  prefix: string;
  retention: Retention;
  /**
   * Every store call fails after this long (ms). A Redis that hangs (stopped, or packets
   * dropped) instead of refusing must not hold a child's reply: the caller gets StoreTimeout
   * and the child the fallback numbers. Default 1000.
   */
  commandTimeoutMs?: number;
  onError?: (err: Error) => void;
}

/**
 * Redis store for production and several instances. Keys of one conversation share a hash tag
 * ({c:ID}) so they live in one Cluster slot; global structures use their own tags.
 */
export class RedisStore extends KeyValueStore implements Store {
  readonly kind = 'redis' as const;
  private client: Client;
  private subscriber: Client;
  private handlers = new Set<(event: StoreEvent) => void>();
  private subscribed: Promise<void> | null = null;
  private p: string;

  private constructor(private opts: RedisStoreOptions) {
    super();
    this.p = opts.prefix;
    const onError = opts.onError ?? (() => {});
    const socket = { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000), connectTimeout: 2000 };
    // Fail fast while disconnected: a child must get the fallback reply, not wait on a queue.
    this.client = createClient({ url: opts.url, socket, disableOfflineQueue: true });
    this.client.on('error', onError);
    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', onError);
    this.contentVersions = new RedisContentVersions(this.client, this.subscriber, this.p, opts.commandTimeoutMs ?? 1000);
  }

  readonly contentVersions: RedisContentVersions;

  static async connect(opts: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(opts);
    store.timeCalls(opts.commandTimeoutMs ?? 1000);
    await store.client.connect();
    await store.subscriber.connect();
    return store;
  }

  /**
   * node-redis times a command out only while it waits to be written; once on the wire it waits
   * for the reply forever, so a Redis that hangs would hold every caller. Each store call races a
   * timer instead. A call that loses the race may still run later, when Redis answers again (on
   * one connection commands run in order, which the inbound use case relies on to undo a late
   * de-duplication mark).
   */
  private timeCalls(ms: number): void {
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of TIMED_CALLS) {
      const call = self[name]!.bind(this);
      self[name] = (...args: unknown[]) => withTimeout(call(...args), ms, name);
    }
    this.timeoutMs = ms;
  }

  private timeoutMs = 1000;

  private conv(id: string) {
    return `${this.p}:{c:${id}}:conv`;
  }
  private log(id: string) {
    return `${this.p}:{c:${id}}:log`;
  }
  private chat(channel: string, chatKey: string) {
    return `${this.p}:{chat:${channel}:${chatKey}}`;
  }
  private get queueKey() {
    return `${this.p}:{queue}:waiting`;
  }
  private get activeKey() {
    return `${this.p}:{queue}:active`;
  }
  private get presenceKey() {
    return `${this.p}:{presence}`;
  }
  private get waitsKey() {
    return `${this.p}:{waits}`;
  }
  private get channelName() {
    return `${this.p}:events`;
  }

  async getConversation(id: string): Promise<Conversation | null> {
    const raw = await this.client.get(this.conv(id));
    return raw ? (JSON.parse(raw) as Conversation) : null;
  }

  async saveConversation(conv: Conversation): Promise<void> {
    const ttl = retentionFor(conv, this.opts.retention);
    await this.client
      .multi()
      .set(this.conv(conv.id), JSON.stringify(conv), { PX: ttl })
      .pExpire(this.log(conv.id), ttl)
      .exec();
  }

  async bindChat(channel: string, chatKey: string, id: string): Promise<void> {
    await this.client.set(this.chat(channel, chatKey), id, { PX: this.opts.retention.handledMs });
  }

  async findChat(channel: string, chatKey: string): Promise<string | null> {
    return (await this.client.get(this.chat(channel, chatKey))) ?? null;
  }

  async appendTranscript(id: string, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry> {
    // The list length after RPUSH is the sequence number: atomic across instances. The seq is
    // stored inside the JSON by a small script so that reads need no index arithmetic.
    // Retention counts from the last activity: every line renews the conversation and its
    // transcript for as long as their kind is kept (a conversation a counselor took: longer).
    const script = `
      local n = redis.call('LLEN', KEYS[1]) + 1
      local item = string.gsub(ARGV[1], '"seq":0', '"seq":' .. n, 1)
      redis.call('RPUSH', KEYS[1], item)
      local conv = redis.call('GET', KEYS[2])
      local ttl = ARGV[2]
      if conv and string.find(conv, '"handled":true', 1, true) then ttl = ARGV[3] end
      if conv then redis.call('PEXPIRE', KEYS[2], ttl) end
      redis.call('PEXPIRE', KEYS[1], ttl)
      return n`;
    const json = JSON.stringify({ seq: 0, ...entry });
    const n = (await this.client.eval(script, {
      keys: [this.log(id), this.conv(id)],
      arguments: [json, String(this.opts.retention.botMs), String(this.opts.retention.handledMs)],
    })) as number;
    return { ...entry, seq: Number(n) } as TranscriptEntry;
  }

  async getTranscript(id: string, afterSeq = 0): Promise<TranscriptEntry[]> {
    const raw = await this.client.lRange(this.log(id), afterSeq, -1);
    return raw.map((r) => JSON.parse(r) as TranscriptEntry);
  }

  async enqueue(id: string, place: QueuePlace): Promise<void> {
    await this.client.zAdd(this.queueKey, { score: queueScore(place), value: id });
  }

  async takeFromQueue(id: string): Promise<boolean> {
    // ZREM is atomic: of concurrent callers exactly one sees 1.
    return (await this.client.zRem(this.queueKey, id)) === 1;
  }

  async listQueue(): Promise<QueueItem[]> {
    const rows = await this.client.zRangeWithScores(this.queueKey, 0, -1);
    return rows.map((r, i) => ({ id: r.value, ...placeFromScore(r.score), position: i + 1 }));
  }

  async queuePosition(id: string): Promise<number | null> {
    const rank = await this.client.zRank(this.queueKey, id);
    return rank === null ? null : rank + 1;
  }

  async queueLength(): Promise<number> {
    return this.client.zCard(this.queueKey);
  }

  async setActive(id: string, active: boolean): Promise<void> {
    if (active) await this.client.sAdd(this.activeKey, id);
    else await this.client.sRem(this.activeKey, id);
  }

  async listActive(): Promise<string[]> {
    return this.client.sMembers(this.activeKey);
  }

  async setPresence(counselorId: string, ttlMs: number): Promise<void> {
    await this.client.zAdd(this.presenceKey, { score: Date.now() + ttlMs, value: counselorId });
  }

  async clearPresence(counselorId: string): Promise<void> {
    await this.client.zRem(this.presenceKey, counselorId);
  }

  async listPresent(): Promise<string[]> {
    const now = Date.now();
    await this.client.zRemRangeByScore(this.presenceKey, '-inf', now);
    return this.client.zRange(this.presenceKey, 0, -1);
  }

  async recordWait(ms: number): Promise<void> {
    await this.client.multi().lPush(this.waitsKey, String(ms)).lTrim(this.waitsKey, 0, WAIT_SAMPLES - 1).exec();
  }

  async recentWaits(): Promise<number[]> {
    return (await this.client.lRange(this.waitsKey, 0, -1)).map(Number);
  }

  async markOnce(key: string, ttlMs: number): Promise<boolean> {
    const r = await this.client.set(`${this.p}:{once:${key}}`, '1', { NX: true, PX: ttlMs });
    return r === 'OK';
  }

  async countHit(key: string, windowMs: number): Promise<number> {
    const k = `${this.p}:{count:${key}}`;
    // The window starts at the first hit (PEXPIRE NX); INCR and PEXPIRE travel in one round trip.
    const [n] = (await this.client.multi().incr(k).pExpire(k, windowMs, 'NX').exec()) as unknown as [number, number];
    return Number(n);
  }

  async resetCount(key: string): Promise<void> {
    await this.client.del(`${this.p}:{count:${key}}`);
  }

  async unmark(key: string): Promise<void> {
    await this.client.del(`${this.p}:{once:${key}}`);
  }

  private h(name: string) {
    return `${this.p}:{h:${name}}`;
  }

  async hashSet(name: string, field: string, value: string): Promise<void> {
    await this.client.hSet(this.h(name), field, value);
  }

  async hashGet(name: string, field: string): Promise<string | null> {
    return (await this.client.hGet(this.h(name), field)) ?? null;
  }

  async hashGetAll(name: string): Promise<Record<string, string>> {
    return { ...(await this.client.hGetAll(this.h(name))) };
  }

  async hashDel(name: string, field: string): Promise<void> {
    await this.client.hDel(this.h(name), field);
  }

  async kvSet(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.client.set(`${this.p}:{kv:${key}}`, value, { PX: ttlMs });
    else await this.client.set(`${this.p}:{kv:${key}}`, value);
  }

  async kvGet(key: string): Promise<string | null> {
    return (await this.client.get(`${this.p}:{kv:${key}}`)) ?? null;
  }

  async kvDel(key: string): Promise<void> {
    await this.client.del(`${this.p}:{kv:${key}}`);
  }

  async listPush(name: string, value: string, maxLength: number): Promise<void> {
    const k = `${this.p}:{l:${name}}`;
    await this.client.multi().lPush(k, value).lTrim(k, 0, maxLength - 1).exec();
  }

  async listReplace(name: string, values: string[]): Promise<void> {
    const k = `${this.p}:{l:${name}}`;
    const m = this.client.multi().del(k);
    if (values.length) m.rPush(k, values);
    await m.exec();
  }

  async listRange(name: string, count: number): Promise<string[]> {
    return this.client.lRange(`${this.p}:{l:${name}}`, 0, count - 1);
  }

  private get outboxKey() {
    return `${this.p}:{records}:outbox`;
  }

  async pushRecord(snapshot: RecordSnapshot): Promise<number> {
    return Number(await this.client.eval(OUTBOX_PUSH, { keys: [this.outboxKey, `${this.p}:{records}:seq`], arguments: [JSON.stringify(snapshot)] }));
  }

  async peekRecords(n: number): Promise<PeekedItem[]> {
    return (await this.client.lRange(this.outboxKey, 0, n - 1)).map(decodeOutbox);
  }

  async dropRecords(throughSeq: number): Promise<void> {
    await this.client.eval(OUTBOX_DROP, { keys: [this.outboxKey], arguments: [String(throughSeq)] });
  }

  async recordBacklog(): Promise<number> {
    return this.client.lLen(this.outboxKey);
  }

  async withLock<T>(name: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
    // First come, first served across instances: a waiter takes a ticket in a queue and gets the
    // lock only at the queue's head, so one child's messages keep their order even when they
    // reach different instances. A waiter that stops polling (its process died) drops out after
    // WAITER_STALE_MS; a holder that dies loses the lock after ttlMs.
    const base = `${this.p}:{lock:${name}}`;
    const keys = [base, `${base}:q`, `${base}:seen`, `${base}:n`];
    const token = randomUUID();
    const ttl = opts.ttlMs ?? 15_000;
    const deadline = Date.now() + (opts.waitMs ?? 10_000);
    let delay = 2;
    for (;;) {
      const got = await withTimeout(this.client.eval(FAIR_LOCK_TRY, { keys, arguments: [token, String(ttl), String(WAITER_STALE_MS)] }), this.timeoutMs, 'withLock');
      if (got === 1) break;
      if (Date.now() > deadline) {
        await this.client.eval(FAIR_LOCK_LEAVE, { keys, arguments: [token] }).catch(() => undefined);
        throw new LockTimeout(name);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 20);
    }
    try {
      return await fn();
    } finally {
      // Release only our own lock: it may have expired and been taken by another instance.
      await withTimeout(
        this.client.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end", {
          keys: [base],
          arguments: [token],
        }),
        this.timeoutMs,
        'unlock',
      ).catch(() => undefined);
    }
  }

  async publish(event: StoreEvent): Promise<void> {
    await this.client.publish(this.channelName, JSON.stringify(event));
  }

  subscribe(handler: (event: StoreEvent) => void): Unsubscribe {
    this.handlers.add(handler);
    if (!this.subscribed) {
      this.subscribed = this.subscriber.subscribe(this.channelName, (message) => {
        let event: StoreEvent;
        try {
          event = JSON.parse(message) as StoreEvent;
        } catch {
          return;
        }
        for (const h of this.handlers) h(event);
      });
    }
    return () => this.handlers.delete(handler);
  }

  /** Resolves once the subscriber connection listens (tests wait on it before publishing). */
  async ready(): Promise<void> {
    if (this.subscribed) await this.subscribed;
    await this.contentVersions.ready();
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.close(), this.client.close()]);
  }
}
