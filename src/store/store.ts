import { z } from 'zod';
import type { ContentVersionStore } from '../core/content-versions.js';
import type { Block, ChildPresence, LiveStore, QueuePlace, WaitingNote } from '../core/ports.js';
import type { Conversation } from '../core/types.js';
import type { PeekedItem, RecordSnapshot } from '../core/records.js';
import { HASH, KV, LIST } from './keys.js';
import type { Risk } from '../core/taxonomy.js';
import { riskRank } from '../core/taxonomy.js';

/** How long things live: bot-only conversations are short-lived, handled ones are records. */
export interface Retention {
  botMs: number;
  handledMs: number;
}

/**
 * A store: everything live the core uses (the ports), plus the small key-value primitives the
 * typed repositories (store/repositories.ts) are built on. Memory and Redis implement it;
 * test/store/contract.test.ts runs the same suite against both. Only main.ts and the
 * repositories see the primitives.
 */
export interface Store extends LiveStore, KeyValue {
  readonly kind: 'memory' | 'redis';
  /** Published content versions and drafts (the studio). */
  readonly contentVersions: ContentVersionStore;
  /** Throws when the store cannot serve. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface KeyValue {
  hashSet(name: string, field: string, value: string): Promise<void>;
  hashGet(name: string, field: string): Promise<string | null>;
  hashGetAll(name: string): Promise<Record<string, string>>;
  hashDel(name: string, field: string): Promise<void>;
  kvSet(key: string, value: string, ttlMs?: number): Promise<void>;
  kvGet(key: string): Promise<string | null>;
  kvDel(key: string): Promise<void>;
  listPush(name: string, value: string, maxLength: number): Promise<void>;
  listRange(name: string, count: number): Promise<string[]>;
  /** Replaces the whole list (newest first), in one step. */
  listReplace(name: string, values: string[]): Promise<void>;
}

const blockValue = z.object({ until: z.number(), reason: z.string(), by: z.string() });
const waitingNote = z.object({ pos: z.number(), statusAt: z.number(), sent: z.number(), lastAt: z.number(), offlineTold: z.boolean().optional() });

/** What both stores do the same way on top of their key-value primitives. */
const SEEN_KEEP_MS = 24 * 3600_000;
/** At most this many heavy chats remembered per counselor: far more than a shift holds. */
const HEAVY_KEEP = 200;

