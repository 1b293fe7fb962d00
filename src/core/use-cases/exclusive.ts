import type { Locks } from '../ports.js';
import { KeyedLock } from './keyed-lock.js';

/**
 * One task at a time per key: in this process (in arrival order), and across instances through
 * the store's lock, so a child's consecutive messages never overtake each other and a claim
 * never interleaves with the child's own message.
 */
export class Exclusive {
  private local = new KeyedLock();

  constructor(private locks: Locks) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.locks.withLock(key, fn));
  }
}
