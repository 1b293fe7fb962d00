import { AppError } from '../core/errors.js';

/** Attempts waiting per address at most: an office behind one NAT starts its shift together. */
const PER_ADDRESS = 4;

/** Waiters by address, served round-robin: one from each address in turn. */
class Lanes {
  private byAddress = new Map<string, (() => void)[]>();
  size = 0;

  count(address: string): number {
    return this.byAddress.get(address)?.length ?? 0;
  }

  add(address: string, resolve: () => void): void {
    const q = this.byAddress.get(address);
    if (q) q.push(resolve);
    else this.byAddress.set(address, [resolve]);
    this.size++;
  }

  /** The next waiter, taking addresses in turn (an address served goes to the back). */
  take(): (() => void) | undefined {
    const first = this.byAddress.entries().next();
    if (first.done) return undefined;
    const [address, q] = first.value;
    const next = q.shift()!;
    this.byAddress.delete(address);
    if (q.length) this.byAddress.set(address, q);
    this.size--;
    return next;
  }
}

/**
 * At most `concurrency` password hashes at once. Waiting attempts are taken in turn by address,
 * so a crowd of addresses cannot push a counselor's sign-in to the back of a long queue and one
 * address cannot fill it; a browser that signed in to the account before goes first. Measured
 * here: 240 attempts from 24 addresses had held a real sign-in for 22.8 s before.
 */
export class HashPool {
  private running = 0;
  private waiting = new Lanes();
  private first = new Lanes();

  constructor(
    private concurrency: number,
    private maxWaiting: number,
  ) {}

  /** `knownDevice`: the browser carries this account's device cookie from an earlier sign-in. */
  async run<T>(address: string, task: () => Promise<T>, knownDevice = false): Promise<T> {
    if (this.running >= this.concurrency) {
      const lane = knownDevice ? this.first : this.waiting;
      if (lane.count(address) >= PER_ADDRESS) throw new AppError('conflict', 429, 'too many sign-ins at once from this address; try again in a moment');
      // A full queue refuses the crowd, not a known device (at most four a device's address wait).
      if (!knownDevice && this.waiting.size >= this.maxWaiting) throw new AppError('unavailable', 503, 'sign-in is busy; try again in a few seconds');
      await new Promise<void>((resolve) => lane.add(address, resolve));
    } else this.running++;
    try {
      return await task();
    } finally {
      const next = this.first.take() ?? this.waiting.take();
      if (next) next();
      else this.running--;
    }
  }
}
