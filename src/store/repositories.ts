import { z } from 'zod';
import type { ChannelState, Log, Parser } from '../core/ports.js';
import { ROLES, type Account, type AuditEntry, type Correction, type Session, type StaffRepositories } from '../core/staff.js';
import { HASH, KV, LIST } from './keys.js';
import { parseJson, type KeyValue } from './store.js';

const account = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  hash: z.string(),
  createdAt: z.number(),
  createdBy: z.string().optional(),
  disabled: z.boolean().optional(),
});
const session = z.object({ userId: z.string(), csrf: z.string(), createdAt: z.number() });
const level = z.object({ topic: z.string(), risk: z.string() });
const correction = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  text: z.string(),
  lang: z.string(),
  was: level,
  topic: z.string(),
  risk: z.string(),
  by: z.string(),
  at: z.number(),
});
/** Far more corrections than editors read between two exports; the oldest ids drop off. */
const CORRECTIONS_KEEP = 20_000;
const audit = z.object({ at: z.number(), by: z.string(), action: z.string(), target: z.string().optional(), detail: z.string().optional() });

/**
 * Reads one stored value through its schema. A value that does not parse is treated as absent
 * and logged once by kind (never by content): a half-written or foreign record must not crash
 * a sign-in or be trusted as-is.
 */
function reader(log: Log) {
  return <T>(what: string, parser: Parser<T>, raw: string | null): T | null => {
    if (raw === null) return null;
    const parsed = parser.safeParse(parseJson(raw));
    if (parsed.success) return parsed.data;
    log.warn({ record: what }, 'stored record does not match its schema; ignored');
    return null;
  };
}

/** The staff repositories on a store's key-value primitives. */
export function staffRepositories(kv: KeyValue, log: Log): StaffRepositories {
  const read = reader(log);
  return {
    devices: {
      put: (hash, userId, ttlMs) => kv.kvSet(KV.device(hash), JSON.stringify(userId), ttlMs),
      get: async (hash) => read('device', z.string(), await kv.kvGet(KV.device(hash))),
    },
    accounts: {
      get: async (id) => read('account', account, await kv.hashGet(HASH.accounts, id)),
      list: async () =>
        Object.values(await kv.hashGetAll(HASH.accounts))
          .map((raw) => read('account', account, raw))
          .filter((a): a is Account => a !== null),
      put: (a) => kv.hashSet(HASH.accounts, a.id, JSON.stringify(a)),
    },
    sessions: {
      put: async (hash, s: Session, ttlMs) => {
        await kv.kvSet(KV.session(hash), JSON.stringify(s), ttlMs);
        await kv.hashSet(HASH.userSessions(s.userId), hash, String(Date.now() + ttlMs));
      },
      get: async (hash) => read('session', session, await kv.kvGet(KV.session(hash))),
      delete: async (hash) => {
        const s = read('session', session, await kv.kvGet(KV.session(hash)));
        await kv.kvDel(KV.session(hash));
        if (s) await kv.hashDel(HASH.userSessions(s.userId), hash);
      },
      listFor: async (userId) => {
        const now = Date.now();
        const live: string[] = [];
        for (const [hash, until] of Object.entries(await kv.hashGetAll(HASH.userSessions(userId)))) {
          if (Number(until) > now && (await kv.kvGet(KV.session(hash))) !== null) live.push(hash);
          // Expired or ended: the index forgets it.
          else await kv.hashDel(HASH.userSessions(userId), hash);
        }
        return live;
      },
    },
    audit: {
      append: (e: AuditEntry, keep) => kv.listPush(LIST.audit, JSON.stringify(e), keep),
      list: async (count) => (await kv.listRange(LIST.audit, count)).map((raw) => read('audit entry', audit, raw)).filter((e): e is AuditEntry => e !== null),
      rewrite: async (keep) => {
        const all = (await kv.listRange(LIST.audit, 1_000_000)).map((raw) => read('audit entry', audit, raw));
        const kept: string[] = [];
        for (const e of all) {
          const next = e ? await keep(e) : null;
          if (next) kept.push(JSON.stringify(next));
        }
        await kv.listReplace(LIST.audit, kept);
        return { before: all.length, after: kept.length };
      },
    },
    corrections: {
      put: async (c: Correction, ttlMs) => {
        const known = (await kv.kvGet(KV.correction(c.id))) !== null;
        await kv.kvSet(KV.correction(c.id), JSON.stringify(c), ttlMs);
        if (!known) await kv.listPush(LIST.corrections, c.id, CORRECTIONS_KEEP);
      },
      list: async (count) => {
        const out: Correction[] = [];
        const seen = new Set<string>();
        for (const id of await kv.listRange(LIST.corrections, CORRECTIONS_KEEP)) {
          if (out.length >= count) break;
          if (seen.has(id)) continue;
          seen.add(id);
          const c = read('correction', correction, await kv.kvGet(KV.correction(id)));
          if (c) out.push(c);
        }
        return out;
      },
    },

  };
}

/** A channel's own records, under its namespace; every value has a lifetime. */
export function channelState(kv: KeyValue, channel: string, log: Log): ChannelState {
  const read = reader(log);
  return {
    get: async (key, parser) => read(`${channel} state`, parser, await kv.kvGet(KV.channel(channel, key))),
    set: (key, value, ttlMs) => kv.kvSet(KV.channel(channel, key), JSON.stringify(value), ttlMs),
    del: (key) => kv.kvDel(KV.channel(channel, key)),
  };
}
