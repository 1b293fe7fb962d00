import { addressKey } from '../../core/addresses.js';
import { TokenBucket } from './rate-limit.js';

/** Token buckets per address key, in this process; idle ones are forgotten. */
export class AddressLimit {
  private buckets = new Map<string, { bucket: TokenBucket; at: number }>();

  constructor(
    private burst: number,
    private perMinute: number,
    private now: () => number = Date.now,
  ) {}

  take(ip: string): boolean {
    const key = addressKey(ip);
    const t = this.now();
    let entry = this.buckets.get(key);
    if (!entry) {
      if (this.buckets.size > 50_000) this.sweep(t);
      entry = { bucket: new TokenBucket(this.burst, this.perMinute / 60, this.now), at: t };
      this.buckets.set(key, entry);
    }
    entry.at = t;
    return entry.bucket.take();
  }

  private sweep(t: number): void {
    for (const [k, v] of this.buckets) if (t - v.at > 10 * 60_000) this.buckets.delete(k);
  }
}
