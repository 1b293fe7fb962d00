import { decodeButton } from '../buttons.js';
import { errInfo, NotFoundError } from '../errors.js';
import { FEEDBACK_VALUES } from '../buttons.js';
import { GREETING, policy, type PolicyEvent } from '../policy.js';
import type { Clock, ContentSource, ConversationStore, Dedupe, EventBus, Log, Observer, QueueStore, RateCounter, ServiceState, TranscriptStore, Translator, Triage, TriageContext } from '../ports.js';
import { isEscalation, type Risk } from '../taxonomy.js';
import { normalizeText } from '../text.js';
import type { Conversation, ConversationMeta, Inbound, Outbound, TranscriptEntry, TriageResult } from '../types.js';

/** The bot's question that a text message may be answering (the triage reads it with that question). */
function askedOf(pending: ConversationMeta['pending']): TriageContext['asked'] {
  if (pending === 'safety') return 'safety';
  if (pending === 'pre_age') return 'age';
  if (pending === 'pre_about') return 'about';
  return undefined;
}
import type { ActionRunner } from './actions.js';
import type { Conversations } from './conversations.js';
import type { Exclusive } from './exclusive.js';
import type { Blocking } from './blocking.js';
import type { Outgoing } from './outbound.js';
import type { Recorder } from './recorder.js';
import { facts } from '../records.js';
import { asksForPlan, renderSafetyPlan, type SafetyPlan } from '../safety-plan.js';

/** What became of one message from a child. */
export type InboundOutcome =
  /** Stored and answered. */
  | 'processed'
  /** Seen before (a platform redelivery, a resent frame): nothing done again. */
  | 'duplicate'
  /** Not stored: only the fallback reply with the numbers went out. A webhook answers 5xx so the platform redelivers. */
  | 'failed';

/** Platforms redeliver for up to a day (Telegram keeps an undelivered update 24 h). */
export const INBOUND_DEDUPE_TTL_MS = 24 * 3600_000;

export interface InboundDeps {
  store: ConversationStore & TranscriptStore & QueueStore & EventBus & Dedupe & RateCounter;
  conversations: Conversations;
  exclusive: Exclusive;
  outgoing: Outgoing;
  actions: ActionRunner;
  triage: () => Triage;
  /** The fallback triage when the main one fails (the lexicon). */
  fallbackTriage: Triage;
  content: ContentSource;
  service: () => Promise<ServiceState>;
  observer: Observer;
  log: Log;
  now: Clock;
  maxTextChars: number;
  /** New chats per origin per minute before they count as a possible flood. */
  newChatsPerOriginPerMinute: number;
  /** A child who left the queue as abandoned and writes again returns to their old place (under the lock). */
  comeBack: (conv: Conversation) => Promise<unknown>;
  recorder: Recorder;
  blocking: Blocking;
}

