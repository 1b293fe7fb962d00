import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Content } from '../content/load.js';
import { normalizeText } from '../content/normalize.js';
import type { Store } from '../store/store.js';
import { noopObserver, type EngineObserver } from '../metrics.js';
import type { Triage } from '../triage/triage.js';
import type { Delivery } from './delivery.js';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.js';
import { KeyedLock } from './keyed-lock.js';
import { transition, type LifecycleEvent } from './lifecycle.js';
import { FEEDBACK_BUTTONS, FEEDBACK_VALUES, policy, type Action, type ButtonSpec, type PolicyEvent, type ServiceState } from './policy.js';
import { isEscalation, maxRisk, type Risk } from './taxonomy.js';
import type { Author, Button, Conversation, ConversationState, Inbound, Outbound, TranscriptEntry, TriageResult } from './types.js';

export interface EngineDeps {
  store: Store;
  triage: () => Triage;
  /** The fallback triage when the main one fails (the lexicon). */
  fallbackTriage: Triage;
  content: () => Content;
  delivery: Delivery;
  service: () => Promise<ServiceState>;
  log: Logger;
  maxTextChars: number;
  now?: () => number;
  /** Metrics; labels never carry text or ids. */
  observer?: EngineObserver;
}

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

const MEDIA_LABEL = (media: string) => `[${media}]`;

/**
 * The conversation core: channel-agnostic and storage-agnostic. Channels hand it Inbound
 * messages; counselors act on conversations through it. Every reply passes through policy().
 */
export class Engine {
  private lock = new KeyedLock();
  private now: () => number;
  private observer: EngineObserver;

  constructor(private deps: EngineDeps) {
    this.now = deps.now ?? Date.now;
    this.observer = deps.observer ?? noopObserver;
  }

  get store(): Store {
    return this.deps.store;
  }

