import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { FastifyInstance } from 'fastify';
import { Bot, GrammyError, type Transformer } from 'grammy';
import { errInfo } from '../../core/errors.js';
import { sleep } from '../sleep.js';
import type { Channel, ChannelDeps } from '../channel.js';
import { CallbackData } from './callback-data.js';
import { accounting, chatConstraint, handlers, type UpdateStats } from './handlers.js';
import { TELEGRAM } from './inbound.js';
import { Outbox, TELEGRAM_LIMITS, type OutboxOptions } from './outbox.js';
import { TelegramSender } from './sender.js';
import { telegramWebhookRoutes } from './webhook.js';

export { TELEGRAM } from './inbound.js';

/** Only what the channel handles; anything else Telegram need not send. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface TelegramConfig {
  token: string;
  apiRoot: string;
  /** Unset: long polling. */
  webhook?: { url: string; secret: string };
  limits?: Partial<OutboxOptions>;
  /** Show "typing…" when an answer takes longer than this (ms). */
  typingDelayMs?: number;
  /** Long-polling timeout (s). */
  pollTimeoutSeconds?: number;
  /** How long a hashed button value is kept (ms). */
  buttonTtlMs?: number;
}

export class TelegramTokenError extends Error {
  constructor(cause: unknown) {
    super('TELEGRAM_BOT_TOKEN was refused by the Bot API (check the token and TELEGRAM_API_ROOT)', { cause });
    this.name = 'TelegramTokenError';
  }
}

/** How long start-up waits for the Bot API before going on and retrying in the background. */
const BOOT_TIMEOUT_MS = 3000;

/** grammY types its signals with the abort-controller shim; Node's own AbortSignal is the same thing at run time. */
type GrammySignal = NonNullable<Parameters<Bot['init']>[0]>;
const asGrammy = (s: AbortSignal) => s as unknown as GrammySignal;
const COMMANDS = ['start', 'help', 'lang', 'stop'] as const;

/**
 * The Telegram channel: a grammY bot fed to the core. Long polling with the runner (chats side by
 * side, each chat in order) or a webhook; auto-retry for 429 and 5xx; an outbox that keeps each
 * chat's order within Telegram's rate limits; every update processed once.
 */
export class TelegramChannel implements Channel {
  readonly id = TELEGRAM;
  /** Operators rely on a refused TELEGRAM_BOT_TOKEN stopping start-up (test/telegram/start.test.ts). */
  readonly startFailure = 'stop-service' as const;
  readonly bot: Bot;
  readonly sender: TelegramSender;
  readonly outbox: Outbox;
  readonly stats: UpdateStats = { updates: 0, duplicates: 0, failed: 0 };
  private runner?: RunnerHandle;
  private stopping = new AbortController();
  private background = new Set<Promise<unknown>>();
  private lastPollError = 0;

