import { ConflictError, InvalidInput, NotFoundError } from '../core/errors.js';
import type { Dedupe, Log } from '../core/ports.js';
import type { Account, AccountRepository, Role } from '../core/staff.js';
import { DEFAULT_LOG2N, MAX_PASSWORD, MIN_PASSWORD, hashPassword, randomPassword, verifyPassword, weakerThan } from './passwords.js';

export type PublicAccount = Omit<Account, 'hash'>;

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new InvalidInput(`password: at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw new InvalidInput(`password: at most ${MAX_PASSWORD} characters`);
}

function pub(a: Account): PublicAccount {
  const { hash: _hash, ...rest } = a;
  return rest;
}

/** Staff accounts: creation rules, passwords, the first admin. */
export class Accounts {
  // Compared against when the user does not exist, so a wrong name costs as long as a wrong password.
  private dummy: Promise<string>;

  constructor(
    private repo: AccountRepository,
    private once: Dedupe,
    /** scrypt cost (log2 N); lower only for tests. */
    private log2N = DEFAULT_LOG2N,
  ) {
    this.dummy = hashPassword(randomPassword(), log2N);
  }

  async get(id: string): Promise<Account | null> {
    return this.repo.get(id.toLowerCase());
  }

  async list(): Promise<PublicAccount[]> {
    return (await this.repo.list()).map(pub).sort((a, b) => a.id.localeCompare(b.id));
  }

  async create(username: string, password: string, role: Role, by?: string): Promise<PublicAccount> {
    const id = username.trim().toLowerCase();
    if (!USERNAME.test(id)) throw new InvalidInput('username: 2–32 of a-z 0-9 . _ -, starting with a letter or digit');
    checkPassword(password);
    if (await this.get(id)) throw new ConflictError(`an account "${id}" already exists`);
    const account: Account = { id, role, hash: await hashPassword(password, this.log2N), createdAt: Date.now(), createdBy: by };
    await this.repo.put(account);
    return pub(account);
  }

  async update(id: string, change: { role?: Role; password?: string; disabled?: boolean }): Promise<PublicAccount> {
    const account = await this.get(id);
    if (!account) throw new NotFoundError('no such account');
    if (change.role) account.role = change.role;
    if (change.disabled !== undefined) account.disabled = change.disabled;
    if (change.password !== undefined) {
      checkPassword(change.password);
      account.hash = await hashPassword(change.password, this.log2N);
    }
    await this.repo.put(account);
    return pub(account);
  }

  /** The account when the password is right and it is not disabled; null otherwise. */
  async verify(username: string, password: string): Promise<Account | null> {
    const account = await this.get(username.trim());
    if (!account) {
      await verifyPassword(password, await this.dummy);
      return null;
    }
    const ok = await verifyPassword(password, account.hash);
    if (!ok || account.disabled) return null;
    // A hash made at a lower cost (before the cost was raised) is redone now that the password is known.
    if (weakerThan(account.hash, this.log2N)) {
      account.hash = await hashPassword(password, this.log2N);
      await this.repo.put(account);
    }
    return account;
  }

  /**
   * The first admin: created when the account is missing, from ADMIN_PASSWORD or a random password
   * shown once in the log (the only secret ever logged, and only when the operator set none).
   */
  async ensureAdmin(username: string, password: string | undefined, log: Log): Promise<void> {
    const id = username.trim().toLowerCase();
    if (await this.get(id)) return;
    // Several instances starting together against one Redis: one creates the account.
    if (!(await this.once.markOnce('console:bootstrap-admin', 30_000))) return;
    const chosen = password ?? randomPassword();
    await this.create(id, chosen, 'admin', 'start-up');
    if (password) log.info({ username: id }, 'first admin account created from ADMIN_USERNAME/ADMIN_PASSWORD');
    else log.warn(`first admin account created: username "${id}", password "${chosen}" (shown only this once; set ADMIN_PASSWORD to choose it)`);
  }
}
