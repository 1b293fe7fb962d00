import { AssessmentRequired, ConflictError, ForbiddenError, errInfo } from '../errors.js';
import { cooldownAfter, withinCapacity } from '../safety-net.js';
import type { CloseOutcome } from '../outcomes.js';
import { FEEDBACK_BUTTONS, type Saying } from '../policy.js';
import type { ActiveStore, Clock, ConversationStore, EventBus, Locks, Log, Observer, QueueStore, TranscriptStore, WaitStats, WellbeingStore } from '../ports.js';
import type { Author, Conversation, ConversationState, TranscriptEntry } from '../types.js';
import { categoriesOf, needsAssessment, type CloseForm } from '../chi.js';
import { facts, type RiskAssessment } from '../records.js';
import { renderSafetyPlan, type PlanSection, type SafetyPlan } from '../safety-plan.js';
import type { Recorder } from './recorder.js';
import { move, queuePlace } from './actions.js';
import type { Conversations } from './conversations.js';
import type { Exclusive } from './exclusive.js';
import type { Outgoing } from './outbound.js';

export interface CounselorDeps {
  store: ConversationStore & TranscriptStore & QueueStore & ActiveStore & EventBus & WaitStats & Locks & WellbeingStore;
  conversations: Conversations;
  exclusive: Exclusive;
  outgoing: Outgoing;
  observer: Observer;
  log: Log;
  now: Clock;
  maxTextChars: number;
  /** COUNSELOR_MAX_CHATS: concurrent chats per counselor (claims and transfers beyond it are refused). */
  maxChats: number;
  recorder: Recorder;
}

/** What closing tells the counselor: a short pause is offered after a heavy chat. */
export interface Closed {
  conv: Conversation;
  cooldown: boolean;
}

/** The close form (ids only, checked against the category tree by the caller) and a private note. */
export interface CloseRecord {
  form: CloseForm;
  note?: string;
  /**
   * Refuse a high or imminent suicide or self-harm chat without the screener. False only for
   * the first console's one-category form, which has no screener yet (see the close route).
   */
  screen?: boolean;
}

/**
 * What staff do to a conversation: claim, write, note, transfer, release, close. Every change
 * runs under the conversation's lock, so it never interleaves with the child's own message.
 */
export class CounselorActions {
  constructor(private deps: CounselorDeps) {}

  private get now(): number {
    return this.deps.now();
  }

  /**
   * Of two counselors exactly one wins; the other gets a conflict (409). The queue entry is taken
   * inside the lock: a child's message processed meanwhile cannot put it back.
   */
  async claim(id: string, counselorId: string): Promise<Conversation> {
    // One claim at a time per counselor, across instances: two quick clicks cannot pass the cap together.
    return this.deps.store.withLock(`cap:${counselorId}`, () => this.claimWithin(id, counselorId), { ttlMs: 10_000, waitMs: 5000 });
  }

  /** How many live chats a counselor holds now. */
  async holding(counselorId: string): Promise<number> {
    const ids = await this.deps.store.listActive();
    const convs = await Promise.all(ids.map((i) => this.deps.store.getConversation(i)));
    return convs.filter((c) => c?.state === 'with_counselor' && c.counselorId === counselorId).length;
  }

  private async checkCapacity(counselorId: string, who: 'you' | 'they'): Promise<void> {
    const held = await this.holding(counselorId);
    if (!withinCapacity(held, this.deps.maxChats)) {
      const whose = who === 'you' ? 'you already have' : `${counselorId} already has`;
      throw new ConflictError(`${whose} ${held} chats (the most at once is ${this.deps.maxChats}); close one first`, 'at_capacity', { max: this.deps.maxChats, holding: held });
    }
  }

