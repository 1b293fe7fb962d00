// The one set of queries on contact records and profiles, run the same on PostgreSQL and PGlite.
import type { PreviousContacts } from '../core/profiles.js';
import type { ContactRecord, OutboxItem } from '../core/records.js';
import type { Db, Queryable } from './db.js';

/** Column order of contact_records as written; also the CSV's columns. */
export const RECORD_COLUMNS = [
  'id',
  'channel',
  'locale',
  'state',
  'started_at',
  'queued_at',
  'claimed_at',
  'closed_at',
  'abandoned_at',
  'wait_ms',
  'risk',
  'topic',
  'first_intent',
  'first_topic',
  'first_risk',
  'age_group',
  'about',
  'gender',
  'counselor_id',
  'counselors',
  'transfers',
  'chi_categories',
  'chi_subcategories',
  'call_type',
  'outcome',
  'referral',
  'assessment',
  'safety_plan',
  'feedback',
  'repeat_contact',
  'blocked',
  'flood',
  'closed_by',
] as const;

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function values(r: ContactRecord): unknown[] {
  return [
    r.id,
    r.channel,
    r.locale,
    r.state,
    ts(r.startedAt),
    ts(r.queuedAt),
    ts(r.claimedAt),
    ts(r.closedAt),
    ts(r.abandonedAt),
    r.waitMs,
    r.risk,
    r.topic,
    r.firstIntent,
    r.firstTopic,
    r.firstRisk,
    r.ageGroup,
    r.about,
    r.gender,
    r.counselorId,
    r.counselors,
    r.transfers,
    r.chiCategories,
    r.chiSubcategories,
    r.callType,
    r.outcome,
    json(r.referral),
    json(r.assessment),
    r.safetyPlan,
    r.feedback,
    r.repeatContact,
    r.blocked,
    r.flood,
    r.closedBy,
  ];
}

const placeholders = RECORD_COLUMNS.map((_, i) => `$${i + 2}`).join(', ');
// repeat_contact is the profile's to say (set when the record is first written): a later snapshot keeps it.
const updates = RECORD_COLUMNS.filter((c) => c !== 'id')
  .map((c) => (c === 'repeat_contact' ? `${c} = excluded.${c} OR contact_records.${c}` : `${c} = excluded.${c}`))
  .join(', ');
// seq is $1. A snapshot older than (or the same as) the row's is ignored: a replayed outbox entry
// after a crash changes nothing, and a late one never overwrites a newer record.
const UPSERT = `INSERT INTO contact_records (seq, ${RECORD_COLUMNS.join(', ')}) VALUES ($1, ${placeholders})
ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, ${updates}, written_at = now()
WHERE contact_records.seq < excluded.seq
RETURNING (xmax = 0) AS inserted`;

export interface ProfileRow {
  contacts: number;
  last_id: string | null;
  last_at: string | null;
  last_topic: string | null;
  last_risk: string | null;
  prev_at: string | null;
  prev_topic: string | null;
  prev_risk: string | null;
  blocked_until: string | null;
  block_reason: string | null;
  blocked_by: string | null;
  blocked_at: string | null;
}

const PROFILE_SELECT = `SELECT contacts, last_id,
  to_char(last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_at, last_topic, last_risk,
  to_char(prev_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS prev_at, prev_topic, prev_risk,
  to_char(blocked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS blocked_until, block_reason, blocked_by,
  to_char(blocked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS blocked_at
  FROM profiles WHERE profile = $1`;

export class RecordsRepository {
  constructor(readonly db: Db) {}

  /**
   * Writes outbox entries in one transaction: each record upserted by conversation id, kept only
   * when its sequence is newer; a profile counts a contact once, when its record is first written.
   * Returns how many rows changed.
   */
  async write(items: OutboxItem[]): Promise<number> {
    if (!items.length) return 0;
    const ordered = [...items].sort((a, b) => a.seq - b.seq);
    return this.db.tx(async (q) => {
      let changed = 0;
      for (const item of ordered) {
        const { record, profile } = item.snapshot;
        const rows = await q.query<{ inserted: boolean }>(UPSERT, [item.seq, ...values(record)]);
        if (!rows.length) continue;
        changed++;
        if (profile) await this.touchProfile(q, profile, record, rows[0]!.inserted);
      }
      return changed;
    });
  }

