import type { AuditEntry, AuditRepository } from '../core/staff.js';

export type { AuditEntry };

const KEEP = 100_000;

/**
 * Who read or changed what, when: kept in the store (never in the logs, which must not carry ids).
 * Actions: open (a transcript was read), claim, transfer, close, login, password-change,
 * account-create, account-update.
 */
export class Audit {
  constructor(private repo: AuditRepository) {}

  async record(by: string, action: string, target?: string, detail?: string): Promise<void> {
    await this.repo.append({ at: Date.now(), by, action, target, detail }, KEEP);
  }

  /** Newest first. */
  async list(count: number): Promise<AuditEntry[]> {
    return this.repo.list(count);
  }
}
