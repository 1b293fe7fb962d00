import type { ConversationStore, TranscriptStore } from '../ports.js';
import type { Risk, Topic } from '../taxonomy.js';
import type { Button, Inbound, Outbound, TranscriptEntry } from '../types.js';
import type { Conversations } from './conversations.js';
import type { CounselorActions } from './counselor.js';
import type { InboundHandler, InboundOutcome } from './inbound.js';
import type { PresenceSignal, SafetyNet } from './safety.js';

/** A chat's conversation as a channel may see it: levels, never triage reasons or staff. */
export interface ChatView {
  id: string;
  chatKey: string;
  state: 'bot' | 'queued' | 'with_counselor' | 'closed';
  locale: string;
  risk: Risk;
  topic: Topic;
  waitingSince?: number;
}

/** What the child may see of their conversation again (after a reload): what they, the bot and counselors said. */
export interface HistoryLine {
  from: 'child' | 'bot' | 'counselor';
  text: string;
  at: number;
  /** On the newest line only, when the bot said it: the quick replies still open. */
  buttons?: Button[];
}

/**
 * What the core offers a channel: the only way in. A channel never sees the store, the queue or
 * another child's conversation; it hands over Inbound messages and renders Outbound ones.
 */
export interface ChannelCore {
  /** One message from a child; de-duplicated by inb.platformMessageId. Never throws. */
  handle(inb: Inbound): Promise<InboundOutcome>;
  /**
   * The greeting, the notice of what is kept and the menu, for a chat that opens before the child
   * writes (the web chat page). Stores nothing; pass `greeted: true` on the first Inbound after it.
   */
  welcome(localeHint: string | undefined): { locale: string; out: Extract<Outbound, { type: 'message' }> };
  /** The numbers, when the channel itself failed before the core could take the message. */
  fallback(inb: Pick<Inbound, 'channel' | 'chatKey' | 'text' | 'localeHint'>): Promise<void>;
  /** The child is typing (shown in the console). */
  typing(channel: string, chatKey: string): Promise<void>;
  /** The child blocked the bot: the counselor is told and the conversation closed. Never await it while sending. */
  unreachable(channel: string, chatKey: string, note: string): Promise<boolean>;
  /** The chat's current conversation, if it has one. */
  current(channel: string, chatKey: string): Promise<ChatView | null>;
  /** The child's view of a conversation: the last `limit` lines. */
  history(conversationId: string, limit?: number): Promise<HistoryLine[]>;
  /**
   * For channels that know whether the child's page is open (the web chat): connect, a beat at
   * least every ttlMs while open, gone at close. Waiting children gone too long leave the queue.
   */
  present(channel: string, chatKey: string, signal: PresenceSignal, ttlMs: number): Promise<void>;
}

const view = (c: ChatView): ChatView => ({ id: c.id, chatKey: c.chatKey, state: c.state, locale: c.locale, risk: c.risk, topic: c.topic, waitingSince: c.waitingSince });

const visible = (e: TranscriptEntry): e is TranscriptEntry & { from: HistoryLine['from'] } => e.from === 'child' || e.from === 'bot' || e.from === 'counselor';

/**
 * The transcript as the child saw it. A press is stored as its wire value ("[goto:menu]"): it
 * reads again as the label of the button the bot offered with that value, and a press of nothing
 * the bot offered (the page's language switch, a transcript from before buttons were kept) is
 * left out rather than shown as a code. Only the newest line keeps its buttons: earlier ones were
 * answered.
 */
export function childView(transcript: TranscriptEntry[]): HistoryLine[] {
  const labels = new Map<string, string>();
  const lines: HistoryLine[] = [];
  for (const e of transcript) {
    if (!visible(e)) continue;
    if (e.from === 'child' && e.kind === 'button') {
      const pressed = /^\[(.*)\]$/s.exec(e.text);
      const label = pressed ? labels.get(pressed[1]!) : e.text;
      if (label !== undefined) lines.push({ from: 'child', text: label, at: e.at });
      continue;
    }
    for (const b of e.buttons ?? []) labels.set(b.value, b.label);
    lines.push({ from: e.from, text: e.text, at: e.at, ...(e.from === 'bot' && e.buttons?.length ? { buttons: e.buttons } : {}) });
  }
  for (const line of lines.slice(0, -1)) delete line.buttons;
  return lines;
}

export class ChannelGateway implements ChannelCore {
  constructor(
    private store: ConversationStore & TranscriptStore,
    private conversations: Conversations,
    private inbound: InboundHandler,
    private counselor: CounselorActions,
    private safety: SafetyNet,
  ) {}

  present(channel: string, chatKey: string, signal: PresenceSignal, ttlMs: number): Promise<void> {
    return this.safety.present(channel, chatKey, signal, ttlMs);
  }

  handle(inb: Inbound): Promise<InboundOutcome> {
    return this.inbound.handle(inb);
  }

  welcome(localeHint: string | undefined): { locale: string; out: Extract<Outbound, { type: 'message' }> } {
    return this.inbound.welcome(localeHint);
  }

  fallback(inb: Pick<Inbound, 'channel' | 'chatKey' | 'text' | 'localeHint'>): Promise<void> {
    return this.inbound.fallback(inb);
  }

  typing(channel: string, chatKey: string): Promise<void> {
    return this.inbound.typing(channel, chatKey);
  }

  unreachable(channel: string, chatKey: string, note: string): Promise<boolean> {
    return this.counselor.unreachable(channel, chatKey, note);
  }

  async current(channel: string, chatKey: string): Promise<ChatView | null> {
    const conv = await this.conversations.current(channel, chatKey);
    return conv ? view(conv) : null;
  }


  async history(conversationId: string, limit = 100): Promise<HistoryLine[]> {
    return childView(await this.store.getTranscript(conversationId)).slice(-limit);
  }
}
