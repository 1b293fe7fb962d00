import { MemoryContentVersions } from './memory-content-versions.js';
import { EventEmitter } from 'node:events';
import type { Conversation, QueueItem, StoreEvent, TranscriptEntry } from '../core/types.js';
import type { QueuePlace, Unsubscribe } from '../core/ports.js';
import type { PeekedItem, RecordSnapshot } from '../core/records.js';
import type { Retention, Store } from './store.js';
import { KeyValueStore, WAIT_SAMPLES, decodeOutbox, encodeOutbox, outboxSeq, placeFromScore, queueScore, retentionFor } from './store.js';
import { KeyedLock } from '../core/use-cases/keyed-lock.js';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** In-process store: the embedded default. Nothing survives a restart. */
export class MemoryStore extends KeyValueStore implements Store {
  readonly contentVersions = new MemoryContentVersions();
  readonly kind = 'memory' as const;
  private conversations = new Map<string, Expiring<Conversation>>();
  private transcripts = new Map<string, Expiring<TranscriptEntry[]>>();
  private chats = new Map<string, Expiring<string>>();
  private queue = new Map<string, number>();
  private active = new Set<string>();
  private presence = new Map<string, number>();
  private waits: number[] = [];
  private marks = new Map<string, number>();
  private hashes = new Map<string, Map<string, string>>();
  private kv = new Map<string, Expiring<string>>();
  private lists = new Map<string, string[]>();
  private events = new EventEmitter();
  private outbox: string[] = [];
  private outboxSeq = 0;
  private locks = new KeyedLock();
  private sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private retention: Retention) {
    super();
    this.events.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const item = map.get(key);
    if (!item) return undefined;
    if (item.expiresAt <= Date.now()) {
      map.delete(key);
      return undefined;
    }
    return item.value;
  }

  private sweep(): void {
    const now = Date.now();
    for (const map of [this.conversations, this.transcripts, this.chats, this.kv] as Map<string, Expiring<unknown>>[]) {
      for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
    }
    for (const [k, exp] of this.marks) if (exp <= now) this.marks.delete(k);
    for (const [k, exp] of this.presence) if (exp <= now) this.presence.delete(k);
  }

  private check(): void {
    if (this.closed) throw new Error('store is closed');
  }

  async getConversation(id: string): Promise<Conversation | null> {
    this.check();
    const c = this.live(this.conversations, id);
    return c ? structuredClone(c) : null;
  }

  async saveConversation(conv: Conversation): Promise<void> {
    this.check();
    const expiresAt = Date.now() + retentionFor(conv, this.retention);
    this.conversations.set(conv.id, { value: structuredClone(conv), expiresAt });
    const t = this.transcripts.get(conv.id);
    if (t) t.expiresAt = expiresAt;
  }

  async bindChat(channel: string, chatKey: string, id: string): Promise<void> {
    this.check();
    this.chats.set(`${channel}:${chatKey}`, { value: id, expiresAt: Date.now() + this.retention.handledMs });
  }

  async findChat(channel: string, chatKey: string): Promise<string | null> {
    this.check();
    return this.live(this.chats, `${channel}:${chatKey}`) ?? null;
  }

  async appendTranscript(id: string, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry> {
    this.check();
    // Retention counts from the last activity: every line keeps the conversation and its transcript alive.
    const conv = this.conversations.get(id);
    const expiresAt = Date.now() + (conv && conv.expiresAt > Date.now() ? retentionFor(conv.value, this.retention) : this.retention.botMs);
    if (conv && conv.expiresAt > Date.now()) conv.expiresAt = expiresAt;
    let list = this.live(this.transcripts, id);
    if (!list) {
      list = [];
      this.transcripts.set(id, { value: list, expiresAt });
    } else this.transcripts.get(id)!.expiresAt = expiresAt;
    const full = { ...structuredClone(entry), seq: list.length + 1 } as TranscriptEntry;
    list.push(full);
    return structuredClone(full);
  }

  async getTranscript(id: string, afterSeq = 0): Promise<TranscriptEntry[]> {
    this.check();
    const list = this.live(this.transcripts, id) ?? [];
    return structuredClone(list.filter((e) => e.seq > afterSeq));
  }

  async enqueue(id: string, place: QueuePlace): Promise<void> {
    this.check();
    this.queue.set(id, queueScore(place));
  }

  async takeFromQueue(id: string): Promise<boolean> {
    this.check();
    return this.queue.delete(id);
  }

  private sorted(): [string, number][] {
    return [...this.queue.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  }

  async listQueue(): Promise<QueueItem[]> {
    this.check();
    return this.sorted().map(([id, score], i) => ({ id, ...placeFromScore(score), position: i + 1 }));
  }

  async queuePosition(id: string): Promise<number | null> {
    this.check();
    const score = this.queue.get(id);
    if (score === undefined) return null;
    let ahead = 0;
    for (const [other, s] of this.queue) if (s < score || (s === score && other < id)) ahead++;
    return ahead + 1;
  }

  async queueLength(): Promise<number> {
    this.check();
    return this.queue.size;
  }

  async setActive(id: string, active: boolean): Promise<void> {
    this.check();
    if (active) this.active.add(id);
    else this.active.delete(id);
  }

  async listActive(): Promise<string[]> {
    this.check();
    return [...this.active];
  }

  async setPresence(counselorId: string, ttlMs: number): Promise<void> {
    this.check();
    this.presence.set(counselorId, Date.now() + ttlMs);
  }

  async clearPresence(counselorId: string): Promise<void> {
    this.check();
    this.presence.delete(counselorId);
  }

  async listPresent(): Promise<string[]> {
    this.check();
    const now = Date.now();
    return [...this.presence.entries()].filter(([, exp]) => exp > now).map(([id]) => id);
  }

  async recordWait(ms: number): Promise<void> {
    this.check();
    this.waits.unshift(ms);
    this.waits.length = Math.min(this.waits.length, WAIT_SAMPLES);
  }

  async recentWaits(): Promise<number[]> {
    this.check();
    return [...this.waits];
  }

  async markOnce(key: string, ttlMs: number): Promise<boolean> {
    this.check();
    const exp = this.marks.get(key);
    if (exp !== undefined && exp > Date.now()) return false;
    this.marks.set(key, Date.now() + ttlMs);
    return true;
  }

  private counters = new Map<string, { n: number; until: number }>();

  async countHit(key: string, windowMs: number): Promise<number> {
    this.check();
    const now = Date.now();
    const c = this.counters.get(key);
    if (!c || c.until <= now) {
      if (this.counters.size > 100_000) for (const [k, v] of this.counters) if (v.until <= now) this.counters.delete(k);
      this.counters.set(key, { n: 1, until: now + windowMs });
      return 1;
    }
    return ++c.n;
  }

  async resetCount(key: string): Promise<void> {
    this.check();
    this.counters.delete(key);
  }

  async unmark(key: string): Promise<void> {
    this.check();
    this.marks.delete(key);
  }

  async hashSet(name: string, field: string, value: string): Promise<void> {
    this.check();
    let h = this.hashes.get(name);
    if (!h) this.hashes.set(name, (h = new Map()));
    h.set(field, value);
  }

  async hashGet(name: string, field: string): Promise<string | null> {
    this.check();
    return this.hashes.get(name)?.get(field) ?? null;
  }

  async hashGetAll(name: string): Promise<Record<string, string>> {
    this.check();
    return Object.fromEntries(this.hashes.get(name) ?? []);
  }

  async hashDel(name: string, field: string): Promise<void> {
    this.check();
    this.hashes.get(name)?.delete(field);
  }

  async kvSet(key: string, value: string, ttlMs?: number): Promise<void> {
    this.check();
    this.kv.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : Number.POSITIVE_INFINITY });
  }

  async kvGet(key: string): Promise<string | null> {
    this.check();
    return this.live(this.kv, key) ?? null;
  }

  async kvDel(key: string): Promise<void> {
    this.check();
    this.kv.delete(key);
  }

  async listPush(name: string, value: string, maxLength: number): Promise<void> {
    this.check();
    let l = this.lists.get(name);
    if (!l) this.lists.set(name, (l = []));
    l.unshift(value);
    if (l.length > maxLength) l.length = maxLength;
  }

  async listReplace(name: string, values: string[]): Promise<void> {
    this.check();
    this.lists.set(name, [...values]);
  }

  async listRange(name: string, count: number): Promise<string[]> {
    this.check();
    return (this.lists.get(name) ?? []).slice(0, count);
  }

  async pushRecord(snapshot: RecordSnapshot): Promise<number> {
    this.check();
    const seq = ++this.outboxSeq;
    this.outbox.push(encodeOutbox(seq, snapshot));
    return seq;
  }

  async peekRecords(n: number): Promise<PeekedItem[]> {
    this.check();
    return this.outbox.slice(0, n).map(decodeOutbox);
  }

  async dropRecords(throughSeq: number): Promise<void> {
    this.check();
    while (this.outbox.length && outboxSeq(this.outbox[0]!) <= throughSeq) this.outbox.shift();
  }

  async recordBacklog(): Promise<number> {
    this.check();
    return this.outbox.length;
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.check();
    // One process: an in-order keyed lock is exact.
    return this.locks.run(name, fn);
  }

  async publish(event: StoreEvent): Promise<void> {
    this.check();
    const copy = structuredClone(event);
    // Asynchronous like Redis pub/sub, so no subscriber runs inside the publisher's stack.
    setImmediate(() => this.events.emit('event', copy));
  }

  subscribe(handler: (event: StoreEvent) => void): Unsubscribe {
    this.events.on('event', handler);
    return () => this.events.off('event', handler);
  }

  async ping(): Promise<void> {
    this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.events.removeAllListeners();
  }
}
