// The records database as the app runs it: PostgreSQL or a PGlite folder opened at start-up (and
// retried while it cannot be: records wait in the live store's outbox meanwhile, reports answer
// 503); an in-memory PGlite (tests, demos) only at its first report or flush, since PGlite takes
// ~3-6 s and ~800 MB to start here and stalls the event loop up to ~0.4 s at a time meanwhile
// (measured), which a test with a 1 s grace period, or a child's turn, must not meet.
import { errInfo } from '../core/errors.js';
import type { Dedupe, Locks, Log, RecordOutbox } from '../core/ports.js';
import type { Db } from './db.js';
import { RecordsRepository } from './repository.js';
import { RecordWriter } from './writer.js';

export interface RecordsServiceOptions {
  /** Opens the database and migrates it (built by main.ts: openRecordsDb). */
  open: () => Promise<Db>;
  kind: 'postgres' | 'pglite';
  /** Open at start and retry until open (PostgreSQL, a PGlite folder); else at the first report or flush. */
  eager: boolean;
  outbox: RecordOutbox;
  locks: Locks;
  once: Dedupe;
  log: Log;
  retentionMs: number;
  /** How often the outbox is looked at (and flushed once the database is open). */
  intervalMs?: number;
  now?: () => number;
}

const MAX_RETRY_MS = 30_000;

export class RecordsService {
  private db: Db | null = null;
  private repo: RecordsRepository | null = null;
  private writer: RecordWriter | null = null;
  private opening: Promise<RecordsRepository> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failedAt = 0;
  private failures = 0;
  private stopped = false;

  constructor(private opts: RecordsServiceOptions) {}

  get kind(): 'postgres' | 'pglite' {
    return this.opts.kind;
  }

  start(): void {
    if (this.opts.eager) void this.repository().catch(() => undefined);
    const tick = async () => {
      if (this.stopped) return;
      try {
        if (!this.repo && this.opts.eager) await this.repository();
      } catch {
        // logged by repository(); tried again on a later tick
      } finally {
        if (!this.stopped) this.timer = setTimeout(() => void tick(), this.opts.intervalMs ?? 1000).unref();
      }
    };
    this.timer = setTimeout(() => void tick(), this.opts.intervalMs ?? 1000).unref();
  }

  /** The repository, opening the database first if needed; rejects while it cannot be opened. */
  repository(): Promise<RecordsRepository> {
    if (this.repo) return Promise.resolve(this.repo);
    if (this.stopped) return Promise.reject(new Error('records are stopped'));
    const wait = this.failures ? Math.min(1000 * 2 ** this.failures, MAX_RETRY_MS) : 0;
    if (!this.opening && Date.now() - this.failedAt < wait) return Promise.reject(new Error('records database unavailable; retrying'));
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  /** The repository if the database is open now (no waiting). */
  get current(): RecordsRepository | null {
    return this.repo;
  }

  /** For /healthz details: whether records are being written. */
  status(): { open: boolean; failing: boolean; kind: 'postgres' | 'pglite' } {
    return { open: !!this.repo, failing: this.failures > 0 || this.writer?.failing === true, kind: this.kind };
  }

  /** Writes the outbox now (tests): 0 when the database is not open. */
  async flush(): Promise<number> {
    if (!this.writer) await this.repository();
    return this.writer!.flush();
  }

  private async open(): Promise<RecordsRepository> {
    const started = Date.now();
    try {
      const db = await this.opts.open();
      if (this.stopped) {
        await db.close();
        throw new Error('records are stopped');
      }
      this.db = db;
      this.repo = new RecordsRepository(db);
      this.writer = new RecordWriter({ outbox: this.opts.outbox, locks: this.opts.locks, once: this.opts.once, repo: this.repo, log: this.opts.log, retentionMs: this.opts.retentionMs, intervalMs: this.opts.intervalMs, now: this.opts.now });
      this.writer.start();
      this.failures = 0;
      this.opts.log.info({ records: db.kind, ms: Date.now() - started }, 'records database open');
      return this.repo;
    } catch (err) {
      this.failures++;
      this.failedAt = Date.now();
      this.opts.log.error({ err: errInfo(err), records: this.kind }, 'records database not open; records wait in the outbox');
      throw err;
    }
  }

  /** One retention pass now (it also runs at opening and hourly, once across instances). */
  async purge(): Promise<{ records: number; profiles: number } | null> {
    await this.repository();
    return this.writer!.purgeOnce();
  }

  /** Stops writing (one last flush when the database is open) and closes the database. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.opening?.catch(() => undefined);
    await this.writer?.stop();
    await this.db?.close().catch(() => undefined);
  }
}
