// Retention of contact records (RECORD_RETENTION_DAYS): the hourly pass deletes records whose
// contact started longer ago than that, and profiles silent that long unless still blocked; one
// instance a pass. The clock is injected, so years pass in a test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { RecordsRepository } from '../../src/records/repository.js';
import { RecordWriter } from '../../src/records/writer.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { databases, type TestDb } from './databases.js';
import { record } from './records-factory.js';

const DAY = 24 * 3600_000;
const log = pino({ level: 'silent' });

for (const impl of databases) {
  describe(`records retention (${impl.name})`, () => {
    let t: TestDb;
    let repo: RecordsRepository;
    beforeAll(async () => {
      t = await impl.make();
      repo = new RecordsRepository(t.db);
    }, 60_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('deletes records past RECORD_RETENTION_DAYS by the injected clock, keeps the rest, and one instance makes each pass', async () => {
      const days = loadConfig({ RECORD_RETENTION_DAYS: '365' }).RECORD_RETENTION_DAYS;
      const now = Date.UTC(2031, 5, 15, 3, 0);
      const cutoff = now - days * DAY;
      const old = record({ startedAt: cutoff - 1 });
      const edge = record({ startedAt: cutoff });
      const fresh = record({ startedAt: now - 10 * DAY });
      const p = `p-${impl.name}-${now}`;
      await repo.write([
        { seq: 1, snapshot: { record: old, profile: `${p}-silent` } },
        { seq: 2, snapshot: { record: edge } },
        { seq: 3, snapshot: { record: fresh, profile: `${p}-active` } },
      ]);
      await repo.block(`${p}-blocked`, now + 30 * DAY, 'abusive', 'sveta', cutoff - 5 * DAY);

      const store = new MemoryStore({ botMs: DAY, handledMs: DAY });
      let clock = now - 400 * DAY; // a year and more ago nothing was old enough
      const writer = (id: string) => new RecordWriter({ outbox: store, locks: store, once: new MemoryStore({ botMs: DAY, handledMs: DAY }), repo, log: log.child({ id }), retentionMs: days * DAY, now: () => clock });
      expect(await writer('a').purgeOnce()).toEqual({ records: 0, profiles: 0 });

      clock = now;
      const shared = new MemoryStore({ botMs: DAY, handledMs: DAY });
      const a = new RecordWriter({ outbox: store, locks: store, once: shared, repo, log, retentionMs: days * DAY, now: () => clock });
      const b = new RecordWriter({ outbox: store, locks: store, once: shared, repo, log, retentionMs: days * DAY, now: () => clock });
      const [x, y] = await Promise.all([a.purgeOnce(), b.purgeOnce()]);
      // Exactly one of two instances makes the hour's pass.
      expect([x, y].filter((r) => r !== null)).toEqual([{ records: 1, profiles: 1 }]);
      expect(await repo.get(old.id)).toBeNull();
      expect(await repo.get(edge.id)).not.toBeNull();
      expect(await repo.get(fresh.id)).not.toBeNull();
      expect(await repo.profile(`${p}-silent`)).toBeNull();
      expect(await repo.profile(`${p}-active`)).not.toBeNull();
      // Blocked until after now: kept, although silent past the retention.
      expect(await repo.profile(`${p}-blocked`)).not.toBeNull();

      // A day later the record at the edge has gone too.
      clock = now + DAY;
      expect(await writer('c').purgeOnce()).toEqual({ records: 1, profiles: 0 });
      expect(await repo.get(edge.id)).toBeNull();
      await store.close();
      await shared.close();
    });
  });
}