  /**
   * One task at a time per key: in this process (in order), and across instances through the
   * store's lock, so a child's consecutive messages never overtake each other.
   */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, () => this.deps.store.withLock(key, fn));
  }

  /** Finds the chat's current conversation, or starts one (also after a closed one). */
  async open(channel: string, chatKey: string, localeHint?: string): Promise<{ conv: Conversation; created: boolean }> {
    const { store } = this.deps;
    // Fast path without a lock: almost every message belongs to a live conversation.
    const live = await this.current(channel, chatKey);
    if (live && live.state !== 'closed') return { conv: live, created: false };
    return this.exclusive(`chat:${channel}:${chatKey}`, async () => {
      const existing = await this.current(channel, chatKey);
      if (existing && existing.state !== 'closed') return { conv: existing, created: false };
      const i18n = this.deps.content().i18n;
      const at = this.now();
      const conv: Conversation = {
        id: newId(),
        channel,
        chatKey,
        locale: existing?.locale ?? i18n.resolve(localeHint),
        state: 'bot',
        risk: 'none',
        topic: 'other',
        createdAt: at,
        updatedAt: at,
        meta: {},
      };
      await store.saveConversation(conv);
      await store.bindChat(channel, chatKey, conv.id);
      return { conv, created: true };
    });
  }

  /** The chat's current conversation, whatever its state. */
  private async current(channel: string, chatKey: string): Promise<Conversation | null> {
    const id = await this.deps.store.findChat(channel, chatKey);
    return id ? this.deps.store.getConversation(id) : null;
  }

  /** One message (or button, command, media) from a child. Never throws: failures get the fallback reply. */
  /**
   * Returns true when the message was processed and stored; false when only the fallback reply
   * went out (a webhook can then answer 5xx so the platform redelivers it later).
   */
  async handleInbound(inb: Inbound): Promise<boolean> {
    this.observer.messageIn(inb.channel, inb.kind);
    let opened: Conversation | undefined;
    try {
      if (inb.kind === 'button' && inb.value?.startsWith('feedback:') && (await this.feedback(inb))) return true;
      const { conv, created } = await this.open(inb.channel, inb.chatKey, inb.localeHint);
      opened = conv;
      await this.exclusive(conv.id, () => this.process(conv.id, inb, created));
      return true;
    } catch (err) {
      this.deps.log.error({ err: errInfo(err), channel: inb.channel }, 'inbound failed; sending fallback reply');
      await this.fallback(inb, opened);
      return false;
    }
  }

  /** What a child gets when anything fails: the numbers, from content held in memory. */
  async fallback(inb: Pick<Inbound, 'channel' | 'chatKey' | 'text' | 'localeHint'>, conv?: Conversation): Promise<void> {
    try {
      const content = this.deps.content();
      const locale = conv?.locale ?? content.i18n.resolve(inb.localeHint);
      const crisis = inb.text ? content.lexicon.match(inb.text)[0] : undefined;
      const message = crisis && isEscalation(crisis.risk) ? 'emergency' : 'fallback-error';
      await this.deps.delivery.send(
        { id: conv?.id ?? '', chatKey: inb.chatKey, channel: inb.channel, locale },
        { type: 'message', text: content.i18n.t(locale, message), from: 'bot' },
      );
    } catch (err) {
      this.deps.log.error({ err: errInfo(err), channel: inb.channel }, 'fallback reply failed');
    }
  }

  private async process(id: string, inb: Inbound, created: boolean): Promise<void> {
    const { store } = this.deps;
    const conv = await store.getConversation(id);
    if (!conv) throw new NotFoundError('conversation vanished');
    let event: PolicyEvent;
    let entry: Omit<TranscriptEntry, 'seq'>;
    const at = this.now();

    if (inb.kind === 'media') {
      const media = inb.media ?? 'file';
      entry = { at, from: 'child', text: MEDIA_LABEL(media), kind: 'media', media };
      event = { type: 'media', media };
    } else if (inb.kind === 'button') {
      const value = inb.value ?? '';
      entry = { at, from: 'child', text: `[${value}]`, kind: 'button' };
      event = { type: 'button', value };
    } else if (inb.kind === 'command') {
      entry = { at, from: 'child', text: `/${inb.value ?? ''}`, kind: 'text' };
      event = { type: 'command', name: inb.value ?? '' };
    } else {
      let text = inb.text ?? '';
      let truncated = false;
      if (text.length > this.deps.maxTextChars) {
        text = text.slice(0, this.deps.maxTextChars);
        truncated = true;
      }
      const triage = await this.classify(text, conv.risk, conv.locale);
      entry = { at, from: 'child', text, kind: inb.kind === 'edit' ? 'edit' : 'text', triage };
      const saved = await this.record(conv, entry);
      // The first entry of a transcript is the child's first word: nothing was said before it.
      event = { type: 'text', triage, first: created || saved.seq === 1, answer: this.readAnswer(text) };
      if (truncated) await this.say(conv, { type: 'say', message: 'text-truncated' });
      // An edit reaches the counselor; the bot does not answer it again.
      if (inb.kind === 'edit') return;
      const actions = policy(event, conv, await this.safeService());
      await this.execute(conv, actions);
      return;
    }
    await this.record(conv, entry);
    const actions = policy(event, conv, await this.safeService());
    await this.execute(conv, actions);
  }

  private async classify(text: string, priorRisk: Risk, locale: string): Promise<TriageResult> {
    const started = performance.now();
    try {
      const result = await this.deps.triage().classify(text, { priorRisk, locale });
      this.observer.triaged(result.risk, result.topic, (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      this.deps.log.error({ err: errInfo(err) }, 'triage failed; using the lexicon');
      return this.deps.fallbackTriage.classify(text, { priorRisk, locale });
    }
  }

  private async safeService(): Promise<ServiceState> {
    try {
      return await this.deps.service();
    } catch {
      return { countersAvailable: 0, open: false };
    }
  }

  /** Reads a typed reply to a yes/no question, with the words from the locale files. */
  private readAnswer(text: string): 'yes' | 'no' | 'unknown' | undefined {
    const n = normalizeText(text);
    if (!n || n.length > 20) return undefined;
    const i18n = this.deps.content().i18n;
    for (const answer of ['yes', 'no', 'unknown'] as const) {
      for (const locale of i18n.locales) {
        const list = i18n
          .t(locale, `answer-${answer}-words`)
          .split(',')
          .map((w) => normalizeText(w))
          .filter(Boolean);
        if (list.includes(n)) return answer;
      }
    }
    return undefined;
  }

  private async record(conv: Conversation, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry> {
    const saved = await this.deps.store.appendTranscript(conv.id, entry);
    await this.deps.store.publish({ type: 'message', id: conv.id, entry: saved });
    return saved;
  }

  private render(conv: Conversation, action: Extract<Action, { type: 'say' | 'step' }>): Outbound | null {
    const c = this.deps.content();
    let message: string;
    let specs: ButtonSpec[];
    let args: Record<string, string | number> | undefined;
    if (action.type === 'step') {
      const step = c.steps[action.step];
      if (!step) {
        this.deps.log.warn({ step: action.step }, 'unknown script step; showing the menu');
        return this.render(conv, { type: 'step', step: 'menu' });
      }
      message = step.text;
      specs = (step.buttons ?? []).map((b) => ({ label: b.label, value: b.goto ? `goto:${b.goto}` : `action:${b.action}` }));
    } else {
      message = action.message;
      specs = action.buttons ?? [];
      args = action.args;
    }
    const buttons: Button[] = specs.map((b) => ({ label: c.i18n.t(conv.locale, b.label), value: b.value }));
    const text = c.i18n.t(conv.locale, message, args);
    return { type: 'message', text, buttons: buttons.length ? buttons : undefined, from: 'bot' };
  }

  private async say(conv: Conversation, action: Extract<Action, { type: 'say' | 'step' }>): Promise<void> {
    const out = this.render(conv, action);
    if (!out || out.type !== 'message') return;
    await this.record(conv, { at: this.now(), from: 'bot', text: out.text });
    await this.deliver(conv, out);
  }

  /** Sends to the child; a failed delivery is recorded for the counselor, never thrown at the caller. */
  async deliver(conv: Conversation, out: Outbound): Promise<boolean> {
    try {
      await this.deps.delivery.send(conv, out);
      if (out.type === 'message') this.observer.messageOut(conv.channel);
      return true;
    } catch (err) {
      this.deps.log.warn({ err: errInfo(err), channel: conv.channel }, 'delivery to child failed');
      this.observer.deliveryFailed(conv.channel);
      if (out.type === 'message') {
        await this.deps.store
          .appendTranscript(conv.id, { at: this.now(), from: 'system', text: 'delivery-failed' })
          .then((entry) => this.deps.store.publish({ type: 'message', id: conv.id, entry }))
          .catch(() => undefined);
      }
      return false;
    }
  }

  private move(conv: Conversation, event: LifecycleEvent): void {
    conv.state = transition(conv.state, event);
    conv.updatedAt = this.now();
  }

  private async execute(conv: Conversation, actions: Action[]): Promise<void> {
    const { store } = this.deps;
    let dirty = false;
    let queueChanged = false;
    for (const action of actions) {
      switch (action.type) {
        case 'say':
        case 'step':
          await this.say(conv, action);
          break;
        case 'set_risk':
          conv.risk = maxRisk(conv.risk, action.risk);
          if (action.topic && (action.topic !== 'other' || conv.topic === 'other')) conv.topic = action.topic;
          dirty = true;
          break;
        case 'set_pending':
          conv.meta.pending = action.pending;
          dirty = true;
          break;
        case 'set_meta':
          Object.assign(conv.meta, { [action.key]: action.value });
          dirty = true;
          break;
        case 'mark':
          conv.meta[action.flag] = true;
          dirty = true;
          break;
        case 'set_locale':
          if (this.deps.content().i18n.has(action.locale)) conv.locale = action.locale;
          dirty = true;
          break;
        case 'enqueue': {
          const risk = maxRisk(conv.risk, action.risk);
          if (conv.state === 'bot') {
            this.move(conv, 'enqueue');
            conv.waitingSince = this.now();
            this.observer.handoff(risk);
          }
          if (conv.state === 'queued') {
            conv.risk = risk;
            await store.saveConversation(conv);
            await store.enqueue(conv.id, risk, conv.waitingSince ?? this.now());
            queueChanged = true;
            dirty = false;
          }
          break;
        }
        case 'leave_queue':
          if (conv.state === 'queued' && (await store.takeFromQueue(conv.id))) {
            this.observer.abandoned(conv.risk);
            this.move(conv, 'leave_queue');
            conv.waitingSince = undefined;
            dirty = true;
            queueChanged = true;
          }
          break;
        case 'alert':
          await store.publish({ type: 'alert', id: conv.id, risk: action.risk, topic: conv.topic });
          break;
        case 'queue_status':
          await this.sendQueueStatus(conv);
          break;
        case 'close':
          await this.closeConversation(conv, 'child');
          dirty = false;
          break;
      }
    }
    if (dirty) {
      conv.updatedAt = this.now();
      await store.saveConversation(conv);
    }
    if (queueChanged) {
      await store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
      await store.publish({ type: 'queue' });
    }
  }

  /** Position and estimated wait, from recent waits and counselors present. */
  async sendQueueStatus(conv: Conversation): Promise<void> {
    const { store } = this.deps;
    const position = await store.queuePosition(conv.id);
    if (position === null) return;
    const eta = await this.estimateWait(position);
    const text = this.deps.content().i18n.t(conv.locale, 'queue-position', { position, eta: eta ?? 0 });
    await this.deliver(conv, { type: 'queue', position, etaMinutes: eta, text });
  }

  async estimateWait(position: number): Promise<number | null> {
    const waits = await this.deps.store.recentWaits();
    if (waits.length === 0) return null;
    const sorted = [...waits].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const counselors = Math.max(1, (await this.safeService()).countersAvailable);
    return Math.max(1, Math.ceil((median * position) / counselors / 60_000));
  }

  // ---- counselor side ----

  async get(id: string): Promise<Conversation> {
    const conv = await this.deps.store.getConversation(id);
    if (!conv) throw new NotFoundError('no such conversation');
    return conv;
  }

  /** Atomic claim: of two counselors exactly one wins; the other gets ConflictError (409). */
  async claim(id: string, counselorId: string): Promise<Conversation> {
    const conv = await this.get(id);
    if (conv.state === 'with_counselor') {
      if (conv.counselorId === counselorId) return conv;
      throw new ConflictError('another counselor has already taken this conversation');
    }
    if (conv.state !== 'queued') throw new ConflictError(`the conversation is ${conv.state}, not waiting`);
    if (!(await this.deps.store.takeFromQueue(id))) {
      throw new ConflictError('another counselor has already taken this conversation');
    }
    return this.exclusive(id, async () => {
      const fresh = await this.get(id);
      this.move(fresh, 'claim');
      fresh.counselorId = counselorId;
      fresh.handled = true;
      fresh.meta.pending = undefined;
      if (fresh.waitingSince && fresh.waitingSince > 1) {
        const waited = this.now() - fresh.waitingSince;
        this.observer.claimed(fresh.risk, waited / 1000);
        await this.deps.store.recordWait(waited).catch(() => undefined);
      }
      fresh.waitingSince = undefined;
      await this.deps.store.saveConversation(fresh);
      await this.deps.store.setActive(id, true);
      await this.system(fresh, `claimed by ${counselorId}`);
      await this.say(fresh, { type: 'say', message: 'counselor-joined' });
      await this.publishState(fresh);
      return fresh;
    });
  }

  private async system(conv: Conversation, text: string, from: Author = 'system', by?: string): Promise<TranscriptEntry> {
    return this.record(conv, { at: this.now(), from, text, by });
  }

  private async publishState(conv: Conversation): Promise<void> {
    await this.deps.store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
    await this.deps.store.publish({ type: 'queue' });
  }

  private assigned(conv: Conversation, counselorId: string): void {
    if (conv.state !== 'with_counselor') throw new ConflictError(`the conversation is ${conv.state}`);
    if (conv.counselorId !== counselorId) throw new ForbiddenError('this conversation is assigned to someone else');
  }

  /** A counselor's message to the child, on the child's channel. */
  async counselorMessage(id: string, counselorId: string, text: string): Promise<TranscriptEntry> {
    return this.exclusive(id, async () => {
      const conv = await this.get(id);
      this.assigned(conv, counselorId);
      const clean = text.slice(0, this.deps.maxTextChars);
      const entry = await this.system(conv, clean, 'counselor', counselorId);
      await this.deliver(conv, { type: 'message', text: clean, from: 'counselor' });
      return entry;
    });
  }

  /** A private note: stays in the transcript for staff, never sent to the child. */
  async note(id: string, counselorId: string, text: string): Promise<TranscriptEntry> {
    const conv = await this.get(id);
    return this.system(conv, text.slice(0, this.deps.maxTextChars), 'note', counselorId);
  }

  /** Back to the head of the queue (transfer to queue, or a counselor who vanished). */
  async release(id: string, reason: string): Promise<Conversation> {
    return this.exclusive(id, async () => {
      const conv = await this.get(id);
      this.move(conv, 'release');
      conv.counselorId = undefined;
      // waitingSince 1 ms after the epoch puts it at the head of its risk band.
      conv.waitingSince = 1;
      await this.deps.store.saveConversation(conv);
      await this.deps.store.setActive(id, false);
      await this.deps.store.enqueue(id, conv.risk, 1);
      await this.system(conv, `returned to queue: ${reason}`);
      await this.say(conv, { type: 'say', message: 'counselor-left' });
      await this.publishState(conv);
      await this.deps.store.publish({ type: 'alert', id, risk: conv.risk, topic: conv.topic });
      return conv;
    });
  }

  async transfer(id: string, toCounselorId: string): Promise<Conversation> {
    return this.exclusive(id, async () => {
      const conv = await this.get(id);
      this.move(conv, 'transfer');
      conv.counselorId = toCounselorId;
      await this.deps.store.saveConversation(conv);
      await this.system(conv, `transferred to ${toCounselorId}`);
      await this.say(conv, { type: 'say', message: 'counselor-transferred' });
      await this.publishState(conv);
      return conv;
    });
  }

  async close(id: string, by: string, record: { category?: string; outcome?: string; note?: string }): Promise<Conversation> {
    return this.exclusive(id, async () => {
      const conv = await this.get(id);
      conv.meta.closeCategory = record.category;
      conv.meta.closeOutcome = record.outcome;
      if (record.note) await this.system(conv, record.note, 'note', by);
      await this.closeConversation(conv, by);
      return conv;
    });
  }

  private async closeConversation(conv: Conversation, by: string): Promise<void> {
    if (conv.state === 'queued') await this.deps.store.takeFromQueue(conv.id);
    this.move(conv, 'close');
    // Closed by staff: the child may answer one feedback question (or ignore it).
    conv.meta.pending = by !== 'child' ? 'feedback' : undefined;
    await this.deps.store.saveConversation(conv);
    await this.deps.store.setActive(conv.id, false);
    await this.system(conv, `closed by ${by}`);
    // The closing words carry the feedback buttons: one optional question, no extra message.
    if (by !== 'child') await this.say(conv, { type: 'say', message: 'conversation-closed', buttons: FEEDBACK_BUTTONS });
    await this.publishState(conv);
  }

  /** The answer to the closing question belongs to the closed conversation, not to a new one. */
  private async feedback(inb: Inbound): Promise<boolean> {
    const id = await this.deps.store.findChat(inb.channel, inb.chatKey);
    if (!id) return false;
    return this.exclusive(id, async () => {
      const conv = await this.deps.store.getConversation(id);
      if (!conv || conv.state !== 'closed' || conv.meta.pending !== 'feedback') return false;
      const value = (inb.value ?? '').slice('feedback:'.length);
      conv.meta.feedback = (FEEDBACK_VALUES as readonly string[]).includes(value) ? value : 'other';
      conv.meta.pending = undefined;
      conv.updatedAt = this.now();
      await this.deps.store.saveConversation(conv);
      await this.record(conv, { at: this.now(), from: 'child', text: `[feedback:${String(conv.meta.feedback)}]`, kind: 'button' });
      await this.say(conv, { type: 'say', message: 'feedback-thanks' });
      return true;
    });
  }

  /**
   * A bot message outside the child's turn (waiting room, transfers), recorded and delivered.
   * Skipped (false) unless the conversation is in one of `onlyIn`.
   */
  async botSay(
    id: string,
    message: string,
    opts: { buttons?: ButtonSpec[]; args?: Record<string, string | number>; onlyIn?: ConversationState[] } = {},
  ): Promise<boolean> {
    return this.exclusive(id, async () => {
      const conv = await this.get(id);
      if (opts.onlyIn && !opts.onlyIn.includes(conv.state)) return false;
      await this.say(conv, { type: 'say', message, buttons: opts.buttons, args: opts.args });
      return true;
    });
  }

  /** Typing indicator from a counselor to the child. */
  async counselorTyping(id: string, counselorId: string): Promise<void> {
    const conv = await this.get(id);
    this.assigned(conv, counselorId);
    await this.deliver(conv, { type: 'typing' });
  }

  /** A child's typing indicator, for the console. */
  async childTyping(id: string): Promise<void> {
    await this.deps.store.publish({ type: 'typing', id, from: 'child' });
  }
}

/** Error details safe for logs: type and message, never the child's text. */
export function errInfo(err: unknown): { type: string; message: string } {
  if (err instanceof Error) return { type: err.name, message: err.message.slice(0, 200) };
  return { type: typeof err, message: 'non-error thrown' };
}
