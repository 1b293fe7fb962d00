import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt from node:crypto: memory-hard, no native add-on. N=2^17, r=8 (OWASP's minimum) costs
// ~500 ms and 128 MiB per check on these 2-core machines (2^15: ~130 ms); PASSWORD_SCRYPT_LOG2N
// sets it, and a hash of a lower cost is redone at its next sign-in.
export const DEFAULT_LOG2N = 17;
const R = 8;
const P = 1;
const KEYLEN = 64;
/** Longer inputs are refused before hashing, so a huge password cannot tie up the CPU. */
export const MAX_PASSWORD = 256;
export const MIN_PASSWORD = 8;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** "scrypt$N$r$p$salt$key" (base64url), so the cost can change without breaking old hashes. */
export async function hashPassword(password: string, log2N = DEFAULT_LOG2N): Promise<string> {
  const N = 2 ** log2N;
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when a stored hash costs less than `log2N` asks for (it is redone at the next sign-in). */
export function weakerThan(stored: string, log2N: number): boolean {
  const [, n, r] = stored.split('$');
  return Number(n) < 2 ** log2N || Number(r) < R;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key || password.length > MAX_PASSWORD) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** 20 characters from a CSPRNG (120 bits). */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}
