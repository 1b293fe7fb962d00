import { mkdirSync } from 'node:fs';
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
    db = new PostgresDb({ url: opts.url, schema: opts.schema, onError: opts.onError });
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
