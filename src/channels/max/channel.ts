import { Bot, MaxError, type Api } from '@maxhub/max-bot-api';
import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelDeps } from '../channel.js';
import { errInfo } from '../../core/errors.js';
import type { Inbound } from '../../core/types.js';
import { ButtonCodec } from '../button-codec.js';
import { DialogChats } from './chats.js';
import { MAX, UPDATE_TYPES, parseUpdate, type MaxEvent } from './inbound.js';
import { DEFAULT_RETRY, MaxSender, isRetryable, type RetryOptions } from './sender.js';
import { KeyedLock as KeyedSerial } from '../../core/use-cases/keyed-lock.js';
import { sleep } from '../sleep.js';
import { maxWebhookRoutes, type Receipt } from './webhook.js';

export { MAX } from './inbound.js';
export { WEBHOOK_PATH } from './webhook.js';

export const DEFAULT_MAX_API_ROOT = 'https://platform-api2.max.ru';

/** The MAX channel's own settings (main.ts reads them from MAX_* variables). */
export interface MaxSettings {
  /** MAX_BOT_TOKEN */
  token: string;
  /** MAX_WEBHOOK_URL: set → subscribed at start-up, updates on POST /max/webhook; unset → long polling. */
  webhookUrl?: string;
  /** MAX_WEBHOOK_SECRET: 5–256 of A–Z a–z 0–9 _ - (required with MAX_WEBHOOK_URL). */
  webhookSecret?: string;
  /** MAX_API_ROOT: default https://platform-api2.max.ru. */
  apiRoot?: string;
  /** Webhook: answer 200 after this long even if processing goes on (ms, default 5000). */
  answerWithinMs?: number;
  /** Show "typing…" when the core takes longer than this (ms, default 700). */
  typingDelayMs?: number;
  /** Retries of sends on 429/5xx/network failures. */
  retry?: Partial<RetryOptions>;
  /** Long polling: the server's wait (s, default 30) and the back-off after 429/5xx (ms, 1000 doubling to 60 000). */
  pollTimeoutSeconds?: number;
  pollBackoffMs?: number;
  pollMaxBackoffMs?: number;
  /** /answers at most twice a second a chat (ms between answers, default 500). */
  answerSpacingMs?: number;
  buttonTtlMs?: number;
  chatTtlMs?: number;
  /** How long start() waits for MAX before going on and retrying in the background (ms, default 3000). */
  bootTimeoutMs?: number;
}

export class MaxTokenError extends Error {
  constructor(cause: unknown) {
    super('MAX_BOT_TOKEN was refused by the MAX Bot API (401); check MAX_BOT_TOKEN and MAX_API_ROOT', { cause });
    this.name = 'MaxTokenError';
  }
}

export class MaxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MaxConfigError';
  }
}

const SECRET_SHAPE = /^[A-Za-z0-9_-]{5,256}$/;

export interface MaxStats {
  updates: number;
  duplicates: number;
  failed: number;
  malformed: number;
  /** Webhook answers other than 200 (MAX drops a subscription that keeps failing). */
  webhookFailures: number;
  pollErrors: number;
}

/**
 * The MAX bot (@maxhub/max-bot-api for the API calls): a webhook on POST /max/webhook, subscribed
 * at start-up, or long polling of GET /updates. Maps updates to the core's Inbound and Outbound to
 * MAX calls; de-duplication by message id / callback id happens in the core.
 */
export class MaxChannel implements Channel {
  readonly id = MAX;
  readonly api: Api;
  readonly sender: MaxSender;
  readonly stats: MaxStats = { updates: 0, duplicates: 0, failed: 0, malformed: 0, webhookFailures: 0, pollErrors: 0 };
  private codec: ButtonCodec;
  private chats: DialogChats;
  private serial = new KeyedSerial();
  private answerGate = new KeyedSerial();
  private lastAnswer = new Map<string, number>();
  private stopping = new AbortController();
  private background = new Set<Promise<unknown>>();
  private polling?: Promise<void>;
  private readonly s: Required<Pick<MaxSettings, 'answerWithinMs' | 'typingDelayMs' | 'pollTimeoutSeconds' | 'pollBackoffMs' | 'pollMaxBackoffMs' | 'answerSpacingMs' | 'bootTimeoutMs'>>;

  constructor(
    private settings: MaxSettings,
    private deps: ChannelDeps,
  ) {
    const baseUrl = (settings.apiRoot || DEFAULT_MAX_API_ROOT).replace(/\/+$/, '');
    this.api = new Bot(settings.token, { clientOptions: { baseUrl } }).api;
    this.s = {
      answerWithinMs: settings.answerWithinMs ?? 5000,
      typingDelayMs: settings.typingDelayMs ?? 700,
      pollTimeoutSeconds: settings.pollTimeoutSeconds ?? 30,
      pollBackoffMs: settings.pollBackoffMs ?? 1000,
      pollMaxBackoffMs: settings.pollMaxBackoffMs ?? 60_000,
      answerSpacingMs: settings.answerSpacingMs ?? 500,
      bootTimeoutMs: settings.bootTimeoutMs ?? 3000,
    };
    this.codec = new ButtonCodec(deps.state, settings.buttonTtlMs ?? 7 * 24 * 3600_000);
    this.chats = new DialogChats(deps.state, settings.chatTtlMs ?? 30 * 24 * 3600_000);
    this.sender = new MaxSender(this.api, this.codec, this.chats, (chatKey) => this.unreachable(chatKey), { ...DEFAULT_RETRY, ...settings.retry });
  }

