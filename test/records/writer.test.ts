// The record writer: outbox → database, retried while the database is down, each record once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { PostgresDb } from '../../src/records/db.js';
import { RecordsRepository } from '../../src/records/repository.js';
import { RecordWriter } from '../../src/records/writer.js';
import { migrate } from '../../src/records/migrations.js';
import type { Store } from '../../src/store/store.js';
import { implementations } from '../store/implementations.js';
import { adminQuery, databases, DATABASE_URL, postgresSchema, type TestDb } from './databases.js';
import { record } from './records-factory.js';

const log = pino({ level: 'silent' });

for (const impl of implementations) {
  describe(`record writer on the ${impl.name} outbox`, () => {
    let store: Store;
    let t: TestDb;
    beforeAll(async () => {
      store = await impl.make();
      t = await databases[0]!.make();
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      await t?.drop();
    });

    it('writes every entry once and empties the outbox; the latest snapshot of a conversation wins', async () => {
      const repo = new RecordsRepository(t.db);
      const writer = new RecordWriter({ outbox: store, locks: store, once: store, repo, log, retentionMs: 1e12, batch: 7 });
      const recs = Array.from({ length: 30 }, () => record({ state: 'queued', outcome: null }));
      for (const r of recs) await store.pushRecord({ record: r });
      for (const r of recs.slice(0, 10)) await store.pushRecord({ record: { ...r, state: 'closed', outcome: 'supported' } });
      expect(await writer.flush()).toBe(40);
      expect(await store.recordBacklog()).toBe(0);
      for (const r of recs.slice(0, 10)) expect(await repo.get(r.id)).toMatchObject({ state: 'closed', outcome: 'supported' });
      for (const r of recs.slice(10)) expect(await repo.get(r.id)).toMatchObject({ state: 'queued', outcome: null });
    });

    it('keeps the outbox while the database is unreachable and writes it when a good one is back', async () => {
      const down = new PostgresDb({ url: 'postgres://postgres@127.0.0.1:1/test' });
      const r = record();
      await store.pushRecord({ record: r });
      const failing = new RecordWriter({ outbox: store, locks: store, once: store, repo: new RecordsRepository(down), log, retentionMs: 1e12 });
      expect(await failing.flush()).toBe(0);
      expect(failing.failing).toBe(true);
      expect(await store.recordBacklog()).toBe(1);
      await down.close();
      const repo = new RecordsRepository(t.db);
      const writer = new RecordWriter({ outbox: store, locks: store, once: store, repo, log, retentionMs: 1e12 });
      expect(await writer.flush()).toBe(1);
      expect(await repo.get(r.id)).toMatchObject({ id: r.id });
    });

    it('an entry that does not parse is skipped, the ones around it written', async () => {
      const repo = new RecordsRepository(t.db);
      const writer = new RecordWriter({ outbox: store, locks: store, once: store, repo, log, retentionMs: 1e12 });
      const a = record();
      const b = record();
      await store.pushRecord({ record: a });
      await store.pushRecord({ record: { nonsense: true } as never });
      await store.pushRecord({ record: b });
      expect(await writer.flush()).toBe(3);
      expect(writer.skipped).toBe(1);
      expect(await repo.get(a.id)).not.toBeNull();
      expect(await repo.get(b.id)).not.toBeNull();
      expect(await store.recordBacklog()).toBe(0);
    });
  });
}

describe('record writer on PostgreSQL whose connections are dropped', () => {
  it('a flush that lost its connection fails, is retried, and writes each record once', async () => {
    const { schema, drop } = await postgresSchema();
    const db = new PostgresDb({ url: DATABASE_URL, schema, applicationName: schema, onError: () => undefined });
    const store = await implementations[1]!.make();
    try {
      await migrate(db);
      const repo = new RecordsRepository(db);
      const writer = new RecordWriter({ outbox: store, locks: store, once: store, repo, log, retentionMs: 1e12 });
      const first = Array.from({ length: 5 }, () => record());
      for (const r of first) await store.pushRecord({ record: r });
      expect(await writer.flush()).toBe(5);
      // Every connection of this pool is cut by the server (what a restart or a failover does).
      const cut = await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [schema]);
      expect(cut.rowCount).toBeGreaterThan(0);
      const second = Array.from({ length: 5 }, () => record());
      for (const r of second) await store.pushRecord({ record: r });
      // The first try may meet the dead connection; the pool opens new ones for the retry.
      let written = await writer.flush();
      if (written === 0) written = await writer.flush();
      expect(written).toBe(5);
      for (const r of [...first, ...second]) expect(await repo.get(r.id)).not.toBeNull();
      expect(await repo.count()).toBe(10);
    } finally {
      await store.close();
      await db.close();
      await drop();
    }
  });
});
