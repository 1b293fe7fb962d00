import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PgliteDb, PostgresDb, type Db } from './db.js';
import { migrate } from './migrations.js';

export interface RecordsDbOptions {
  /** PostgreSQL; unset: PGlite in dir. */
  url?: string;
  dir: string;
  schema?: string;
  onError?: (err: Error) => void;
}

/** Opens the records database and brings its schema up to date. */
export async function openRecordsDb(opts: RecordsDbOptions): Promise<Db> {
  let db: Db;
  if (opts.url) {
    // DATABASE_URL may name the schema of the tables: postgres://…/helpline?schema=records.
    const url = new URL(opts.url);
    const schema = opts.schema ?? (url.searchParams.get('schema') || undefined);
    url.searchParams.delete('schema');
    db = new PostgresDb({ url: url.toString(), schema, onError: opts.onError });
    if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch(async (err: unknown) => {
      await db.close().catch(() => undefined);
      throw err;
    });
  } else if (opts.dir.startsWith('memory://')) {
    // An in-memory database (tests, demos): gone when the process ends.
    db = await PgliteDb.open(opts.dir);
  } else {
    mkdirSync(opts.dir, { recursive: true });
    db = await PgliteDb.open(opts.dir);
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** Whether the database already holds records: PostgreSQL always, a PGlite folder once created. */
export function recordsExist(opts: Pick<RecordsDbOptions, 'url' | 'dir'>): boolean {
  return !!opts.url || (!opts.dir.startsWith('memory://') && existsSync(join(opts.dir, 'PG_VERSION')));
}
