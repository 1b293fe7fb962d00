import { randomUUID } from 'node:crypto';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Retention, Store } from '../../src/store/store.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Impl {
  name: string;
  make(retention?: Partial<Retention>): Promise<Store>;
}

const base: Retention = { botMs: 60_000, handledMs: 120_000 };

/** The two implementations every contract suite runs against; Redis gets a fresh prefix each time. */
export const implementations: Impl[] = [
  { name: 'memory', make: async (r) => new MemoryStore({ ...base, ...r }) },
  {
    name: 'redis',
    make: async (r) => {
      const store = await RedisStore.connect({ url: REDIS_URL, prefix: `test-${randomUUID()}`, retention: { ...base, ...r } });
      return store;
    },
  },
];
