import { encodeButton } from '../buttons.js';

const LEAVE_VALUE = encodeButton({ kind: 'action', action: 'leave_queue' });
import { errInfo } from '../errors.js';
import type { Clock, ChannelSender, ContentSource, ContentView, EventBus, Log, Observer, QueueStore, ServiceState, TranscriptStore, Translator, WaitingRoomStore, WaitStats } from '../ports.js';
import type { Saying } from '../policy.js';
import type { Button, Conversation, Outbound, TranscriptEntry } from '../types.js';


export interface OutgoingDeps {
  store: TranscriptStore & EventBus & QueueStore & WaitStats & WaitingRoomStore;
  sender: ChannelSender;
  content: ContentSource;
  service: () => Promise<ServiceState>;
  observer: Observer;
  log: Log;
  now: Clock;
}

/**
 * What policy decided, as the child reads it: text and buttons in `locale` from this content (the
 * live one, or a draft the studio tries). A missing step shows the menu.
 */
export function renderSaying(c: ContentView, locale: string, saying: Saying, unknownStep: () => void = () => undefined): Extract<Outbound, { type: 'message' }> {
  let message: string;
  let buttons: { label: string; value: string }[];
  let args: Record<string, string | number> | undefined;
  if (saying.type === 'step') {
    // Own keys only: a step named "constructor" is not Object.prototype's.
    const step = Object.hasOwn(c.steps, saying.step) ? c.steps[saying.step] : undefined;
    if (!step) {
      unknownStep();
      return renderSaying(c, locale, { type: 'step', step: 'menu' });
    }
    message = step.text;
    buttons = (step.buttons ?? []).map((b) => ({
      label: b.label,
      value: b.goto ? encodeButton({ kind: 'goto', step: b.goto }) : `action:${b.action ?? 'menu'}`,
    }));
  } else {
    message = saying.message;
    buttons = (saying.buttons ?? []).map((b) => ({ label: b.label, value: encodeButton(b.value) }));
    args = saying.args;
  }
  const rendered: Button[] = buttons.map((b) => ({ label: c.i18n.t(locale, b.label), value: b.value }));
  return { type: 'message', text: c.i18n.t(locale, message, args), buttons: rendered.length ? rendered : undefined, from: 'bot' };
}

/**
 * Everything that leaves the core for a child: rendering what policy decided into one Outbound,
 * recording it in the transcript, delivering it on the child's channel, and recording a failed
 * delivery for the counselor instead of throwing.
 */
export class Outgoing {
  constructor(private deps: OutgoingDeps) {}

  /** The current content's messages. */
  i18n(): Translator {
    return this.deps.content().i18n;
  }

  /** Text and buttons in the conversation's language. A missing step shows the menu. */
  render(conv: Pick<Conversation, 'locale'>, saying: Saying): Extract<Outbound, { type: 'message' }> {
    // The name may come from a button the child sent: never logged.
    return renderSaying(this.deps.content(), conv.locale, saying, () => this.deps.log.warn({}, 'unknown script step; showing the menu'));
  }

  /** Appends to the transcript and tells every console watching. */
  async record(conv: Pick<Conversation, 'id'>, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry> {
    const saved = await this.deps.store.appendTranscript(conv.id, entry);
    await this.deps.store.publish({ type: 'message', id: conv.id, entry: saved });
    return saved;
  }

  /** Says something as the bot: recorded, then delivered. */
  async say(conv: Conversation, saying: Saying): Promise<void> {
    const out = this.render(conv, saying);
    // While waiting, leaving the queue stays one tap away under whatever the bot says last.
    if (conv.state === 'queued' && !out.buttons?.some((b) => b.value === LEAVE_VALUE)) out.buttons = [...(out.buttons ?? []), this.leaveButton(conv)];
    await this.record(conv, { at: this.deps.now(), from: 'bot', text: out.text, ...(out.buttons ? { buttons: out.buttons } : {}) });
    await this.deliver(conv, out);
  }

  /** Sends to the child; a failed delivery is recorded for the counselor, never thrown at the caller. */
  async deliver(conv: Pick<Conversation, 'id' | 'chatKey' | 'channel' | 'locale'>, out: Outbound): Promise<boolean> {
    try {
      await this.deps.sender.send(conv, out);
      if (out.type === 'message') this.deps.observer.messageOut(conv.channel);
      return true;
    } catch (err) {
      this.deps.log.warn({ err: errInfo(err), channel: conv.channel }, 'delivery to child failed');
      this.deps.observer.deliveryFailed(conv.channel);
      if (out.type === 'message') await this.record(conv, { at: this.deps.now(), from: 'system', text: 'delivery-failed' }).catch(() => undefined);
      return false;
    }
  }

  private leaveButton(conv: Pick<Conversation, 'locale'>): Button {
    return { label: this.deps.content().i18n.t(conv.locale, 'btn-leave-queue'), value: LEAVE_VALUE };
  }

  /**
   * Position and estimated wait, from recent waits and counselors present. Messengers show it as
   * a message, with the leave-queue button (the web chat's queue bar has its own).
   */
  async queueStatus(conv: Conversation): Promise<void> {
    const position = await this.deps.store.queuePosition(conv.id);
    if (position === null) return;
    const eta = await this.estimateWait(position);
    // Nobody on shift (or closed): "a counselor will answer soon" under "nobody is on shift" was a
    // promise the bar could not keep.
    const service = await this.deps.service();
    const staffed = service.open && service.countersAvailable > 0 ? 'yes' : 'no';
    const text = this.deps.content().i18n.t(conv.locale, 'queue-position', { position, eta: eta ?? 0, staffed });
    await this.deliver(conv, { type: 'queue', position, etaMinutes: eta, text, buttons: [this.leaveButton(conv)] });
    // The waiting room tells later changes against this: without it, a child it first saw after
    // the queue had moved (the one ahead left within its pass) was never told the new place.
    const now = this.deps.now();
    const note = (await this.deps.store.waitingNotes())[conv.id];
    await this.deps.store.setWaitingNote(conv.id, { sent: 0, lastAt: conv.returned ? now : (conv.waitingSince ?? now), ...note, pos: position, statusAt: now });
  }

  async estimateWait(position: number): Promise<number | null> {
    const waits = await this.deps.store.recentWaits();
    if (waits.length === 0) return null;
    const sorted = [...waits].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const counselors = Math.max(1, (await this.deps.service()).countersAvailable);
    return Math.max(1, Math.ceil((median * position) / counselors / 60_000));
  }
}