export abstract class KeyValueStore
  implements
    Pick<
      LiveStore,
      | 'markSeen'
      | 'isSeen'
      | 'setAvailability'
      | 'isAvailabilitySet'
      | 'waitingNotes'
      | 'setWaitingNote'
      | 'deleteWaitingNote'
      | 'childBeat'
      | 'childGone'
      | 'childPresence'
      | 'recordHeavyChat'
      | 'heavyChats'
      | 'setBlock'
      | 'getBlock'
      | 'clearBlock'
    >
{
  abstract hashSet(name: string, field: string, value: string): Promise<void>;
  abstract hashGet(name: string, field: string): Promise<string | null>;
  abstract hashGetAll(name: string): Promise<Record<string, string>>;
  abstract hashDel(name: string, field: string): Promise<void>;
  abstract kvSet(key: string, value: string, ttlMs?: number): Promise<void>;
  abstract kvGet(key: string): Promise<string | null>;
  abstract kvDel(key: string): Promise<void>;
  abstract listPush(name: string, value: string, maxLength: number): Promise<void>;
  abstract listRange(name: string, count: number): Promise<string[]>;

  async childBeat(id: string, at: number, ttlMs: number): Promise<void> {
    await Promise.all([this.kvSet(KV.childOnline(id), '1', ttlMs), this.kvSet(KV.childSeen(id), String(at), SEEN_KEEP_MS)]);
  }

  async childGone(id: string, at: number): Promise<void> {
    await Promise.all([this.kvDel(KV.childOnline(id)), this.kvSet(KV.childSeen(id), String(at), SEEN_KEEP_MS)]);
  }

  async childPresence(ids: string[]): Promise<Map<string, ChildPresence>> {
    const rows = await Promise.all(ids.map(async (id) => [id, await this.kvGet(KV.childOnline(id)), await this.kvGet(KV.childSeen(id))] as const));
    const out = new Map<string, ChildPresence>();
    for (const [id, online, seen] of rows) {
      const lastSeen = seen !== null && Number.isFinite(Number(seen)) ? Number(seen) : null;
      out.set(id, { online: online !== null, lastSeen });
    }
    return out;
  }

  async recordHeavyChat(counselorId: string, at: number): Promise<void> {
    await this.listPush(LIST.heavyChats(counselorId), String(at), HEAVY_KEEP);
  }

  async heavyChats(counselorIds: string[], since: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await Promise.all(
      counselorIds.map(async (id) => {
        const times = (await this.listRange(LIST.heavyChats(id), HEAVY_KEEP)).map(Number);
        out.set(id, times.filter((t) => t >= since).length);
      }),
    );
    return out;
  }

  async setBlock(identity: string, block: Block, ttlMs: number): Promise<void> {
    await this.kvSet(KV.block(identity), JSON.stringify(block), ttlMs);
  }

  /** A block that does not parse counts as none: a child is never refused on a broken value. */
  async getBlock(identity: string): Promise<Block | null> {
    const raw = await this.kvGet(KV.block(identity));
    const parsed = blockValue.safeParse(raw === null ? undefined : parseJson(raw));
    return parsed.success ? parsed.data : null;
  }

  async clearBlock(identity: string): Promise<void> {
    await this.kvDel(KV.block(identity));
  }

  async markSeen(counselorId: string, ttlMs: number): Promise<void> {
    await this.kvSet(KV.seen(counselorId), '1', ttlMs);
  }

  async isSeen(counselorId: string): Promise<boolean> {
    return (await this.kvGet(KV.seen(counselorId))) !== null;
  }

  async setAvailability(counselorId: string, available: boolean): Promise<void> {
    await this.hashSet(HASH.availability, counselorId, available ? '1' : '0');
  }

  async isAvailabilitySet(counselorId: string): Promise<boolean> {
    return (await this.hashGet(HASH.availability, counselorId)) === '1';
  }

  /** A note that does not parse is dropped (the waiting room starts that child's note afresh). */
  async waitingNotes(): Promise<Record<string, WaitingNote>> {
    const out: Record<string, WaitingNote> = {};
    for (const [id, raw] of Object.entries(await this.hashGetAll(HASH.waitingRoom))) {
      const parsed = waitingNote.safeParse(parseJson(raw));
      if (parsed.success) out[id] = parsed.data;
    }
    return out;
  }

  async setWaitingNote(id: string, note: WaitingNote): Promise<void> {
    await this.hashSet(HASH.waitingRoom, id, JSON.stringify(note));
  }

  async deleteWaitingNote(id: string): Promise<void> {
    await this.hashDel(HASH.waitingRoom, id);
  }
}

const outboxEntry = z.object({
  record: z.looseObject({ id: z.string().min(1) }),
  profile: z.string().optional(),
});

/** An outbox entry as stored: "SEQ JSON". */
export function encodeOutbox(seq: number, snapshot: RecordSnapshot): string {
  return `${seq} ${JSON.stringify(snapshot)}`;
}

/** An entry that does not parse has snapshot null (the writer counts and skips it). */
export function decodeOutbox(raw: string): PeekedItem {
  const space = raw.indexOf(' ');
  const parsed = outboxEntry.safeParse(parseJson(raw.slice(space + 1)));
  return { seq: outboxSeq(raw), snapshot: space > 0 && parsed.success ? (parsed.data as unknown as RecordSnapshot) : null };
}

/** The sequence number of a stored entry, or -1. */
export function outboxSeq(raw: string): number {
  const space = raw.indexOf(' ');
  const n = space > 0 ? Number(raw.slice(0, space)) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const BAND = 1e13;
/** Within a risk band, children who were not returned by a counselor come after those who were. */
const FIRST_WAIT = 5e12;

/**
 * Queue score: lower is served first. "Possible flood" last, then risk, then "returned by a counselor", then
 * waiting time. Exact in a double (and a Redis score) up to 2^53; waitingSince must stay below
 * 5e12 ms (the year 2128).
 */
export function queueScore(place: QueuePlace): number {
  // A possible flood takes the bands after "none": behind every other child, in its own risk order.
  return ((place.flood ? 5 : 0) + 4 - riskRank(place.risk)) * BAND + (place.returned ? 0 : FIRST_WAIT) + place.waitingSince;
}

/** The queue place a score stands for (the one decoder of queueScore). */
export function placeFromScore(score: number): Required<QueuePlace> {
  const band = Math.floor(score / BAND);
  const order: Risk[] = ['imminent', 'high', 'medium', 'low', 'none'];
  const rest = score - band * BAND;
  const returned = rest < FIRST_WAIT;
  return { risk: order[Math.min(Math.max(band % 5, 0), 4)]!, returned, flood: band >= 5, waitingSince: returned ? rest : rest - FIRST_WAIT };
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
