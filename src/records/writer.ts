// The record writer: moves record snapshots from the live store's outbox to the records
// database, after the live step and never in a child's path. One instance flushes at a time (a
// store lock); entries leave the outbox only after the database committed them, by sequence, so
// a crash or a kill -9 mid-flush replays them and the upsert (newer sequence wins) writes each
// once. While the database is down the outbox grows and flushing retries with backoff.
import { errInfo } from '../core/errors.js';
import type { Dedupe, Locks, Log, RecordOutbox } from '../core/ports.js';
import type { OutboxItem } from '../core/records.js';
import type { RecordsRepository } from './repository.js';

export interface RecordWriterOptions {
  outbox: RecordOutbox;
  locks: Locks;
  once: Dedupe;
  repo: RecordsRepository;
  log: Log;
  /** Entries per transaction. */
  batch?: number;
  /** A flush this often (ms); sooner after nudge(). */
  intervalMs?: number;
  /** Records older than this are deleted (ms); hourly, once across instances. */
  retentionMs: number;
  now?: () => number;
}

const MAX_BACKOFF_MS = 30_000;

export class RecordWriter {
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;
  private failures = 0;
  private lastErrorLog = 0;
  private stopped = false;
  private batch: number;
  private intervalMs: number;
  private now: () => number;
  /** Entries that did not parse: skipped (and counted), never retried forever. */
  skipped = 0;

  constructor(private opts: RecordWriterOptions) {
    this.batch = opts.batch ?? 500;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.schedule(this.intervalMs);
    this.purgeTimer = setInterval(() => void this.purgeOnce(), 3600_000);
    this.purgeTimer.unref();
    void this.purgeOnce();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().finally(() => this.schedule(this.nextDelay()));
    }, ms);
    this.timer.unref();
  }

  private nextDelay(): number {
    return this.failures ? Math.min(this.intervalMs * 2 ** this.failures, MAX_BACKOFF_MS) : this.intervalMs;
  }

  /** True while the last flush failed (the database is down): for /healthz details. */
  get failing(): boolean {
    return this.failures > 0;
  }

  /**
   * Writes everything in the outbox now (tests, shutdown). Returns how many entries left the
   * outbox; 0 when another instance holds the flush or the database failed (logged, retried later).
   */
  flush(): Promise<number> {
    this.flushing ??= (async () => {
      try {
        const n = await this.opts.locks.withLock('records:flush', () => this.drain(), { ttlMs: 60_000, waitMs: 0 });
        if (this.failures) this.opts.log.info({ after: this.failures }, 'records database back: outbox flushed');
        this.failures = 0;
        return n;
      } catch (err) {
        if ((err as Error).name === 'LockTimeout') return 0;
        this.failures++;
        if (this.now() - this.lastErrorLog > 30_000) {
          this.lastErrorLog = this.now();
          this.opts.log.error({ err: errInfo(err), backlog: await this.opts.outbox.recordBacklog().catch(() => -1) }, 'records not written; kept in the outbox, retrying');
        }
        return 0;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const items = await this.opts.outbox.peekRecords(this.batch);
      if (!items.length) return total;
      const good = items.filter((i): i is OutboxItem => i.snapshot !== null);
      if (good.length < items.length) {
        this.skipped += items.length - good.length;
        this.opts.log.warn({ count: items.length - good.length }, 'outbox entries that do not parse were skipped');
      }
      await this.opts.repo.write(good);
      // Unreadable entries (seq -1) sit before any readable one and go with the drop.
      await this.opts.outbox.dropRecords(Math.max(-1, ...items.map((i) => i.seq)));
      total += items.length;
      if (items.length < this.batch) return total;
    }
  }

  /** One retention pass across instances: records older than RECORD_RETENTION_DAYS go. */
  /** What it deleted; null when another instance made this hour's pass, or it failed (logged). */
  async purgeOnce(): Promise<{ records: number; profiles: number } | null> {
    try {
      if (!(await this.opts.once.markOnce('records:purge', 50 * 60_000))) return null;
      const now = this.now();
      const out = await this.opts.repo.purge(now - this.opts.retentionMs, now);
      if (out.records || out.profiles) this.opts.log.info(out, 'records past retention deleted');
      return out;
    } catch (err) {
      this.opts.log.warn({ err: errInfo(err) }, 'records retention pass failed; next hour');
      return null;
    }
  }

  /** Stops the timers and tries one last flush (a graceful shutdown leaves nothing behind it can write). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    await this.flushing?.catch(() => undefined);
    await this.flush();
  }
}