/** Enough of the first words to tell two children apart on the queue, cut at a word. */
export const PREVIEW_CHARS = 80;
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_CHARS) return flat;
  const cut = flat.slice(0, PREVIEW_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > PREVIEW_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

const MEDIA_LABEL = (media: string) => `[${media}]`;

/** A short yes / no / don't know in any language, from the answer-*-words messages of the locale files. */
export function readAnswer(i18n: Translator, text: string): 'yes' | 'no' | 'unknown' | undefined {
  const n = normalizeText(text);
  if (!n || n.length > 20) return undefined;
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

/**
 * A child's message, button, command or media, from any channel: de-duplicated by its platform
 * id, triaged, recorded, and answered through policy(). Never throws.
 */
export class InboundHandler {
  constructor(private deps: InboundDeps) {}

  async handle(inb: Inbound): Promise<InboundOutcome> {
    const { store, observer, log } = this.deps;
    observer.messageIn(inb.channel, inb.kind);
    // The kind is part of the key: one Telegram message gives a media and a caption Inbound.
    const once = inb.platformMessageId ? `in:${inb.channel}:${inb.chatKey}:${inb.kind}:${inb.platformMessageId}` : null;
    if (once) {
      let fresh: boolean;
      try {
        fresh = await store.markOnce(once, INBOUND_DEDUPE_TTL_MS);
      } catch (err) {
        // The store refuses or hangs: nothing can be stored now, so the child gets the numbers at
        // once instead of after every later store call has timed out too; the platform (or the
        // page) sends the message again.
        log.error({ err: errInfo(err), channel: inb.channel }, 'store unavailable; sending fallback reply');
        // A mark that timed out may still be set when the store answers again; undo it then, or
        // the redelivery would be taken for a duplicate and lost.
        void store.unmark(once).catch(() => undefined);
        await this.fallback(inb);
        return 'failed';
      }
      if (!fresh) return 'duplicate';
    }
    let opened: Conversation | undefined;
    try {
      const button = inb.kind === 'button' ? decodeButton(inb.value) : null;
      if (button?.kind === 'feedback' && (await this.feedback(inb, button.value))) return 'processed';
      if (inb.kind === 'text' && inb.text && (await this.planAgain(inb, inb.text))) return 'processed';
      const { conv, created } = await this.deps.conversations.open(inb.channel, inb.chatKey, inb.localeHint);
      opened = conv;
      await this.deps.exclusive.run(conv.id, async () => {
        await this.process(conv.id, inb, created);
        // Every contact has a record from its first message, also one that never reaches the
        // queue (after the live step: the child has had the answer).
        if (created) {
          const now = await this.deps.store.getConversation(conv.id);
          if (now) await this.deps.recorder.push(now);
        }
      });
      return 'processed';
    } catch (err) {
      log.error({ err: errInfo(err), channel: inb.channel }, 'inbound failed; sending fallback reply');
      if (once) await store.unmark(once).catch(() => undefined);
      await this.fallback(inb, opened);
      return 'failed';
    }
  }

  /** What a child gets when anything fails: the numbers, from content held in memory. */
  async fallback(inb: Pick<Inbound, 'channel' | 'chatKey' | 'text' | 'localeHint'>, conv?: Conversation): Promise<void> {
    try {
      const content = this.deps.content();
      const locale = conv?.locale ?? content.i18n.resolve(inb.localeHint);
      const crisis = inb.text ? content.lexicon.match(inb.text)[0] : undefined;
      const message = crisis && isEscalation(crisis.risk) ? 'emergency' : 'fallback-error';
      await this.deps.outgoing.deliver({ id: conv?.id ?? '', chatKey: inb.chatKey, channel: inb.channel, locale }, { type: 'message', text: content.i18n.t(locale, message), from: 'bot' });
    } catch (err) {
      this.deps.log.error({ err: errInfo(err), channel: inb.channel }, 'fallback reply failed');
    }
  }

  /**
   * What a chat shows the moment it opens, before the child has typed anything (the web chat's
   * page): the greeting with what is kept and the menu, in the hinted language. Nothing is
   * stored: a page opened and closed makes no conversation; the first message records it.
   */
  welcome(localeHint: string | undefined): { locale: string; out: Extract<Outbound, { type: 'message' }> } {
    const locale = this.deps.content().i18n.resolve(localeHint);
    return { locale, out: this.deps.outgoing.render({ locale }, GREETING) };
  }

  /** The welcome the channel showed, as the first line of the conversation the child's first message made. */
  private async recordWelcome(conv: Conversation): Promise<void> {
    const out = this.deps.outgoing.render(conv, GREETING);
    await this.deps.outgoing.record(conv, { at: this.deps.now(), from: 'bot', text: out.text, ...(out.buttons ? { buttons: out.buttons } : {}) });
    conv.meta.greeted = true;
  }

  /** A child's typing indicator, for the console. */
  async typing(channel: string, chatKey: string): Promise<void> {
    const id = await this.deps.store.findChat(channel, chatKey);
    if (id) await this.deps.store.publish({ type: 'typing', id, from: 'child' });
  }

  private async process(id: string, inb: Inbound, created: boolean): Promise<void> {
    const conv = await this.deps.store.getConversation(id);
    if (!conv) throw new NotFoundError('conversation vanished');
    if (created && inb.origin) await this.checkFlood(conv, inb.origin);
    if (created && inb.greeted && conv.state === 'bot') await this.recordWelcome(conv);
    // A blocked identity (issue 18): read at every message, never with a counselor in the chat;
    // a store that cannot say counts as not blocked — nobody is refused because of a fault.
    const block = conv.state === 'with_counselor' ? null : await this.deps.blocking.of(conv.channel, conv.chatKey).catch(() => null);
    const at = this.deps.now();
    let event: PolicyEvent;
    let entry: Omit<TranscriptEntry, 'seq'>;
    if (inb.kind === 'media') {
      const media = inb.media ?? 'file';
      entry = { at, from: 'child', text: MEDIA_LABEL(media), kind: 'media', media };
      event = { type: 'media', media };
    } else if (inb.kind === 'button') {
      const value = inb.value ?? '';
      entry = { at, from: 'child', text: `[${value}]`, kind: 'button' };
      event = { type: 'button', value: decodeButton(value) };
    } else if (inb.kind === 'command') {
      entry = { at, from: 'child', text: `/${inb.value ?? ''}`, kind: 'text' };
      event = { type: 'command', name: inb.value ?? '' };
    } else {
      let text = inb.text ?? '';
      const truncated = text.length > this.deps.maxTextChars;
      if (truncated) text = text.slice(0, this.deps.maxTextChars);
      const triage = await this.classify(text, conv.risk, conv.locale, askedOf(conv.meta.pending));
      const saved = await this.deps.outgoing.record(conv, { at, from: 'child', text, kind: inb.kind === 'edit' ? 'edit' : 'text', triage });
      this.touch(conv, at, text);
      if (truncated) await this.deps.outgoing.say(conv, { type: 'say', message: 'text-truncated' });
      // An edit reaches the counselor; the bot does not answer it again.
      if (inb.kind === 'edit') return this.deps.store.saveConversation(conv);
      // Blocked: the numbers, nothing more — unless the words speak of a crisis, which goes the whole way.
      if (block && !isEscalation(triage.risk)) return this.blockedAnswer(conv, block.until);
      if (block) conv.blocked = true;
      await this.deps.comeBack(conv);
      // The first entry of a transcript is the child's first word: nothing was said before it.
      event = { type: 'text', triage, first: created || saved.seq === 1, answer: this.readAnswer(text) };
      // The record keeps the first message's triage (intent, topic, risk), never its words.
      if (event.first) facts(conv).first ??= { intent: triage.intent, topic: triage.topic, risk: triage.risk };
      await this.deps.actions.run(conv, policy(event, conv, await this.deps.service()), true);
      return;
    }
    await this.deps.outgoing.record(conv, entry);
    this.touch(conv, at);
    const crisisAsked = event.type === 'button' && event.value?.kind === 'action' && event.value.action === 'crisis';
    if (block && !crisisAsked) return this.blockedAnswer(conv, block.until);
    if (block) conv.blocked = true;
    await this.deps.comeBack(conv);
    await this.deps.actions.run(conv, policy(event, conv, await this.deps.service()), true);
  }

  /** What a blocked identity gets for anything but a crisis: the helpline and emergency numbers, and until when. */
  private async blockedAnswer(conv: Conversation, until: number): Promise<void> {
    const date = new Intl.DateTimeFormat(conv.locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(until);
    await this.deps.outgoing.say(conv, { type: 'say', message: 'blocked-answer', args: { date } });
    await this.deps.store.saveConversation(conv);
  }

  /** The child's last word time, and their first words as a preview for staff's queue card. */
  private touch(conv: Conversation, at: number, text?: string): void {
    conv.lastChildAt = at;
    if (conv.preview === undefined && text) conv.preview = preview(text);
  }

  /**
   * One origin (a web chat address) opening chat after chat: past the cap, each new chat is a
   * possible flood. Its child is answered as any other (the numbers at once) and queued, but
   * behind every other child, so 200 scripted crisis chats cannot push a real one out of sight.
   */
  private async checkFlood(conv: Conversation, origin: string): Promise<void> {
    const n = await this.deps.store.countHit(`new-chat:${origin}`, 60_000).catch(() => 0);
    if (n <= this.deps.newChatsPerOriginPerMinute) return;
    conv.flood = true;
    await this.deps.store.saveConversation(conv);
    if (n === this.deps.newChatsPerOriginPerMinute + 1) this.deps.log.warn({ cap: this.deps.newChatsPerOriginPerMinute }, 'possible flood: one address opened more chats than the cap this minute');
  }

  /** The model, or the lexicon when the model fails: every failure is logged and counted. */
  private async classify(text: string, priorRisk: Risk, locale: string, asked: TriageContext['asked']): Promise<TriageResult> {
    const started = performance.now();
    try {
      const result = await this.deps.triage().classify(text, { priorRisk, locale, asked });
      this.deps.observer.triaged(result.risk, result.topic, (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      this.deps.log.error({ err: errInfo(err) }, 'triage failed; using the lexicon');
      this.deps.observer.triageError('fallback');
      return this.deps.fallbackTriage.classify(text, { priorRisk, locale, asked });
    }
  }

  private readAnswer(text: string): 'yes' | 'no' | 'unknown' | undefined {
    return readAnswer(this.deps.content().i18n, text);
  }

  /** "мой план": the safety plan made with this child, sent again (it is the child's; no triage, no policy). */
  private async planAgain(inb: Inbound, text: string): Promise<boolean> {
    const found = await this.deps.conversations.current(inb.channel, inb.chatKey);
    if (!found?.meta.safetyPlan || !asksForPlan(this.deps.content().i18n, found.locale, text)) return false;
    return this.deps.exclusive.run(found.id, async () => {
      const conv = await this.deps.store.getConversation(found.id);
      const plan = conv?.meta.safetyPlan as SafetyPlan | undefined;
      if (!conv || !plan) return false;
      const at = this.deps.now();
      await this.deps.outgoing.record(conv, { at, from: 'child', text, kind: 'text' });
      const out = renderSafetyPlan(this.deps.content().i18n, conv.locale, plan);
      await this.deps.outgoing.record(conv, { at, from: 'bot', text: out });
      await this.deps.outgoing.deliver(conv, { type: 'message', text: out, from: 'bot' });
      return true;
    });
  }

  /** The answer to the closing question belongs to the closed conversation, not to a new one. */
  private async feedback(inb: Inbound, value: (typeof FEEDBACK_VALUES)[number]): Promise<boolean> {
    const found = await this.deps.conversations.current(inb.channel, inb.chatKey);
    if (!found) return false;
    return this.deps.exclusive.run(found.id, async () => {
      const conv = await this.deps.store.getConversation(found.id);
      if (!conv || conv.state !== 'closed' || conv.meta.pending !== 'feedback') return false;
      conv.meta.feedback = value;
      conv.meta.pending = undefined;
      conv.updatedAt = this.deps.now();
      await this.deps.store.saveConversation(conv);
      await this.deps.outgoing.record(conv, { at: this.deps.now(), from: 'child', text: `[feedback:${value}]`, kind: 'button' });
      await this.deps.outgoing.say(conv, { type: 'say', message: 'feedback-thanks' });
      this.deps.observer.feedback(value);
      await this.deps.recorder.push(conv);
      return true;
    });
  }
}
