// Content versions and drafts: the same suite against the memory and the Redis store.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContentVersion } from '../../src/core/content-versions.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { REDIS_URL, implementations } from './implementations.js';

const version = (comment: string, files: Record<string, string>): Omit<ContentVersion, 'number'> => ({
  author: 'olga',
  at: Date.now(),
  comment,
  diff: [{ key: 'message:ru:greeting', before: 'a', after: 'b' }],
  files,
});

const draft = (over: Partial<{ id: string; base: number }> = {}) => ({ id: over.id ?? randomUUID(), title: 'breathing', createdBy: 'olga', createdAt: Date.now(), base: over.base ?? 1 });

for (const impl of implementations) {
  describe(`content versions contract: ${impl.name}`, () => {
    const opened: Store[] = [];
    const make = async () => {
      const s = await impl.make();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('publishes numbered versions with their files and meta, newest first in the list', async () => {
      const { contentVersions: v } = await make();
      expect(await v.latestNumber()).toBe(0);
      expect(await v.getVersion(1)).toBeNull();
      expect(await v.publishVersion(version('seed', { 'locales/ru.ftl': 'greeting = a\n', 'intents/scripts.yaml': 'steps: {}\n' }), 0)).toEqual({ ok: true, number: 1 });
      expect(await v.publishVersion(version('second', { 'locales/ru.ftl': 'greeting = b\n', 'intents/scripts.yaml': 'steps: {}\n' }), 1)).toEqual({ ok: true, number: 2 });
      expect(await v.latestNumber()).toBe(2);
      const two = await v.getVersion(2);
      expect(two?.files).toEqual({ 'locales/ru.ftl': 'greeting = b\n', 'intents/scripts.yaml': 'steps: {}\n' });
      expect(two).toMatchObject({ number: 2, author: 'olga', comment: 'second', diff: [{ key: 'message:ru:greeting', before: 'a', after: 'b' }] });
      expect((await v.getVersion(1))?.files['locales/ru.ftl']).toBe('greeting = a\n');
      expect((await v.listVersions()).map((m) => [m.number, m.comment])).toEqual([
        [2, 'second'],
        [1, 'seed'],
      ]);
      expect('files' in (await v.listVersions())[0]!).toBe(false);
    });

    it('lets exactly one of two publishes on the same base win, and tells the loser the winner', async () => {
      const { contentVersions: v } = await make();
      await v.publishVersion(version('seed', { 'locales/ru.ftl': 'x = 1\n' }), 0);
      const results = await Promise.all([v.publishVersion(version('a', { 'locales/ru.ftl': 'x = a\n' }), 1), v.publishVersion(version('b', { 'locales/ru.ftl': 'x = b\n' }), 1)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, latest: 2 });
      expect(await v.latestNumber()).toBe(2);
    });

    it('tells every subscriber of the store about a published version', async () => {
      const a = await make();
      // The Redis implementation: a second connection to the same prefix is another instance.
      const b = a instanceof RedisStore ? await RedisStore.connect({ url: REDIS_URL, prefix: (a as unknown as { p: string }).p, retention: { botMs: 60_000, handledMs: 60_000 } }) : a;
      if (b !== a) opened.push(b);
      const heard: number[] = [];
      b.contentVersions.onVersionPublished((n) => heard.push(n));
      if (b instanceof RedisStore) await b.ready();
      await a.contentVersions.publishVersion(version('seed', { 'locales/ru.ftl': 'x = 1\n' }), 0);
      const end = Date.now() + 2000;
      while (!heard.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(heard).toEqual([1]);
    });

    it('saves draft items with optimistic concurrency: a stale revision writes nothing and gets the stored item back', async () => {
      const { contentVersions: v } = await make();
      const d = draft();
      await v.createDraft(d);
      expect(await v.saveDraftItem(d.id, 'message:ru:breathing', { value: 'breathe = first\n', by: 'olga', at: 1 }, 0)).toEqual({ ok: true, rev: 1, draftRev: 1 });
      // Pavel read the item at revision 0 too: his save is refused, Olga's stays.
      const stale = await v.saveDraftItem(d.id, 'message:ru:breathing', { value: 'breathe = second\n', by: 'pavel', at: 2 }, 0);
      expect(stale).toEqual({ ok: false, current: { value: 'breathe = first\n', rev: 1, by: 'olga', at: 1 } });
      expect(await v.saveDraftItem(d.id, 'message:ru:breathing', { value: 'breathe = merged\n', by: 'pavel', at: 3 }, 1)).toEqual({ ok: true, rev: 2, draftRev: 2 });
      expect(await v.saveDraftItem(d.id, 'step:breathing', { value: null, by: 'pavel', at: 4 }, 0)).toEqual({ ok: true, rev: 1, draftRev: 3 });
      const got = await v.getDraft(d.id);
      expect(got).toMatchObject({ id: d.id, base: 1, rev: 3, approvals: [] });
      expect(got?.items).toEqual({
        'message:ru:breathing': { value: 'breathe = merged\n', rev: 2, by: 'pavel', at: 3 },
        'step:breathing': { value: null, rev: 1, by: 'pavel', at: 4 },
      });
      expect(await v.saveDraftItem('no-such-draft', 'k', { value: 'v', by: 'x', at: 1 }, 0)).toEqual({ ok: false, missing: true });
    });

    it('lets exactly one of two concurrent saves at the same revision win', async () => {
      const { contentVersions: v } = await make();
      const d = draft();
      await v.createDraft(d);
      const rs = await Promise.all(['a', 'b', 'c'].map((by) => v.saveDraftItem(d.id, 'step:x', { value: by, by, at: 1 }, 0)));
      expect(rs.filter((r) => r.ok)).toHaveLength(1);
      expect((await v.getDraft(d.id))?.rev).toBe(1);
    });

    it('keeps an approval only for the revision it saw, lists and deletes drafts', async () => {
      const { contentVersions: v } = await make();
      const d = draft();
      await v.createDraft(d);
      await expect(v.createDraft(d)).rejects.toThrow();
      await v.saveDraftItem(d.id, 'message:ru:emergency', { value: 'emergency = 112\n', by: 'olga', at: 1 }, 0);
      expect(await v.approveDraft(d.id, { by: 'pavel', at: 2, rev: 0 })).toBe(false);
      expect(await v.approveDraft(d.id, { by: 'pavel', at: 2, rev: 1 })).toBe(true);
      expect((await v.getDraft(d.id))?.approvals).toEqual([{ by: 'pavel', at: 2, rev: 1 }]);
      expect((await v.listDrafts()).map((x) => [x.id, x.rev, x.title])).toEqual([[d.id, 1, 'breathing']]);
      await v.deleteDraft(d.id);
      expect(await v.getDraft(d.id)).toBeNull();
      expect(await v.listDrafts()).toEqual([]);
      expect(await v.approveDraft(d.id, { by: 'pavel', at: 3, rev: 1 })).toBe(false);
    });

    it('keeps a draft\'s last safety-check result for every instance, and drops it with the draft', async () => {
      const { contentVersions: v } = await make();
      const d = draft();
      await v.createDraft(d);
      expect(await v.getGateResult(d.id)).toBeNull();
      await v.setGateResult(d.id, '{"rev":1,"state":"done"}');
      await v.setGateResult(d.id, '{"rev":2,"state":"done"}');
      expect(await v.getGateResult(d.id)).toBe('{"rev":2,"state":"done"}');
      await v.deleteDraft(d.id);
      expect(await v.getGateResult(d.id)).toBeNull();
    });
  });
}
