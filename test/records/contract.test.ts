// One contract suite for the records database, run on PGlite and on the real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDb } from '../../src/records/db.js';
import { MIGRATIONS, migrate } from '../../src/records/migrations.js';
import { RecordsRepository } from '../../src/records/repository.js';
import { databases, DATABASE_URL, type TestDb } from './databases.js';
import { record } from './records-factory.js';

const DAY = 24 * 3600_000;

for (const impl of databases) {
  describe(`records contract: ${impl.name}`, () => {
    let t: TestDb;
    let repo: RecordsRepository;
    beforeAll(async () => {
      t = await impl.make({ migrated: false });
      repo = new RecordsRepository(t.db);
    }, 60_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('applies every migration once, in order, and again applies nothing', async () => {
      expect(await migrate(t.db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(t.db)).toEqual([]);
      const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('a later migration is applied on top of a database that has the earlier ones', async () => {
      const extra = { version: 9999, name: 'test only', sql: 'CREATE TABLE migration_probe (x integer); INSERT INTO migration_probe VALUES (1)' };
      expect(await migrate(t.db, [...MIGRATIONS, extra])).toEqual([9999]);
      expect(await t.db.query('SELECT x FROM migration_probe')).toEqual([{ x: 1 }]);
      await t.db.exec('DROP TABLE migration_probe; DELETE FROM schema_migrations WHERE version = 9999');
    });

    it('a failing migration applies nothing of itself and is not marked done', async () => {
      const bad = { version: 9998, name: 'broken', sql: 'CREATE TABLE half_done (x integer); SELECT no_such_column FROM half_done' };
      await expect(migrate(t.db, [...MIGRATIONS, bad])).rejects.toThrow();
      expect(await t.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toEqual([]);
      expect(await t.db.query('SELECT 1 FROM schema_migrations WHERE version = 9998')).toEqual([]);
    });

    it('writes a record with every field as given', async () => {
      const r = record({ referral: { services: ['112'], calledAt: Date.UTC(2026, 2, 10, 12, 5), by: 'anna' }, chiSubcategories: ['a.b', 'c.d'] });
      expect(await repo.write([{ seq: 10, snapshot: { record: r } }])).toBe(1);
      const row = await repo.get(r.id);
      expect(row).toMatchObject({ id: r.id, channel: 'webchat', risk: 'medium', topic: 'family', counselors: ['anna'], chi_subcategories: ['a.b', 'c.d'], seq: 10, safety_plan: false });
      expect(new Date(row!.started_at as string).getTime()).toBe(r.startedAt);
      expect(Number(row!.wait_ms)).toBe(60_000);
      expect(row!.referral).toEqual({ services: ['112'], calledAt: Date.UTC(2026, 2, 10, 12, 5), by: 'anna' });
    });

    it('upserts by conversation id: a newer snapshot replaces, a replayed or older one changes nothing', async () => {
      const r = record({ state: 'queued', outcome: null });
      await repo.write([{ seq: 20, snapshot: { record: r } }]);
      expect(await repo.write([{ seq: 22, snapshot: { record: { ...r, state: 'closed', outcome: 'referred' } } }])).toBe(1);
      // The same entry again (a flush replayed after a crash) and an older one arriving late.
      expect(await repo.write([{ seq: 22, snapshot: { record: { ...r, state: 'closed', outcome: 'referred' } } }])).toBe(0);
      expect(await repo.write([{ seq: 21, snapshot: { record: { ...r, state: 'with_counselor' } } }])).toBe(0);
      expect(await repo.get(r.id)).toMatchObject({ state: 'closed', outcome: 'referred', seq: 22 });
      const n = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_records WHERE id = $1', [r.id]);
      expect(n[0]!.n).toBe(1);
    });

    it('a batch is written in sequence order whatever order it comes in, all or nothing', async () => {
      const r = record();
      await repo.write([
        { seq: 31, snapshot: { record: { ...r, outcome: 'follow_up' } } },
        { seq: 30, snapshot: { record: { ...r, outcome: 'supported' } } },
      ]);
      expect(await repo.get(r.id)).toMatchObject({ outcome: 'follow_up', seq: 31 });
      const other = record();
      const broken = { ...record(), channel: null as unknown as string };
      await expect(repo.write([{ seq: 40, snapshot: { record: other } }, { seq: 41, snapshot: { record: broken } }])).rejects.toThrow();
      expect(await repo.get(other.id)).toBeNull();
    });

    it('a profile counts each contact once, with the one before it', async () => {
      const p = `p-${impl.name}-${Date.now()}`;
      const first = record({ topic: 'school', risk: 'low', startedAt: Date.UTC(2026, 1, 1) });
      await repo.write([{ seq: 50, snapshot: { record: first, profile: p } }]);
      await repo.write([{ seq: 51, snapshot: { record: { ...first, risk: 'medium' }, profile: p } }]);
      await repo.write([{ seq: 51, snapshot: { record: { ...first, risk: 'medium' }, profile: p } }]);
      const second = record({ topic: 'family', risk: 'high', startedAt: Date.UTC(2026, 1, 15) });
      await repo.write([{ seq: 52, snapshot: { record: second, profile: p } }]);
      const row = await repo.profile(p);
      expect(row).toMatchObject({ contacts: 2, last_id: second.id, last_topic: 'family', last_risk: 'high', prev_topic: 'school', prev_risk: 'medium', prev_at: '2026-02-01T00:00:00Z' });
    });

    it('blocks and unblocks a profile; purges old records and silent profiles, keeping blocked ones', async () => {
      const now = Date.UTC(2031, 0, 1);
      const p = `b-${impl.name}-${Date.now()}`;
      await repo.block(p, now + 7 * DAY, 'abusive', 'sup', now);
      expect(await repo.profile(p)).toMatchObject({ contacts: 0, block_reason: 'abusive', blocked_by: 'sup', blocked_until: new Date(now + 7 * DAY).toISOString().replace('.000', '') });
      const old = record({ startedAt: now - 2000 * DAY });
      const recent = record({ startedAt: now - 10 * DAY });
      await repo.write([
        { seq: 60, snapshot: { record: old, profile: `old-${p}` } },
        { seq: 61, snapshot: { record: recent } },
      ]);
      const purged = await repo.purge(now - 1825 * DAY, now);
      expect(purged.records).toBeGreaterThanOrEqual(1);
      expect(await repo.get(old.id)).toBeNull();
      expect(await repo.get(recent.id)).not.toBeNull();
      expect(await repo.profile(`old-${p}`)).toBeNull();
      expect(await repo.profile(p)).not.toBeNull();
      await repo.unblock(p);
      expect((await repo.profile(p))!.blocked_until).toBeNull();
    });
  });
}

describe('records contract: PostgreSQL only', () => {
  it('two instances migrating the same database at once apply each migration once', async () => {
    const { postgresSchema } = await import('./databases.js');
    const { schema, drop } = await postgresSchema();
    const a = new PostgresDb({ url: DATABASE_URL, schema });
    const b = new PostgresDb({ url: DATABASE_URL, schema });
    try {
      const [x, y] = await Promise.all([migrate(a), migrate(b)]);
      expect([...x, ...y].sort()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
