import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { API, APIError, PollingTransport } from 'vk-io';
import type { Channel, ChannelDeps } from '../channel.js';
import { errInfo } from '../../core/errors.js';
import type { Inbound } from '../../core/types.js';
import { ButtonCodec } from '../button-codec.js';
import { vkCallbackRoutes, type Receipt } from './callback.js';
import { ClientCapsStore } from './clients.js';
import { EnvelopeSchema, VK, parseEvent, type Envelope, type VkEvent } from './inbound.js';
import { VkSender } from './sender.js';
import { KeyedLock as KeyedSerial } from '../../core/use-cases/keyed-lock.js';
import { sleep } from '../sleep.js';

export { VK } from './inbound.js';
export { CALLBACK_PATH } from './callback.js';

export const DEFAULT_VK_API_ROOT = 'https://api.vk.ru';
export const VK_API_VERSION = '5.199';

/** The VK channel's own settings (main.ts reads them from VK_* variables). */
export interface VkSettings {
  /** VK_GROUP_TOKEN: the community's access key with the "messages" right. */
  token: string;
  /** VK_GROUP_ID: the community's numeric id. */
  groupId: number;
  /** VK_CONFIRMATION: set → Callback API on POST /vk/callback; unset → Bots Long Poll. */
  confirmation?: string;
  /** VK_SECRET: the Callback API secret key (required with VK_CONFIRMATION). */
  secret?: string;
  /** VK_API_ROOT: without "/method"; default https://api.vk.ru. */
  apiRoot?: string;
  /** VK_API_LIMIT: API requests per second through vk-io's queue (default 3, VK's own default). */
  apiLimit?: number;
  /** How long vk-io waits for one API answer (ms, default 10 000) and before retrying a failed one (ms, default 3000). */
  apiTimeoutMs?: number;
  apiRetryWaitMs?: number;
  apiRetryLimit?: number;
  /** Callback API: answer "ok" after this long even if processing goes on (ms, default 5000). */
  answerWithinMs?: number;
  /** Show "typing…" when the core takes longer than this to answer (ms, default 700). */
  typingDelayMs?: number;
  /** How long a long button value's key and a client's capabilities are kept (ms). */
  buttonTtlMs?: number;
  clientTtlMs?: number;
  /** Long Poll: wait before re-asking for a server after a failure (ms, default 3000). */
  pollingWaitMs?: number;
  /** How long start() waits for VK before going on and retrying in the background (ms, default 3000). */
  bootTimeoutMs?: number;
}

/** VK refused the community token at start-up: one clear line; the other channels keep running. */
export class VkTokenError extends Error {
  constructor(code: number, cause: unknown) {
    super(`VK_GROUP_TOKEN was refused by the VK API (error ${code}); check VK_GROUP_TOKEN, VK_GROUP_ID and VK_API_ROOT`, { cause });
    this.name = 'VkTokenError';
  }
}

export class VkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VkConfigError';
  }
}

/** 5 authorization failed, 15 access denied, 27 community token invalid, 28 application token invalid, 100 bad group id. */
const REFUSED = new Set([5, 15, 27, 28, 100, 1116]);

export interface VkStats {
  events: number;
  duplicates: number;
  failed: number;
  malformed: number;
}

/**
 * The VK community bot (vk-io for the API): Callback API on POST /vk/callback, or Bots Long Poll
 * when no callback is configured. Maps events to the core's Inbound and Outbound to VK calls;
 * de-duplication by event_id happens in the core.
 */
export class VkChannel implements Channel {
  readonly id = VK;
  readonly api: API;
  readonly sender: VkSender;
  readonly stats: VkStats = { events: 0, duplicates: 0, failed: 0, malformed: 0 };
  private codec: ButtonCodec;
  private clients: ClientCapsStore;
  private serial = new KeyedSerial();
  private polling?: PollingTransport;
  private stopping = new AbortController();
  private background = new Set<Promise<unknown>>();
  private agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  private agent!: HttpsAgent;
  private readonly s: Required<Pick<VkSettings, 'answerWithinMs' | 'typingDelayMs' | 'bootTimeoutMs'>>;

