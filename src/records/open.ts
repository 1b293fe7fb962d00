import { mkdirSync } from 'node:fs';
import { PgliteDb, PostgresDb, type Db } from './db.js';
import { migrate } from './migrations.js';
import { lockDir } from './dir-lock.js';

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
    const release = lockDir(opts.dir);
    try {
      db = await PgliteDb.open(opts.dir);
    } catch (err) {
      release();
      throw err;
    }
    // The lock goes with the database.
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/**
 * Whether the database opens at start-up: PostgreSQL and a PGlite folder do (PGlite's start
 * stalls the event loop up to ~0.4 s at a time for ~3-6 s here, which must not land in a child's
 * turn later); an in-memory PGlite (tests, demos) opens at its first report or flush.
 */
export function opensAtStart(opts: Pick<RecordsDbOptions, 'url' | 'dir'>): boolean {
  return !!opts.url || !opts.dir.startsWith('memory://');
}
