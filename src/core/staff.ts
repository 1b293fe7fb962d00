// Staff: accounts, sessions and the audit log, as the console uses them, with the ports the
// store implements for them (typed repositories; values validated on read).

export const ROLES = ['counselor', 'supervisor', 'admin', 'editor'] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  /** The username, lower case; also the id shown in transcripts ("claimed by anna"). */
  id: string;
  role: Role;
  hash: string;
  createdAt: number;
  createdBy?: string;
  disabled?: boolean;
}

export interface Session {
  userId: string;
  /** Sent back in x-csrf-token on every state-changing request. */
  csrf: string;
  createdAt: number;
}

export interface AuditEntry {
  at: number;
  /** Staff id. */
  by: string;
  /** open (a transcript was read), claim, transfer, close, account-create, account-update, login, logout. */
  action: string;
  /** Conversation or account id. */
  target?: string;
  detail?: string;
}

export interface AccountRepository {
  get(id: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  put(account: Account): Promise<void>;
}

/** Sessions by a hash of their cookie value: a leaked store dump opens no session. */
export interface SessionRepository {
  put(tokenHash: string, session: Session, ttlMs: number): Promise<void>;
  get(tokenHash: string): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
  /** The sessions of one account that are still valid (token hashes). */
  listFor(userId: string): Promise<string[]>;
}

export interface AuditRepository {
  append(entry: AuditEntry, keep: number): Promise<void>;
  /** Newest first. */
  list(count: number): Promise<AuditEntry[]>;
  /** Rewrites the whole log through `keep` (null drops an entry). */
  rewrite(keep: (entry: AuditEntry) => Promise<AuditEntry | null>): Promise<{ before: number; after: number }>;
}

/** Browsers an account has signed in from (by a hash of their device cookie): they go first when sign-in is busy. */
export interface DeviceRepository {
  put(tokenHash: string, userId: string, ttlMs: number): Promise<void>;
  get(tokenHash: string): Promise<string | null>;
}

export interface StaffRepositories {
  devices: DeviceRepository;
  accounts: AccountRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  corrections: CorrectionRepository;
}

/**
 * A counselor's "triage was wrong" on one child message. It holds the child's words, so it lives
 * no longer than the transcript it came from; an editor paraphrases it into intents/ by hand.
 */
export interface Correction {
  id: string;
  conversationId: string;
  /** The transcript entry corrected. */
  seq: number;
  text: string;
  /** The conversation's language. */
  lang: string;
  /** What the triage said. */
  was: { topic: string; risk: string };
  /** What the counselor says it is. */
  topic: string;
  risk: string;
  by: string;
  at: number;
}

export interface CorrectionRepository {
  /** Stores (or replaces: one correction per message) for ttlMs. */
  put(correction: Correction, ttlMs: number): Promise<void>;
  /** Newest first, only those still kept. */
  list(count: number): Promise<Correction[]>;
}
