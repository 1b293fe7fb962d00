import type { Conversation, QueueItem, StoreEvent, TranscriptEntry } from '../core/types.js';
import type { Risk } from '../core/taxonomy.js';
import { riskRank } from '../core/taxonomy.js';

/** How long things live: bot-only conversations are short-lived, handled ones are records. */
export interface Retention {
  botMs: number;
  handledMs: number;
}

export type Unsubscribe = () => void;

/**
 * The one storage interface. Memory and Redis implement it; test/store/contract.test.ts runs
 * the same suite against both.
 */
export interface Store {
  readonly kind: 'memory' | 'redis';

  getConversation(id: string): Promise<Conversation | null>;
  /** Creates or replaces; refreshes retention of the conversation and its transcript. */
  saveConversation(conv: Conversation): Promise<void>;
  /** The current conversation of a platform chat. */
  bindChat(channel: string, chatKey: string, id: string): Promise<void>;
  findChat(channel: string, chatKey: string): Promise<string | null>;

  /** Appends and returns the entry with its sequence number (1, 2, …). */
  appendTranscript(id: string, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry>;
  getTranscript(id: string, afterSeq?: number): Promise<TranscriptEntry[]>;

  /** Puts (or re-scores) a conversation in the handoff queue. */
  enqueue(id: string, risk: Risk, waitingSince: number): Promise<void>;
  /**
   * Removes from the queue atomically: exactly one caller gets true. Used both for a counselor's
   * claim and for a child leaving the queue.
   */
  takeFromQueue(id: string): Promise<boolean>;
  /** Most urgent first: risk, then longest wait. */
  listQueue(): Promise<QueueItem[]>;
  /** 1-based position, null when not queued. */
  queuePosition(id: string): Promise<number | null>;
  queueLength(): Promise<number>;

  /** Conversations currently with a counselor (for supervisors and grace checks). */
  setActive(id: string, active: boolean): Promise<void>;
  listActive(): Promise<string[]>;

  /** Counselor presence with a heartbeat TTL. */
  setPresence(counselorId: string, ttlMs: number): Promise<void>;
  clearPresence(counselorId: string): Promise<void>;
  listPresent(): Promise<string[]>;

  /** Recent waiting times (ms), newest first, for the wait estimate. */
  recordWait(ms: number): Promise<void>;
  recentWaits(): Promise<number[]>;

  /** True the first time a key is seen within ttl (update de-duplication). */
  markOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forget a key marked by markOnce (when processing it failed and a redelivery must be accepted). */
  unmark(key: string): Promise<void>;

  /** Small records (accounts, sessions, references, audit): hashes and capped lists. */
  hashSet(name: string, field: string, value: string): Promise<void>;
  hashGet(name: string, field: string): Promise<string | null>;
  hashGetAll(name: string): Promise<Record<string, string>>;
  hashDel(name: string, field: string): Promise<void>;
  kvSet(key: string, value: string, ttlMs?: number): Promise<void>;
  kvGet(key: string): Promise<string | null>;
  kvDel(key: string): Promise<void>;
  listPush(name: string, value: string, maxLength: number): Promise<void>;
  listRange(name: string, count: number): Promise<string[]>;

  /**
   * Runs fn while holding a lock shared by every process on this store (per conversation, so
   * two instances never process one child's messages at once). The lock expires after ttlMs in
   * case its holder dies; waiting longer than waitMs throws LockTimeout.
   */
  withLock<T>(name: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number }): Promise<T>;

  /** Fan-out to every subscriber, in every process sharing the store. */
  publish(event: StoreEvent): Promise<void>;
  subscribe(handler: (event: StoreEvent) => void): Unsubscribe;

  /** Throws when the store cannot serve. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Queue score: lower is served first. Risk dominates, then waiting time. */
export function queueScore(risk: Risk, waitingSince: number): number {
  return (4 - riskRank(risk)) * 1e13 + waitingSince;
}

export function riskFromScore(score: number): Risk {
  const band = Math.floor(score / 1e13);
  const order: Risk[] = ['imminent', 'high', 'medium', 'low', 'none'];
  return order[Math.min(Math.max(band, 0), 4)]!;
}

export function retentionFor(conv: Conversation, retention: Retention): number {
  return conv.handled ? retention.handledMs : retention.botMs;
}

export const WAIT_SAMPLES = 50;

export class LockTimeout extends Error {
  constructor(name: string) {
    super(`could not take lock ${name} in time`);
    this.name = 'LockTimeout';
  }
}
