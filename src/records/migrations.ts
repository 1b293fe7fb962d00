// The records schema, as numbered migrations applied in order at start-up. A migration is never
// edited once released: a change is a new one. One instance applies them at a time (an advisory
// lock), so several starting together do not race.
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'contact records and profiles',
    sql: `
CREATE TABLE contact_records (
  id text PRIMARY KEY,
  -- the outbox sequence of the snapshot this row holds: an older or repeated one never overwrites it
  seq bigint NOT NULL,
  channel text NOT NULL,
  locale text NOT NULL,
  state text NOT NULL,
  started_at timestamptz NOT NULL,
  queued_at timestamptz,
  claimed_at timestamptz,
  closed_at timestamptz,
  abandoned_at timestamptz,
  wait_ms bigint,
  risk text NOT NULL,
  topic text NOT NULL,
  first_intent text,
  first_topic text,
  first_risk text,
  age_group text,
  about text,
  gender text,
  counselor_id text,
  counselors text[] NOT NULL DEFAULT '{}',
  transfers integer NOT NULL DEFAULT 0,
  chi_categories text[] NOT NULL DEFAULT '{}',
  chi_subcategories text[] NOT NULL DEFAULT '{}',
  call_type text,
  outcome text,
  referral jsonb,
  assessment jsonb,
  safety_plan boolean NOT NULL DEFAULT false,
  feedback text,
  repeat_contact boolean NOT NULL DEFAULT false,
  blocked boolean NOT NULL DEFAULT false,
  flood boolean NOT NULL DEFAULT false,
  closed_by text,
  written_at timestamptz NOT NULL DEFAULT now()
);
-- every report is a date range: the one index they all start from
CREATE INDEX contact_records_started_at ON contact_records (started_at);

-- one row per pseudonymous identity (HMAC of channel and chat key): counts, never text
CREATE TABLE profiles (
  profile text PRIMARY KEY,
  contacts integer NOT NULL DEFAULT 0,
  first_at timestamptz NOT NULL,
  last_id text,
  last_at timestamptz,
  last_topic text,
  last_risk text,
  prev_at timestamptz,
  prev_topic text,
  prev_risk text,
  blocked_until timestamptz,
  block_reason text,
  blocked_by text,
  blocked_at timestamptz
);
CREATE INDEX profiles_last_at ON profiles (last_at);
`,
  },
  {
    version: 2,
    name: 'records by start time and id',
    // The CSV export pages on (started_at, id): with this index each page is an index range read
    // instead of a sort of the whole range (it also serves every report's date range).
    sql: `
CREATE INDEX contact_records_started_at_id ON contact_records (started_at, id);
DROP INDEX contact_records_started_at;
`,
  },
];

const LOCK_KEY = 72_657_918; // any fixed number: the migrations' advisory lock

/** Applies every migration not applied yet; returns the versions it applied. */
export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await q.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await q.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await q.query(statement);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Statements of a migration (no semicolons inside strings in ours); comments dropped. */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
