import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';

export interface Session {
  userId: string;
  /** Sent back in x-csrf-token on every state-changing request. */
  csrf: string;
  createdAt: number;
}

/** The store keeps only a hash of the cookie value: a leaked store dump opens no session. */
function key(token: string): string {
  return `console-session:${createHash('sha256').update(token).digest('base64url')}`;
}

/** Staff sessions in the store with a fixed lifetime (one shift), shared by every instance. */
export class Sessions {
  constructor(
    private store: Store,
    readonly ttlMs: number,
  ) {}

  async create(userId: string): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const session: Session = { userId, csrf: randomBytes(24).toString('base64url'), createdAt: Date.now() };
    await this.store.kvSet(key(token), JSON.stringify(session), this.ttlMs);
    return { token, session };
  }

  async get(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const raw = await this.store.kvGet(key(token));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async destroy(token: string): Promise<void> {
    await this.store.kvDel(key(token));
  }
}
