// The records outbox, one contract on both stores: sequence numbers increase in push order (also
// from concurrent pushes), peeking removes nothing, dropping goes by sequence.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { record } from '../records/records-factory.js';
import { implementations } from './implementations.js';

for (const impl of implementations) {
  describe(`records outbox contract: ${impl.name}`, () => {
    const opened: Store[] = [];
    const make = async () => {
      const s = await impl.make();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('keeps entries in push order with increasing sequences until dropped', async () => {
      const s = await make();
      expect(await s.recordBacklog()).toBe(0);
      const a = record();
      const b = record({ outcome: 'referred' });
      const seqA = await s.pushRecord({ record: a, profile: 'p1' });
      const seqB = await s.pushRecord({ record: b });
      expect(seqB).toBeGreaterThan(seqA);
      expect(await s.recordBacklog()).toBe(2);
      const peeked = await s.peekRecords(10);
      expect(peeked).toEqual([
        { seq: seqA, snapshot: { record: a, profile: 'p1' } },
        { seq: seqB, snapshot: { record: b } },
      ]);
      // Peeking again gives the same: nothing leaves before it is written.
      expect(await s.peekRecords(1)).toEqual([peeked[0]]);
      await s.dropRecords(seqA);
      expect(await s.peekRecords(10)).toEqual([peeked[1]]);
      // A second flusher dropping the same range again drops nothing more.
      await s.dropRecords(seqA);
      expect(await s.recordBacklog()).toBe(1);
      await s.dropRecords(seqB);
      expect(await s.recordBacklog()).toBe(0);
    });

    it('concurrent pushes get distinct sequences, in the order they are listed', async () => {
      const s = await make();
      const seqs = await Promise.all(Array.from({ length: 50 }, () => s.pushRecord({ record: record() })));
      expect(new Set(seqs).size).toBe(50);
      const listed = (await s.peekRecords(100)).map((i) => i!.seq);
      expect(listed).toEqual([...listed].sort((x, y) => x - y));
      expect([...seqs].sort((x, y) => x - y)).toEqual(listed);
    });

    it('entries pushed after a drop point stay', async () => {
      const s = await make();
      const first = await s.pushRecord({ record: record() });
      const taken = await s.peekRecords(10);
      const late = await s.pushRecord({ record: record() });
      await s.dropRecords(taken.at(-1)!.seq);
      expect((await s.peekRecords(10)).map((i) => i!.seq)).toEqual([late]);
      expect(late).toBeGreaterThan(first);
    });
  });
}
