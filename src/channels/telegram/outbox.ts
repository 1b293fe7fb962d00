import { setMaxListeners } from 'node:events';
import { HttpError, type Transformer } from 'grammy';

/**
 * A rate gate (GCRA): each reservation gets the next slot `1/perSecond` apart, with up to
 * `burst` slots free at once. Reservations are served in the order they are made.
 */
export class RateGate {
  private tat = 0;
  private interval: number;

  constructor(
    perSecond: number,
    private burst: number,
    private now: () => number = Date.now,
  ) {
    this.interval = 1000 / perSecond;
  }

  /** Takes the next slot; returns how long (ms) to wait before using it. */
  reserve(): number {
    const t = this.now();
    const tat = Math.max(this.tat, t);
    this.tat = tat + this.interval;
    // Whole milliseconds: timers cannot do better, and float sums must not turn 0 into 1e-12.
    return Math.max(0, Math.round(tat - (this.burst - 1) * this.interval - t));
  }

  /** No reservation is outstanding: forgetting this gate changes nothing. */
  idle(): boolean {
    return this.tat <= this.now();
  }

}

export interface OutboxOptions {
  /** Messages per second to all chats (Telegram: about 30). */
  globalPerSecond: number;
  /** Messages per second to one chat (Telegram: about 1), with a small burst. */
  chatPerSecond: number;
  chatBurst: number;
  /**
   * Network failures (no answer at all) are retried this many times, backing off from
   * networkBackoffMs; auto-retry would retry them forever and hold the chat's line.
   */
  networkRetries: number;
  networkBackoffMs: number;
}

export const TELEGRAM_LIMITS: OutboxOptions = { globalPerSecond: 30, chatPerSecond: 1, chatBurst: 3, networkRetries: 3, networkBackoffMs: 1000 };

/** Calls that put a message into a chat and count against Telegram's per-chat limit. */
const MESSAGE_METHODS = /^(send(?!ChatAction)|edit|copyMessage|forwardMessage)/;
/** Calls that have their own timeout and signal (long polling). */
const OWN_SIGNAL = new Set(['getUpdates']);

/** grammY types signals with the abort-controller shim; at run time they are Node's AbortSignal. */
type GrammySignal = NonNullable<Parameters<Transformer>[3]>;

interface Lane {
  tail: Promise<unknown>;
  pending: number;
  gate: RateGate;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    };
    const abort = () => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * The way out to Telegram, as a grammY API transformer: calls to one chat go one at a time in the
 * order they were made (so retries of one message hold back the next one, never overtake it),
 * chats do not wait for each other, and the per-chat and global rates stay within Telegram's
 * limits. Install it after auto-retry so that it wraps the retries.
 */
export class Outbox {
  private lanes = new Map<string, Lane>();
  private global: RateGate;
  private stopping = new AbortController();
  private idleWaiters = new Set<() => void>();
  private sweeper: NodeJS.Timeout;
  private inFlight = 0;

  constructor(private opts: OutboxOptions = TELEGRAM_LIMITS) {
    this.global = new RateGate(opts.globalPerSecond, Math.max(1, Math.round(opts.globalPerSecond)));
    // Every call in flight listens to this one signal.
    setMaxListeners(0, this.stopping.signal);
    // Lanes of chats that went quiet are dropped now and then (not one timer per message).
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  readonly transformer: Transformer = (prev, method, payload, signal) => {
    if (OWN_SIGNAL.has(method)) return prev(method, payload, signal);
    // Without a caller's signal, closing the outbox aborts the call (and auto-retry's waits).
    const sig = signal ?? (this.stopping.signal as unknown as GrammySignal);
    const call = () => this.retryNetwork(() => prev(method, payload, sig));
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (chatId === undefined || chatId === null) return call();
    if (method === 'sendChatAction') {
      // "typing…" must not wait behind the message it announces: it skips the chat's line.
      return this.wait(this.global.reserve()).then(call);
    }
    const key = String(chatId);
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { tail: Promise.resolve(), pending: 0, gate: new RateGate(this.opts.chatPerSecond, this.opts.chatBurst) }));
    const l = lane;
    l.pending++;
    this.inFlight++;
    const run = async () => {
      if (MESSAGE_METHODS.test(method)) await this.wait(l.gate.reserve());
      await this.wait(this.global.reserve());
      return call();
    };
    const result = l.tail.then(run, run);
    const done = () => this.release(l);
    l.tail = result.then(done, done);
    return result;
  };

  /** Calls queued or in flight. */
  get pending(): number {
    return this.inFlight;
  }

  /** Chats with a lane (for tests: lanes must not pile up). */
  get lanesOpen(): number {
    return this.lanes.size;
  }

  /** Lets queued messages go out for up to `graceMs`, then aborts whatever is left. */
  async close(graceMs = 3000): Promise<void> {
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        this.idleWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.stopping.abort(new Error('telegram outbox closed'));
    clearInterval(this.sweeper);
  }

  private wait(ms: number): Promise<void> {
    return sleep(ms, this.stopping.signal);
  }

  private async retryNetwork<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= this.opts.networkRetries || this.stopping.signal.aborted) throw err;
        await this.wait(this.opts.networkBackoffMs * 2 ** attempt);
      }
    }
  }

  /** Drops lanes with nothing queued whose rate gate has run down (forgetting them changes nothing). */
  sweep(): void {
    for (const [key, lane] of this.lanes) if (lane.pending === 0 && lane.gate.idle()) this.lanes.delete(key);
  }

  private release(lane: Lane): void {
    lane.pending--;
    this.inFlight--;
    if (this.inFlight === 0) {
      for (const w of this.idleWaiters) w();
      this.idleWaiters.clear();
    }
  }
}