  private async touchProfile(q: Queryable, profile: string, r: ContactRecord, inserted: boolean): Promise<void> {
    const at = ts(r.startedAt);
    if (inserted) {
      // A new contact: the last one becomes the previous one.
      const [row] = await q.query<{ contacts: number }>(
        `INSERT INTO profiles (profile, contacts, first_at, last_id, last_at, last_topic, last_risk) VALUES ($1, 1, $2, $3, $2, $4, $5)
         ON CONFLICT (profile) DO UPDATE SET contacts = profiles.contacts + 1, prev_at = profiles.last_at, prev_topic = profiles.last_topic,
           prev_risk = profiles.last_risk, last_id = excluded.last_id, last_at = excluded.last_at, last_topic = excluded.last_topic, last_risk = excluded.last_risk
         RETURNING contacts`,
        [profile, at, r.id, r.topic, r.risk],
      );
      // The identity had written before: the record is a repeat contact.
      if (Number(row?.contacts ?? 0) > 1) await q.query('UPDATE contact_records SET repeat_contact = true WHERE id = $1', [r.id]);
    } else {
      await q.query('UPDATE profiles SET last_topic = $3, last_risk = $4 WHERE profile = $1 AND last_id = $2', [profile, r.id, r.topic, r.risk]);
    }
  }

  async get(id: string): Promise<Record<string, unknown> | null> {
    const rows = await this.db.query(`SELECT ${RECORD_COLUMNS.join(', ')}, seq::float8 AS seq FROM contact_records WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async count(): Promise<number> {
    return Number((await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_records'))[0]!.n);
  }

  async profile(profile: string): Promise<ProfileRow | null> {
    return (await this.db.query<ProfileRow>(PROFILE_SELECT, [profile]))[0] ?? null;
  }

  /**
   * The identity's contacts before this conversation. A profile counts a contact when its record
   * is first written (at the close, the feedback, an abandoned wait), so while a chat is live the
   * profile's last contact is an earlier one; once this chat's record is in, its previous one is.
   */
  async previous(profile: string, conversationId: string): Promise<PreviousContacts | null> {
    const p = await this.profile(profile);
    if (!p) return null;
    const mine = p.last_id === conversationId;
    const count = mine ? p.contacts - 1 : p.contacts;
    const at = mine ? p.prev_at : p.last_at;
    if (count < 1 || !at) return null;
    return { count, lastAt: Date.parse(at), topic: (mine ? p.prev_topic : p.last_topic) ?? 'other', risk: (mine ? p.prev_risk : p.last_risk) ?? 'none' };
  }

  async block(profile: string, untilMs: number, reason: string, by: string, atMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO profiles (profile, contacts, first_at, blocked_until, block_reason, blocked_by, blocked_at) VALUES ($1, 0, $5, $2, $3, $4, $5)
       ON CONFLICT (profile) DO UPDATE SET blocked_until = $2, block_reason = $3, blocked_by = $4, blocked_at = $5`,
      [profile, ts(untilMs), reason, by, ts(atMs)],
    );
  }

  async unblock(profile: string): Promise<void> {
    await this.db.query('UPDATE profiles SET blocked_until = NULL WHERE profile = $1', [profile]);
  }

  /** Records whose contact started before `beforeMs`, and profiles silent since then (unless still blocked). */
  async purge(beforeMs: number, nowMs: number): Promise<{ records: number; profiles: number }> {
    const before = ts(beforeMs);
    const count = async (sql: string, params: unknown[]) => Number((await this.db.query<{ n: number }>(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, params))[0]!.n);
    const records = await count('DELETE FROM contact_records WHERE started_at < $1', [before]);
    const profiles = await count('DELETE FROM profiles WHERE coalesce(last_at, first_at) < $1 AND (blocked_until IS NULL OR blocked_until < $2)', [before, ts(nowMs)]);
    return { records, profiles };
  }
}