  private async claimWithin(id: string, counselorId: string): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.state === 'with_counselor') {
        if (conv.counselorId === counselorId) return conv;
        throw new ConflictError('another counselor has already taken this conversation', 'already_taken');
      }
      if (conv.state !== 'queued') throw new ConflictError(`the conversation is ${conv.state}, not waiting`, 'not_waiting');
      await this.checkCapacity(counselorId, 'you');
      if (!(await this.deps.store.takeFromQueue(id))) throw new ConflictError('another counselor has already taken this conversation', 'already_taken');
      move(conv, 'claim', this.now);
      conv.counselorId = counselorId;
      conv.handled = true;
      conv.meta.pending = undefined;
      // A wait after a counselor left is not a first wait: it would skew the estimate children are given.
      if (conv.waitingSince !== undefined && !conv.returned) {
        const waited = this.now - conv.waitingSince;
        this.deps.observer.claimed(conv.risk, waited / 1000);
        await this.deps.store.recordWait(waited).catch(() => undefined);
      }
      const rec = facts(conv);
      if (rec.claimedAt === undefined) {
        rec.claimedAt = this.now;
        if (conv.waitingSince !== undefined) rec.firstWaitMs = this.now - conv.waitingSince;
      }
      rec.counselors = [...(rec.counselors ?? []), counselorId];
      conv.waitingSince = undefined;
      conv.returned = undefined;
      await this.deps.store.saveConversation(conv);
      await this.deps.store.setActive(id, true);
      await this.system(conv, `claimed by ${counselorId}`);
      await this.deps.outgoing.say(conv, { type: 'say', message: 'counselor-joined' });
      await this.publishState(conv);
      return conv;
    });
  }

  /** A counselor's message to the child, on the child's channel. */
  async message(id: string, counselorId: string, text: string): Promise<TranscriptEntry> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      this.assigned(conv, counselorId, true);
      const clean = text.slice(0, this.deps.maxTextChars);
      const entry = await this.system(conv, clean, 'counselor', counselorId);
      await this.deps.outgoing.deliver(conv, { type: 'message', text: clean, from: 'counselor' });
      // For the supervisor's live view: how long the child has waited for an answer.
      conv.lastCounselorAt = entry.at;
      await this.deps.store.saveConversation(conv);
      return entry;
    });
  }

  /** A private note: stays in the transcript for staff, never sent to the child. */
  async note(id: string, counselorId: string, text: string): Promise<TranscriptEntry> {
    const conv = await this.deps.conversations.get(id);
    return this.system(conv, text.slice(0, this.deps.maxTextChars), 'note', counselorId);
  }

  /** Typing indicator from a counselor to the child. */
  async typing(id: string, counselorId: string): Promise<void> {
    const conv = await this.deps.conversations.get(id);
    this.assigned(conv, counselorId, true);
    await this.deps.outgoing.deliver(conv, { type: 'typing' });
  }

  /**
   * Back to the head of its risk band in the queue. `why`: a transfer (a counselor passed the
   * chat on, or can no longer take chats) is told to the child as being handed on with the whole
   * conversation; only a counselor whose console vanished is told as a disconnect.
   */
  async release(id: string, reason: string, why: 'transfer' | 'disconnect'): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      move(conv, 'release', this.now);
      conv.counselorId = undefined;
      conv.joined = undefined;
      conv.hand = undefined;
      conv.waitingSince = this.now;
      conv.returned = true;
      await this.deps.store.saveConversation(conv);
      await this.deps.store.setActive(id, false);
      await this.deps.store.enqueue(id, queuePlace(conv, this.now));
      await this.system(conv, `returned to queue: ${reason}`);
      await this.deps.outgoing.say(conv, { type: 'say', message: why === 'transfer' ? 'counselor-handover' : 'counselor-left' });
      await this.publishState(conv);
      await this.deps.store.publish({ type: 'alert', id, risk: conv.risk, topic: conv.topic });
      return conv;
    });
  }

  /** `by`: who passed it; `note`: why, for the receiver (staff words, optional). */
  async transfer(id: string, toCounselorId: string, by?: string, note?: string): Promise<Conversation> {
    return this.deps.store.withLock(`cap:${toCounselorId}`, () => this.transferWithin(id, toCounselorId, by, note), { ttlMs: 10_000, waitMs: 5000 });
  }

  private async transferWithin(id: string, toCounselorId: string, by?: string, note?: string): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      await this.checkCapacity(toCounselorId, 'they');
      move(conv, 'transfer', this.now);
      conv.counselorId = toCounselorId;
      conv.hand = undefined;
      const rec = facts(conv);
      rec.transfers = (rec.transfers ?? 0) + 1;
      rec.counselors = [...(rec.counselors ?? []), toCounselorId];
      conv.joined = conv.joined?.filter((s) => s !== toCounselorId);
      await this.deps.store.saveConversation(conv);
      await this.system(conv, `transferred to ${toCounselorId}`);
      await this.deps.outgoing.say(conv, { type: 'say', message: 'counselor-transferred' });
      await this.publishState(conv);
      // A silent transfer left the receiver unaware: they get an alert of their own.
      await this.deps.store.publish({ type: 'transferred', id: conv.id, by: by ?? '', to: toCounselorId, ...(note ? { note } : {}), risk: conv.risk, topic: conv.topic, at: this.now });
      return conv;
    });
  }

  /**
   * The suicide and self-harm screener's answers, saved on the conversation as the counselor goes
   * (the latest answers win). Answers only: no free text.
   */
  async assess(id: string, by: string, answers: Omit<RiskAssessment, 'by' | 'at'>): Promise<RiskAssessment> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.state === 'closed') throw new ConflictError('the conversation is closed', 'not_waiting');
      const assessment: RiskAssessment = { ...answers, by, at: this.now };
      facts(conv).assessment = assessment;
      await this.deps.store.saveConversation(conv);
      return assessment;
    });
  }

  /**
   * The safety plan made with the child: kept on the conversation (carried into the chat's next
   * conversation, so "мой план" finds it), sent as one message, recorded in the transcript. The
   * contact record only notes that a plan was made.
   */
  async safetyPlan(id: string, by: string, sections: Record<PlanSection, string[]>): Promise<SafetyPlan> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      this.assigned(conv, by, true);
      const plan: SafetyPlan = { ...sections, by, at: this.now };
      conv.meta.safetyPlan = plan;
      facts(conv).safetyPlan = true;
      await this.deps.store.saveConversation(conv);
      const text = renderSafetyPlan(this.deps.outgoing.i18n(), conv.locale, plan);
      await this.system(conv, text, 'counselor', by);
      await this.deps.outgoing.deliver(conv, { type: 'message', text, from: 'counselor' });
      return plan;
    });
  }

  /**
   * A supervisor signs off the emergency referral of a conversation (live or closed); the record
   * is written again with who and when. Once only.
   */
  async signOffReferral(id: string, supervisorId: string): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      const rec = facts(conv);
      if (!rec.referral) throw new ConflictError('this conversation has no emergency referral to sign off');
      if (rec.referral.signedOffBy) throw new ConflictError(`the referral was signed off by ${rec.referral.signedOffBy}`);
      rec.referral = { ...rec.referral, signedOffBy: supervisorId, signedOffAt: this.now };
      await this.deps.store.saveConversation(conv);
      await this.deps.recorder.push(conv);
      return conv;
    });
  }

  async close(id: string, by: string, record: CloseRecord): Promise<Closed> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      const holder = conv.state === 'with_counselor' ? conv.counselorId : undefined;
      const { form } = record;
      const rec = facts(conv);
      if (form.assessment) rec.assessment = { ...form.assessment, by, at: this.now };
      // Checked under the lock: the risk may have risen since the counselor opened the form. A call
      // type does not skip it: "a joke" about suicide at high risk is screened all the same.
      // A chat closed from the queue had no conversation to screen in.
      if (record.screen !== false && holder && !rec.assessment && needsAssessment(conv, form.subcategories)) {
        throw new AssessmentRequired(conv.risk);
      }
      rec.chiCategories = categoriesOf(form);
      rec.chiSubcategories = [...new Set(form.subcategories)];
      rec.callType = form.callType;
      if (form.ageGroup) rec.ageGroup = form.ageGroup;
      if (form.gender) rec.gender = form.gender;
      if (form.referral) {
        const signer = form.referral.signedOffBy;
        rec.referral = { services: form.referral.services, calledAt: form.referral.calledAt ?? this.now, by, ...(signer ? { signedOffBy: signer, signedOffAt: this.now } : {}) };
      }
      conv.meta.closeCategory = rec.chiCategories[0];
      // A non-counselling contact (a call type) needs no outcome of its own.
      conv.meta.closeOutcome = form.outcome ?? ('not_genuine' satisfies CloseOutcome);
      if (record.note) await this.system(conv, record.note, 'note', by);
      await this.closeLocked(conv, by);
      // The counselor who carried a high or imminent chat: counted for the supervisor, offered a pause.
      const heavy = !!holder && cooldownAfter(conv.risk);
      if (heavy) await this.deps.store.recordHeavyChat(holder, this.now).catch((err: unknown) => this.deps.log.warn({ err: errInfo(err) }, 'heavy chat not counted'));
      return { conv, cooldown: heavy && holder === by };
    });
  }

  /** Closes a conversation whose lock the caller holds. `by` is a staff id, or 'child'. */
  async closeLocked(conv: Conversation, by: string): Promise<void> {
    if (conv.state === 'queued') await this.deps.store.takeFromQueue(conv.id);
    move(conv, 'close', this.now);
    conv.waitingSince = undefined;
    conv.returned = undefined;
    conv.abandoned = undefined;
    conv.hand = undefined;
    // Closed by staff: the child may answer one feedback question (or ignore it).
    conv.meta.pending = by !== 'child' ? 'feedback' : undefined;
    const rec = facts(conv);
    rec.closedAt = this.now;
    rec.closedBy = by === 'child' ? 'child' : by === 'system' ? 'system' : 'staff';
    await this.deps.store.saveConversation(conv);
    await this.deps.store.setActive(conv.id, false);
    await this.system(conv, `closed by ${by}`);
    // The closing words carry the feedback buttons: one optional question, no extra message.
    if (by !== 'child') await this.deps.outgoing.say(conv, { type: 'say', message: 'conversation-closed', buttons: FEEDBACK_BUTTONS });
    await this.publishState(conv);
    // After the live step: the record of the contact as it ended.
    await this.deps.recorder.push(conv);
  }

  /**
   * The child blocked the bot (or deleted the account): the counselor is told in the transcript
   * and the conversation is closed quietly, since nothing more can reach the child.
   */
  async unreachable(channel: string, chatKey: string, note: string): Promise<boolean> {
    const found = await this.deps.conversations.current(channel, chatKey);
    if (!found || found.state === 'closed') return false;
    return this.deps.exclusive.run(found.id, async () => {
      const conv = await this.deps.conversations.get(found.id);
      if (conv.state === 'closed') return false;
      await this.system(conv, note);
      conv.meta.closeOutcome = 'unreachable' satisfies CloseOutcome;
      await this.closeLocked(conv, 'child');
      return true;
    });
  }

  /**
   * A bot message outside the child's turn (waiting room, transfers), recorded and delivered.
   * Skipped (false) unless the conversation is in one of `onlyIn`.
   */
  async botSay(id: string, saying: Saying, onlyIn?: ConversationState[]): Promise<boolean> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (onlyIn && !onlyIn.includes(conv.state)) return false;
      await this.deps.outgoing.say(conv, saying);
      return true;
    });
  }

  private system(conv: Conversation, text: string, from: Author = 'system', by?: string): Promise<TranscriptEntry> {
    return this.deps.outgoing.record(conv, { at: this.now, from, text, by });
  }

  private async publishState(conv: Conversation): Promise<void> {
    await this.deps.store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
    await this.deps.store.publish({ type: 'queue' });
  }

  /** joinedToo: a supervisor who joined the chat may write to the child as well. */
  private assigned(conv: Conversation, counselorId: string, joinedToo = false): void {
    if (conv.state !== 'with_counselor') throw new ConflictError(`the conversation is ${conv.state}`, 'not_waiting');
    if (conv.counselorId === counselorId || (joinedToo && conv.joined?.includes(counselorId))) return;
    throw new ForbiddenError('this conversation is assigned to someone else', 'not_assigned');
  }
}
