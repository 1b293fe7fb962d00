import { createHash, randomBytes } from 'node:crypto';
import type { Session, SessionRepository } from '../core/staff.js';

export type { Session };

/** The store keeps only a hash of the cookie value: a leaked store dump opens no session. */
export function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Staff sessions in the store with a fixed lifetime (one shift), shared by every instance. */
export class Sessions {
  constructor(
    private repo: SessionRepository,
    readonly ttlMs: number,
  ) {}

  async create(userId: string): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { userId, csrf: randomBytes(24).toString('base64url'), createdAt: Date.now() };
    await this.repo.put(hashOf(token), session, this.ttlMs);
    return { token, session };
  }

  async get(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    return this.repo.get(hashOf(token));
  }

  async destroy(token: string): Promise<void> {
    await this.repo.delete(hashOf(token));
  }

  /** Ends every session of an account (but `keep`, the one making the change, if given). */
  async destroyAll(userId: string, keep?: string): Promise<void> {
    const kept = keep ? hashOf(keep) : undefined;
    for (const hash of await this.repo.listFor(userId)) if (hash !== kept) await this.repo.delete(hash);
  }
}