  constructor(
    private settings: VkSettings,
    private deps: ChannelDeps,
  ) {
    const root = (settings.apiRoot || DEFAULT_VK_API_ROOT).replace(/\/+$/, '');
    // vk-io defaults to the https agent; a plain-http root (a local stand-in) needs the http one.
    // node-fetch takes a function of the URL: the API and the Long Poll server may differ.
    const agent = ((url: URL) => (url.protocol === 'http:' ? this.agents.http : this.agents.https)) as unknown as HttpsAgent;
    this.agent = agent;
    this.api = new API({
      token: settings.token,
      agent,
      apiBaseUrl: `${root}/method`,
      apiVersion: VK_API_VERSION,
      apiLimit: settings.apiLimit ?? 3,
      apiTimeout: settings.apiTimeoutMs ?? 10_000,
      apiWait: settings.apiRetryWaitMs ?? 3000,
      apiRetryLimit: settings.apiRetryLimit ?? 3,
    });
    this.s = { answerWithinMs: settings.answerWithinMs ?? 5000, typingDelayMs: settings.typingDelayMs ?? 700, bootTimeoutMs: settings.bootTimeoutMs ?? 3000 };
    this.codec = new ButtonCodec(deps.state, settings.buttonTtlMs ?? 7 * 24 * 3600_000);
    this.clients = new ClientCapsStore(deps.state, settings.clientTtlMs ?? 30 * 24 * 3600_000);
    this.sender = new VkSender(this.api, settings.groupId, this.codec, this.clients, (chatKey) => this.unreachable(chatKey));
  }

  get mode(): 'callback' | 'polling' {
    return this.settings.confirmation ? 'callback' : 'polling';
  }

  /** POST /vk/callback (Callback API only). */
  async routes(app: FastifyInstance): Promise<void> {
    if (this.mode !== 'callback') return;
    await app.register(vkCallbackRoutes, {
      groupId: this.settings.groupId,
      secret: this.settings.secret,
      confirmation: this.settings.confirmation,
      receive: (env) => this.receive(env),
    });
  }

  /**
   * Checks the token (groups.getById), then starts Long Poll when no callback is configured. A
   * refused token throws VkTokenError; an unreachable VK is retried in the background so the rest
   * of the service still starts.
   */
  async start(): Promise<void> {
    if (!Number.isSafeInteger(this.settings.groupId) || this.settings.groupId <= 0) throw new VkConfigError('VK_GROUP_ID must be the community’s numeric id');
    if (this.mode === 'callback' && !this.settings.secret) throw new VkConfigError('VK_SECRET is required with VK_CONFIRMATION (the Callback API secret key); every callback is refused until it is set');
    try {
      await this.boot();
    } catch (err) {
      if (err instanceof APIError && REFUSED.has(Number(err.code))) throw new VkTokenError(Number(err.code), err);
      if (err instanceof APIError) throw new Error(`VK refused start-up: ${err.message}`, { cause: err });
      if (this.stopping.signal.aborted) return;
      this.deps.log.warn({ err: errInfo(err) }, 'vk: API not reachable at start; retrying in the background');
      this.track(this.retryBoot());
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.polling?.stop();
    await Promise.race([Promise.allSettled([...this.background]), sleep(5000)]);
    // Also ends a Long Poll request still waiting (vk-io's stop() does not abort it).
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async boot(): Promise<void> {
    const timeout = sleep(this.s.bootTimeoutMs, this.stopping.signal).then(() => {
      throw new Error('VK API did not answer in time');
    });
    await Promise.race([this.api.groups.getById({ group_id: this.settings.groupId }), timeout]);
    if (this.mode === 'polling' && !this.stopping.signal.aborted) await Promise.race([this.startPolling(), timeout]);
    this.deps.log.info({ mode: this.mode }, 'vk: started');
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
        if (err instanceof APIError && REFUSED.has(Number(err.code))) {
          this.deps.log.error({ code: err.code }, 'vk: VK_GROUP_TOKEN was refused; VK stays off');
          return;
        }
        if (!this.stopping.signal.aborted) this.deps.log.warn({ err: errInfo(err) }, 'vk: API still not reachable');
        wait = Math.min(wait * 2, 60_000);
      }
    }
  }

