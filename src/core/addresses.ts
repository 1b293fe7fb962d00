import { isIPv6 } from 'node:net';

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
