import { isIPv6 } from 'node:net';
import { TokenBucket } from './rate-limit.js';

/**
 * The part of a client address that stands for one household or one school: an IPv4 address, or
 * the /64 prefix of an IPv6 one (a single device can hold a whole /64 and rotate through it).
 */
export function addressKey(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const full = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${full.slice(0, 4).map((g) => g || '0').join(':')}::/64`;
}

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
