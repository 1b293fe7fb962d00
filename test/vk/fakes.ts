// In-test stand-ins for what main.ts gives a channel: a core that records what it is handed
// (de-duplicating by platformMessageId as the real core does), an in-memory ChannelState, a
// quiet log that remembers its lines, and a content view that knows two locales.
import type { ChannelCore, ChannelDeps } from '../../src/channels/channel.js';
import type { ChannelState, ContentView, Dedupe, Log, Parser } from '../../src/core/ports.js';
import type { Inbound } from '../../src/core/types.js';

export type Outcome = 'processed' | 'duplicate' | 'failed';

export class FakeCore implements ChannelCore {
  readonly inbounds: Inbound[] = [];
  readonly unreachables: { channel: string; chatKey: string; note: string }[] = [];
  readonly typings: { channel: string; chatKey: string }[] = [];
  readonly fallbacks: Pick<Inbound, 'channel' | 'chatKey'>[] = [];
  /** What the next handle() answers (default: processed). */
  outcome: (inb: Inbound) => Outcome | Promise<Outcome> = () => 'processed';
  /** Runs for each processed Inbound (a reply through the channel's sender). */
  reply?: (inb: Inbound) => Promise<void>;
  private seen = new Set<string>();
  private listeners = new Set<() => void>();

  async handle(inb: Inbound): Promise<Outcome> {
    this.inbounds.push(inb);
    this.changed();
    const key = inb.platformMessageId ? `${inb.channel}:${inb.chatKey}:${inb.kind}:${inb.platformMessageId}` : null;
    if (key && this.seen.has(key)) return 'duplicate';
    if (key) this.seen.add(key);
    const outcome = await this.outcome(inb);
    if (outcome === 'failed') {
      if (key) this.seen.delete(key);
      return 'failed';
    }
    await this.reply?.(inb).catch(() => undefined);
    return outcome;
  }

  welcome(localeHint: string | undefined): { locale: string; out: { type: 'message'; text: string } } {
    return { locale: localeHint ?? 'ru', out: { type: 'message', text: 'greeting' } };
  }

  async fallback(inb: Pick<Inbound, 'channel' | 'chatKey' | 'text' | 'localeHint'>): Promise<void> {
    this.fallbacks.push({ channel: inb.channel, chatKey: inb.chatKey });
  }

  async typing(channel: string, chatKey: string): Promise<void> {
    this.typings.push({ channel, chatKey });
    this.changed();
  }

  async unreachable(channel: string, chatKey: string, note: string): Promise<boolean> {
    this.unreachables.push({ channel, chatKey, note });
    this.changed();
    return true;
  }

  /** VK cannot tell whether the child is there; never called. */
  async present(): Promise<void> {}

  async current(): Promise<null> {
    return null;
  }

  // Not used by the VK and MAX channels (the web chat's needs); present for the interface.
  async open(channel: string, chatKey: string, localeHint?: string) {
    return { id: `conv-${channel}-${chatKey}`, chatKey, state: 'bot' as const, locale: localeHint ?? 'ru', risk: 'none' as never, topic: 'other' as never };
  }

  async resume(): Promise<null> {
    return null;
  }

  async history(): Promise<never[]> {
    return [];
  }

  of(chatKey: string): Inbound[] {
    return this.inbounds.filter((i) => i.chatKey === chatKey);
  }

  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const found = check();
    if (found) return found;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(v);
        }
      };
      this.listeners.add(listener);
    });
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

export class MemoryState implements ChannelState {
  readonly data = new Map<string, { value: string; until: number }>();

  async get<T>(key: string, parser: Parser<T>): Promise<T | null> {
    const e = this.data.get(key);
    if (!e || e.until < Date.now()) return null;
    const r = parser.safeParse(JSON.parse(e.value));
    return r.success ? r.data : null;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.data.set(key, { value: JSON.stringify(value), until: Date.now() + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.data.delete(key);
  }
}

export class MemoryDedupe implements Dedupe {
  private keys = new Set<string>();
  async markOnce(key: string): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
  async unmark(key: string): Promise<void> {
    this.keys.delete(key);
  }
}

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  obj: unknown;
  msg?: string;
}

export function recordingLog(lines: LogLine[] = []): Log & { lines: LogLine[] } {
  const at =
    (level: LogLine['level']) =>
    (a: object | string, b?: string): void => {
      lines.push(typeof a === 'string' ? { level, obj: {}, msg: a } : { level, obj: a, msg: b });
    };
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

const LOCALES = ['ru', 'en'];
export const content = (): ContentView =>
  ({
    i18n: { defaultLocale: 'ru', locales: LOCALES, has: (l: string) => LOCALES.includes(l), resolve: (h?: string) => (h && LOCALES.includes(h) ? h : 'ru'), t: (_l: string, id: string) => id, ids: () => [] },
    steps: {},
    lexicon: { match: () => [] },
    version: 'test',
  }) as unknown as ContentView;

export function fakeDeps(core = new FakeCore()): ChannelDeps & { core: FakeCore; state: MemoryState; log: ReturnType<typeof recordingLog> } {
  return { core, state: new MemoryState(), dedupe: new MemoryDedupe(), content, log: recordingLog() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