  get mode(): 'webhook' | 'polling' {
    return this.settings.webhookUrl ? 'webhook' : 'polling';
  }

  /** POST /max/webhook (webhook mode only). */
  async routes(app: FastifyInstance): Promise<void> {
    if (this.mode !== 'webhook') return;
    await app.register(maxWebhookRoutes, {
      secret: this.settings.webhookSecret && SECRET_SHAPE.test(this.settings.webhookSecret) ? this.settings.webhookSecret : undefined,
      receive: (body) => this.receiveWebhook(body),
    });
  }

  /**
   * Checks the token (GET /me), then subscribes the webhook or starts long polling. A refused
   * token throws MaxTokenError; an unreachable MAX is retried in the background.
   */
  async start(): Promise<void> {
    if (this.mode === 'webhook') {
      if (!this.settings.webhookSecret || !SECRET_SHAPE.test(this.settings.webhookSecret)) {
        throw new MaxConfigError('MAX_WEBHOOK_SECRET is required with MAX_WEBHOOK_URL (5–256 characters: letters, digits, _ and -); every update is refused until it is set');
      }
      if (!/^https:\/\//.test(this.settings.webhookUrl!)) this.deps.log.warn({}, 'max: MAX_WEBHOOK_URL is not https; MAX accepts only https webhooks');
    }
    try {
      await this.boot();
    } catch (err) {
      if (err instanceof MaxError && err.status === 401) throw new MaxTokenError(err);
      if (err instanceof MaxError && err.status >= 400 && err.status < 500 && err.status !== 429) throw new Error(`MAX refused start-up: ${err.message}`, { cause: err });
      if (this.stopping.signal.aborted) return;
      this.deps.log.warn({ err: errInfo(err) }, 'max: Bot API not reachable at start; retrying in the background');
      this.track(this.retryBoot());
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.polling;
    await Promise.race([Promise.allSettled([...this.background]), sleep(5000)]);
  }

  private async boot(): Promise<void> {
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.s.bootTimeoutMs)]);
    const timeout = new Promise<never>((_, reject) => {
      const fail = () => reject(new Error('MAX Bot API did not answer in time'));
      if (signal.aborted) fail();
      signal.addEventListener('abort', fail, { once: true });
    });
    timeout.catch(() => undefined);
    await Promise.race([this.api.getMyInfo(), timeout]);
    if (this.stopping.signal.aborted) return;
    if (this.mode === 'webhook') {
      const res = await Promise.race([this.api.subscribe(this.settings.webhookUrl!, this.settings.webhookSecret, [...UPDATE_TYPES]), timeout]);
      if (res && res.success === false) throw new Error(`MAX refused the webhook subscription: ${String(res.message ?? '').slice(0, 200)}`);
      this.deps.log.info({ mode: 'webhook' }, 'max: webhook subscribed');
      return;
    }
    // GET /updates gives nothing while a webhook is subscribed (the library's own polling clears them too).
    const subs = await Promise.race([this.api.getSubscriptions(), timeout]);
    for (const sub of subs ?? []) {
      this.deps.log.warn({}, 'max: removing a webhook subscription to long-poll (MAX_WEBHOOK_URL is unset)');
      await this.api.unsubscribe(sub.url);
    }
    this.polling = this.poll();
    this.deps.log.info({ mode: 'polling' }, 'max: long polling started');
  }

  private async retryBoot(): Promise<void> {
    let wait = 1000;
    while (!this.stopping.signal.aborted) {
      await sleep(wait, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      try {
        await this.boot();
        return;
      } catch (err) {
        if (err instanceof MaxError && err.status === 401) {
          this.deps.log.error({}, 'max: MAX_BOT_TOKEN was refused; MAX stays off');
          return;
        }
        if (!this.stopping.signal.aborted) this.deps.log.warn({ err: errInfo(err) }, 'max: Bot API still not reachable');
        wait = Math.min(wait * 2, 60_000);
      }
    }
  }

  /** GET /updates with the marker; each batch processed before the next is asked for; back-off on 429/5xx. */
  private async poll(): Promise<void> {
    const signal = this.stopping.signal;
    let marker: number | undefined;
    let wait = this.s.pollBackoffMs;
    while (!signal.aborted) {
      try {
        const res = await this.api.getUpdates([...UPDATE_TYPES], { marker, timeout: this.s.pollTimeoutSeconds, limit: 100, signal } as never);
        wait = this.s.pollBackoffMs;
        await Promise.all((res.updates ?? []).map((u) => this.receive(u, Number.POSITIVE_INFINITY)));
        if (typeof res.marker === 'number') marker = res.marker;
      } catch (err) {
        if (signal.aborted) return;
        this.stats.pollErrors++;
        if (err instanceof MaxError && err.status === 401) {
          this.deps.log.error({}, 'max: MAX_BOT_TOKEN was refused while polling; polling stopped');
          return;
        }
        this.deps.log.warn({ err: errInfo(err), retryInMs: wait }, isRetryable(err) ? 'max: GET /updates failed; backing off' : 'max: GET /updates refused; retrying');
        await sleep(wait, signal);
        wait = Math.min(wait * 2, this.s.pollMaxBackoffMs);
      }
    }
  }

  private async receiveWebhook(body: unknown): Promise<Receipt> {
    const receipt = await this.receive(body, this.s.answerWithinMs);
    if (receipt !== 'ok') {
      this.stats.webhookFailures++;
      // Loud on purpose: MAX retries, and drops the subscription after hours of failures.
      if (receipt === 'failed') this.deps.log.error({ channel: MAX, webhookFailures: this.stats.webhookFailures }, 'max: webhook update failed (answered 503; MAX will retry)');
    }
    return receipt;
  }

  /**
   * One update: parsed, mapped, handed to the core. Resolves once processed or after withinMs
   * (processing goes on); 'failed' when the core could not store a message; {invalid} for a
   * body that is not a well-formed update.
   */
  async receive(body: unknown, withinMs: number): Promise<Receipt> {
    const parsed = parseUpdate(body, { hasLocale: (l) => this.hasLocale(l) });
    if (!parsed.ok) {
      this.stats.malformed++;
      this.deps.log.warn({ problem: parsed.error }, 'max: malformed update refused');
      return { invalid: parsed.error };
    }
    const event = parsed.event;
    if (event.kind === 'ignored') return 'ok';
    this.stats.updates++;
    const work = this.serial.run(event.kind === 'blocked' ? `~${event.chatKey}` : event.chatKey, () => this.act(event));
    this.track(work);
    if (!Number.isFinite(withinMs)) return work;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Receipt>((resolve) => {
      timer = setTimeout(() => resolve('ok'), withinMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async act(event: Exclude<MaxEvent, { kind: 'ignored' }>): Promise<Receipt> {
    const { log } = this.deps;
    if (event.kind === 'blocked') {
      this.unreachable(event.chatKey);
      return 'ok';
    }
    if (event.chatId !== undefined) await this.chats.remember(event.chatKey, event.chatId).catch((err: unknown) => log.warn({ err: errInfo(err) }, 'max: dialog id not kept'));
    if (event.kind === 'callback') {
      // The button's spinner stops first (and the used keyboard goes); the answer comes as messages.
      void this.answer(event.chatKey, event.answer).catch((err: unknown) => log.warn({ err: errInfo(err) }, 'max: /answers failed'));
      return this.handle([event.inbound]);
    }
    return this.handle(event.inbounds);
  }

  /** POST /answers, at most twice a second a chat (MAX's limit). */
  private answer(chatKey: string, a: { callbackId: string; text?: string }): Promise<unknown> {
    return this.answerGate.run(chatKey, async () => {
      const wait = (this.lastAnswer.get(chatKey) ?? 0) + this.s.answerSpacingMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastAnswer.set(chatKey, Date.now());
      if (this.lastAnswer.size > 10_000) this.lastAnswer.delete(this.lastAnswer.keys().next().value!);
      // The message keeps its words and loses its buttons, so an old choice is not pressed again.
      // (The library's type knows only `message`; MAX also takes `notification`.)
      return this.api.answerOnCallback(a.callbackId, (a.text ? { message: { text: a.text, attachments: [] } } : { notification: '✓' }) as never);
    });
  }

  private async handle(inbounds: Inbound[]): Promise<Receipt> {
    let receipt: Receipt = 'ok';
    for (const raw of inbounds) {
      const inb = raw.kind === 'button' ? { ...raw, value: (await this.codec.decode(raw.value ?? '').catch(() => null)) ?? 'action:menu' } : raw;
      let timer: NodeJS.Timeout | undefined;
      const typing = () => {
        void this.sender.send({ id: '', chatKey: inb.chatKey, channel: MAX, locale: '' }, { type: 'typing' }).catch(() => undefined);
        timer = setTimeout(typing, 5000);
      };
      timer = setTimeout(typing, this.s.typingDelayMs);
      try {
        const outcome = await this.deps.core.handle(inb);
        if (outcome === 'duplicate') this.stats.duplicates++;
        if (outcome === 'failed') {
          this.stats.failed++;
          receipt = 'failed';
        }
      } finally {
        clearTimeout(timer);
      }
    }
    return receipt;
  }

  private unreachable(chatKey: string): void {
    void this.deps.core.unreachable(MAX, chatKey, 'max: the child blocked the bot; nothing more can be delivered').catch((err: unknown) => this.deps.log.warn({ err: errInfo(err) }, 'max: could not close the conversation of a child who blocked the bot'));
  }

  private hasLocale(locale: string): boolean {
    try {
      return this.deps.content().i18n.has(locale);
    } catch {
      return false;
    }
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((err: unknown) => this.deps.log.error({ err: errInfo(err) }, 'max: update failed')).finally(() => this.background.delete(t));
    this.background.add(t);
  }
}