  constructor(
    private cfg: TelegramConfig,
    private deps: ChannelDeps,
  ) {
    const { log } = deps;
    // Long polls last 30 s; any other call that hangs longer than this has failed.
    this.bot = new Bot(cfg.token, { client: { apiRoot: cfg.apiRoot, timeoutSeconds: 75 } });
    // Order matters: the last transformer is the outermost, so the outbox holds a chat's place
    // while auto-retry waits out a 429 — the next message of that chat cannot overtake it.
    // Network failures are retried by the outbox, a bounded number of times.
    const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowHttpErrors: true });
    this.bot.api.config.use(this.withoutPolling(retry), this.pollingLog());
    this.outbox = new Outbox({ ...TELEGRAM_LIMITS, ...cfg.limits });
    this.bot.api.config.use(this.outbox.transformer);

    const callbacks = new CallbackData(deps.state, cfg.buttonTtlMs ?? 7 * 24 * 3600_000);
    this.sender = new TelegramSender(this.bot.api, callbacks, (t) => this.unreachable(t.chatKey));
    this.bot.use(accounting(log, this.stats));
    this.bot.use(sequentialize(chatConstraint));
    this.bot.use(
      handlers({
        ...deps,
        sender: this.sender,
        callbacks,
        stats: this.stats,
        typingDelayMs: cfg.typingDelayMs ?? 700,
        unreachable: (chatKey) => this.unreachable(chatKey),
      }),
    );
    // Failures are logged by accounting(); the runner must keep going.
    this.bot.catch(() => undefined);
  }

  get mode(): 'webhook' | 'polling' {
    return this.cfg.webhook ? 'webhook' : 'polling';
  }

  /** POST /telegram/webhook (webhook mode only). */
  async routes(app: FastifyInstance): Promise<void> {
    if (!this.cfg.webhook) return;
    await app.register(telegramWebhookRoutes, { bot: this.bot, secret: this.cfg.webhook.secret });
  }

  /**
   * Connects: getMe, commands, then setWebhook or polling. A refused token throws; an unreachable
   * Bot API is retried in the background so that the rest of the service still starts.
   */
  async start(): Promise<void> {
    try {
      await this.boot(AbortSignal.any([this.stopping.signal, AbortSignal.timeout(BOOT_TIMEOUT_MS)]));
    } catch (err) {
      if (err instanceof GrammyError && err.error_code >= 400 && err.error_code < 500 && err.error_code !== 429) {
        if (err.error_code === 401 || err.error_code === 404) throw new TelegramTokenError(err);
        throw new Error(`Telegram refused ${err.method}: ${err.description}`, { cause: err });
      }
      if (this.stopping.signal.aborted) return;
      this.deps.log.warn({ err: errInfo(err) }, 'telegram: Bot API not reachable at start; retrying in the background');
      this.track(this.retryBoot());
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.runner?.isRunning()) await this.runner.stop();
    await Promise.allSettled([...this.background]);
    await this.outbox.close();
  }

  private async boot(signal: AbortSignal): Promise<void> {
    await this.init(signal);
    if (this.stopping.signal.aborted) return;
    await this.setCommands().catch((err) => this.deps.log.warn({ err: errInfo(err) }, 'telegram: setMyCommands failed'));
    if (this.cfg.webhook) {
      await this.bot.api.setWebhook(this.cfg.webhook.url, { secret_token: this.cfg.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] }, asGrammy(signal));
      this.deps.log.info({ mode: 'webhook' }, 'telegram: webhook set');
      return;
    }
    // getUpdates answers 409 while a webhook is set.
    await this.bot.api.deleteWebhook({ drop_pending_updates: false }, asGrammy(signal));
    if (this.stopping.signal.aborted) return;
    this.runner = run(this.bot, {
      runner: {
        fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: this.cfg.pollTimeoutSeconds ?? 30 },
        retryInterval: 2000,
        maxRetryTime: Number.POSITIVE_INFINITY,
        silent: true,
      },
    });
    this.deps.log.info({ mode: 'polling' }, 'telegram: long polling started');
  }

  /**
   * getMe, given up when the signal aborts. Not bot.init(): its endless retries are shared by
   * later calls, so a Bot API that comes back would not be noticed until its back-off ends.
   */
  private async init(signal: AbortSignal): Promise<void> {
    if (this.bot.isInited()) return;
    const me = await new Promise<Awaited<ReturnType<Bot['api']['getMe']>>>((resolve, reject) => {
      const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('Bot API not reachable'));
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort, { once: true });
      this.bot.api
        .getMe(asGrammy(signal))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', abort));
    });
    if (!this.bot.isInited()) this.bot.botInfo = me;
  }

  private async retryBoot(): Promise<void> {
    let wait = 1000;
    while (!this.stopping.signal.aborted) {
      await sleep(wait, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      try {
        await this.boot(AbortSignal.any([this.stopping.signal, AbortSignal.timeout(BOOT_TIMEOUT_MS)]));
        return;
      } catch (err) {
        if (!this.stopping.signal.aborted) this.deps.log.warn({ err: errInfo(err) }, 'telegram: Bot API still not reachable');
        wait = Math.min(wait * 2, 60_000);
      }
    }
  }

  /** The command menu in every language (best effort: the bot works without it). */
  private async setCommands(): Promise<void> {
    const i18n = this.deps.content().i18n;
    const list = (locale: string) => COMMANDS.map((command) => ({ command, description: i18n.t(locale, `tg-cmd-${command}`) }));
    await this.bot.api.setMyCommands(list(i18n.defaultLocale));
    for (const locale of i18n.locales) await this.bot.api.setMyCommands(list(locale), { language_code: locale as 'en' });
  }

  /**
   * The child blocked the bot (a 403, or a my_chat_member "kicked"): the core tells the counselor
   * and closes the conversation. In the background, because the caller may hold the
   * conversation's lock (a 403 comes while the core is sending).
   */
  private unreachable(chatKey: string): void {
    this.track(
      this.deps.core
        .unreachable(TELEGRAM, chatKey, 'telegram: the child blocked the bot; nothing more can be delivered')
        .then((closed) => closed && this.deps.log.info({ channel: TELEGRAM }, 'telegram: conversation closed, the child blocked the bot'))
        .catch((err: unknown) => this.deps.log.warn({ err: errInfo(err) }, 'telegram: could not close the conversation of a child who blocked the bot')),
    );
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch(() => undefined).finally(() => this.background.delete(t));
    this.background.add(t);
  }

  /** getUpdates has its own retries in the runner (auto-retry would wait up to an hour on network errors). */
  private withoutPolling(t: Transformer): Transformer {
    return (prev, method, payload, signal) => (method === 'getUpdates' ? prev(method, payload, signal) : t(prev, method, payload, signal));
  }

  /** The runner is silent; polling trouble is logged here, once in a while and without content. */
  private pollingLog(): Transformer {
    return async (prev, method, payload, signal) => {
      if (method !== 'getUpdates') return prev(method, payload, signal);
      const note = (code: number | string) => {
        if (Date.now() - this.lastPollError < 30_000 || this.stopping.signal.aborted) return;
        this.lastPollError = Date.now();
        this.deps.log.warn({ code }, 'telegram: getUpdates failed; retrying');
      };
      try {
        const res = await prev(method, payload, signal);
        if (!res.ok) note(res.error_code);
        return res;
      } catch (err) {
        note(errInfo(err).type);
        throw err;
      }
    };
  }
}