  /** Bots Long Poll with vk-io's transport (it handles failed 1/2/3 and restarts). */
  private async startPolling(): Promise<void> {
    if (this.polling?.started) return;
    const polling = new PollingTransport({
      api: this.api,
      pollingGroupId: this.settings.groupId,
      pollingWait: this.settings.pollingWaitMs ?? 3000,
      pollingRetryLimit: 3,
      agent: this.agent,
    });
    polling.subscribe((update) => {
      const parsed = EnvelopeSchema.safeParse(update);
      if (!parsed.success) {
        this.stats.malformed++;
        return;
      }
      // Long Poll has no redelivery: a failure is logged (in receive) and the child got the numbers.
      this.track(this.receive(parsed.data));
    });
    this.polling = polling;
    await polling.start();
  }

  /**
   * One event (past the secret check): parsed, mapped, handed to the core. Resolves 'ok' once
   * processed or after answerWithinMs (processing goes on); 'failed' when the core could not
   * store a message; {invalid} for a known event with a wrong shape.
   */
  async receive(env: Envelope): Promise<Receipt> {
    const parsed = parseEvent(env, { hasLocale: (l) => this.hasLocale(l) });
    if (!parsed.ok) {
      this.stats.malformed++;
      this.deps.log.warn({ type: env.type.slice(0, 40), problem: parsed.error }, 'vk: malformed event refused');
      return { invalid: parsed.error };
    }
    const event = parsed.event;
    if (event.kind === 'ignored') return 'ok';
    this.stats.events++;
    const work = this.serial.run(event.kind === 'typing' || event.kind === 'blocked' ? `~${event.chatKey}` : event.chatKey, () => this.act(event));
    this.track(work);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Receipt>((resolve) => {
      timer = setTimeout(() => resolve('ok'), this.s.answerWithinMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async act(event: Exclude<VkEvent, { kind: 'ignored' }>): Promise<Receipt> {
    const { core, log } = this.deps;
    switch (event.kind) {
      case 'blocked':
        this.unreachable(event.chatKey);
        return 'ok';
      case 'typing':
        void core.typing(VK, event.chatKey).catch(() => undefined);
        return 'ok';
      case 'callback': {
        // The button's spinner stops first; the answer itself comes as messages (queued after it).
        void this.api.messages.sendMessageEventAnswer(event.answer).catch((err: unknown) => log.warn({ err: errInfo(err) }, 'vk: sendMessageEventAnswer failed'));
        return this.handle([event.inbound]);
      }
      case 'message':
        if (event.caps) await this.clients.remember(event.chatKey, event.caps).catch((err: unknown) => log.warn({ err: errInfo(err) }, 'vk: client capabilities not kept'));
        return this.handle(event.inbounds);
    }
  }

  /** The core handles each Inbound in turn, with "typing…" shown if the answer takes a while. */
  private async handle(inbounds: Inbound[]): Promise<Receipt> {
    let receipt: Receipt = 'ok';
    for (const raw of inbounds) {
      const inb = raw.kind === 'button' ? { ...raw, value: (await this.codec.decode(raw.value ?? '').catch(() => null)) ?? 'action:menu' } : raw;
      let timer: NodeJS.Timeout | undefined;
      const typing = () => {
        void this.sender.send({ id: '', chatKey: inb.chatKey, channel: VK, locale: '' }, { type: 'typing' }).catch(() => undefined);
        timer = setTimeout(typing, 5000);
      };
      timer = setTimeout(typing, this.s.typingDelayMs);
      try {
        const outcome = await this.deps.core.handle(inb);
        if (outcome === 'duplicate') this.stats.duplicates++;
        if (outcome === 'failed') {
          this.stats.failed++;
          this.deps.log.error({ channel: VK, kind: inb.kind }, 'vk: the core could not store a message; VK will deliver it again');
          receipt = 'failed';
        }
      } finally {
        clearTimeout(timer);
      }
    }
    return receipt;
  }

  /** The child blocked the community's messages: the core closes the conversation and tells the counselor. */
  private unreachable(chatKey: string): void {
    void this.deps.core.unreachable(VK, chatKey, 'vk: the child blocked the bot; nothing more can be delivered').catch((err: unknown) => this.deps.log.warn({ err: errInfo(err) }, 'vk: could not close the conversation of a child who blocked the bot'));
  }

  private hasLocale(locale: string): boolean {
    try {
      return this.deps.content().i18n.has(locale);
    } catch {
      return false;
    }
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((err: unknown) => this.deps.log.error({ err: errInfo(err) }, 'vk: event failed')).finally(() => this.background.delete(t));
    this.background.add(t);
  }
}
