// The records databases the contract suite runs on: embedded PGlite (in memory) and the real
// PostgreSQL on 127.0.0.1:5432, each test file in its own throwaway schema, dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/records/db.js';
import { PgliteDb, PostgresDb } from '../../src/records/db.js';
import { migrate } from '../../src/records/migrations.js';

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  db: Db;
  /** For PostgreSQL: the schema (search_path) of this database. */
  schema?: string;
  drop(): Promise<void>;
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export async function postgresSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return { schema, drop: async () => void (await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)) };
}

export const databases: { name: 'pglite' | 'postgres'; make: (opts?: { migrated?: boolean }) => Promise<TestDb> }[] = [
  {
    name: 'pglite',
    make: async (opts) => {
      const db = await PgliteDb.open();
      if (opts?.migrated !== false) await migrate(db);
      return { db, drop: () => db.close() };
    },
  },
  {
    name: 'postgres',
    make: async (opts) => {
      const { schema, drop } = await postgresSchema();
      const db = new PostgresDb({ url: DATABASE_URL, schema });
      if (opts?.migrated !== false) await migrate(db);
      return {
        db,
        schema,
        drop: async () => {
          await db.close().catch(() => undefined);
          await drop();
        },
      };
    },
  },
];
