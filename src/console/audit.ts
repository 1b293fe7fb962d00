import type { AuditEntry, AuditRepository } from '../core/staff.js';
import { matches, type AuditFilter } from './audit-view.js';

export type { AuditEntry };

const KEEP = 100_000;

/**
 * Who read or changed what, when: kept in the store (never in the logs, which must not carry ids).
 * Actions: open (a transcript was read), claim, transfer, close, login, password-change,
 * account-create, account-update.
 */
/** Actions whose target is a conversation id. */
const ON_CONVERSATIONS = new Set(['open', 'claim', 'transfer', 'close']);

export class Audit {
  constructor(private repo: AuditRepository) {}

  /**
   * Keeps the log within its retention (entries older than `retentionMs` go) and keeps no
   * conversation id once that conversation's transcript is gone: the id would point at nothing
   * and is a child's trace.
   */
  async prune(retentionMs: number, conversationExists: (id: string) => Promise<boolean>, now = Date.now()): Promise<{ before: number; after: number }> {
    return this.repo.rewrite(async (e) => {
      if (e.at < now - retentionMs) return null;
      if (e.target && ON_CONVERSATIONS.has(e.action) && !(await conversationExists(e.target))) return { ...e, target: undefined };
      return e;
    });
  }

  async record(by: string, action: string, target?: string, detail?: string): Promise<void> {
    await this.repo.append({ at: Date.now(), by, action, target, detail }, KEEP);
  }

  /** Newest first. */
  async list(count: number): Promise<AuditEntry[]> {
    return this.repo.list(count);
  }

  /**
   * Newest first, the entries matching every filter, among the newest `scan` entries (a filter
   * reads the log from its head; 20 000 entries is weeks of a busy helpline, read in ~0.1 s).
   */
  async find(filter: AuditFilter, count: number, scan = 20_000): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (const e of await this.repo.list(scan)) {
      if (!matches(e, filter)) continue;
      out.push(e);
      if (out.length >= count) break;
    }
    return out;
  }
}
