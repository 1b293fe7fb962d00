// The records database: PostgreSQL when DATABASE_URL is set, else embedded PGlite (Postgres
// compiled to WebAssembly) in RECORDS_DIR, so `npm start` needs nothing else. Both speak the same
// SQL with the same $1 placeholders, so one schema and one set of queries serve both.
//
// Why `pg` (node-postgres) and not postgres.js: its `query(text, params)` call is the shape PGlite
// has too, so every query is written once as plain parameterized SQL (postgres.js builds queries
// from tagged templates PGlite cannot run); it brings a connection pool that reconnects after a
// dropped connection, `options` for a per-database search_path (the contract suite's throwaway
// schemas), and it is the most used and longest kept Postgres client for Node.
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Several statements, no parameters (migrations, bench seeding). */
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: all of it or nothing. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PostgresOptions {
  url: string;
  /** Tables live in this schema (tests and benches use a throwaway one). */
  schema?: string;
  /** A statement that takes longer has failed (a hung database must not hold the writer forever). */
  statementTimeoutMs?: number;
  max?: number;
  /** Shown in pg_stat_activity (tests find their own connections by it). */
  applicationName?: string;
  onError?: (err: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private pool: pg.Pool;

  constructor(opts: PostgresOptions) {
    if (opts.schema && !SCHEMA_NAME.test(opts.schema)) throw new Error(`bad schema name ${opts.schema}`);
    const options = [opts.schema ? `-c search_path=${opts.schema}` : '', `-c statement_timeout=${opts.statementTimeoutMs ?? 30_000}`].filter(Boolean).join(' ');
    this.pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 4, options, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, application_name: opts.applicationName ?? 'helpline-records' });
    // An idle connection the server dropped (a restart, pg_terminate_backend) is reported here;
    // without a listener it would crash the process. The pool opens a new one on the next query.
    this.pool.on('error', (err) => opts.onError?.(err));
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const q: Queryable = { query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[] };
      const out = await fn(q);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      // A connection that could not even roll back is thrown away, not reused.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  private constructor(private db: PGlite) {}

  /** dataDir: a folder (kept across restarts), or undefined for an in-memory database. */
  static async open(dataDir?: string): Promise<PgliteDb> {
    return new PgliteDb(await PGlite.create(dataDir));
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) => fn({ query: async <R>(sql: string, params: unknown[] = []) => (await t.query<R>(sql, params)).rows }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
