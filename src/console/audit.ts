import type { Store } from '../store/store.js';

export interface AuditEntry {
  at: number;
  /** Staff id. */
  by: string;
  /** open (a transcript was read), claim, transfer, close, note, account-create, account-update, login. */
  action: string;
  /** Conversation or account id. */
  target?: string;
  detail?: string;
}

const LIST = 'console-audit';
const KEEP = 100_000;

/** Who read or changed what, when: kept in the store (never in the logs, which must not carry ids). */
export class Audit {
  constructor(private store: Store) {}

  async record(by: string, action: string, target?: string, detail?: string): Promise<void> {
    const entry: AuditEntry = { at: Date.now(), by, action, target, detail };
    await this.store.listPush(LIST, JSON.stringify(entry), KEEP);
  }

  /** Newest first. */
  async list(count: number): Promise<AuditEntry[]> {
    return (await this.store.listRange(LIST, count)).map((raw) => JSON.parse(raw) as AuditEntry);
  }
}
