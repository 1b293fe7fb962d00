import { transition, type LifecycleEvent } from '../lifecycle.js';
import type { Action } from '../policy.js';
import type { Clock, ContentSource, EventBus, Observer, QueueStore, ConversationStore, RateCounter } from '../ports.js';
import { imminentStart } from '../safety-net.js';
import { maxRisk, riskRank } from '../taxonomy.js';
import type { Conversation } from '../types.js';
import type { Outgoing } from './outbound.js';
import type { Recorder } from './recorder.js';
import { facts } from '../records.js';

export interface ActionDeps {
  store: ConversationStore & QueueStore & EventBus & RateCounter;
  outgoing: Outgoing;
  content: ContentSource;
  observer: Observer;
  now: Clock;
  /** Closing is the counselor use case's; the child may end a live chat too (/stop). */
  close: (conv: Conversation, by: string) => Promise<void>;
  /** The contact record follows the queue: entering it, and leaving it before a counselor came. */
  recorder: Recorder;
}

export function move(conv: Conversation, event: LifecycleEvent, now: number): void {
  conv.state = transition(conv.state, event);
  conv.updatedAt = now;
}

/** What a queue entry says about a conversation: its risk, when this wait began, whether it came back. */
export function queuePlace(conv: Conversation, now: number) {
  return { risk: conv.risk, waitingSince: conv.waitingSince ?? now, returned: conv.returned === true, flood: conv.flood === true };
}

const snapshot = (conv: Conversation) => JSON.stringify(conv);

/**
 * Carries out policy's actions in order, under the conversation's lock. What to save and
 * publish is derived from what changed, not tracked by flags: the conversation is saved when it
 * differs from before, and consoles hear of it when its state or queue place changed.
 */
export class ActionRunner {
  constructor(private deps: ActionDeps) {}

  /** forceSave: the caller changed the conversation before (the child's last message time). */
  async run(conv: Conversation, actions: Action[], forceSave = false): Promise<void> {
    const card = (c: Conversation) => `${c.meta.ageGroup}|${c.meta.about}`;
    const before = { json: snapshot(conv), state: conv.state, risk: conv.risk, card: card(conv) };
    let saved = before.json;
    let closed = false;
    for (const action of actions) {
      if (action.type === 'close') {
        await this.deps.close(conv, 'child');
        closed = true;
        saved = snapshot(conv);
        continue;
      }
      if (action.type === 'enqueue' || action.type === 'leave_queue') {
        // The queue must never hold a conversation the store does not say is queued: save first.
        if (await this.queue(conv, action)) saved = snapshot(conv);
        continue;
      }
      await this.apply(conv, action);
    }
    // The safety net's clock for a supervisor's acknowledgement starts when the chat becomes imminent.
    conv.imminent = imminentStart(conv, this.deps.now());
    if (forceSave || snapshot(conv) !== saved) {
      conv.updatedAt = this.deps.now();
      await this.deps.store.saveConversation(conv);
    }
    const moved = conv.state !== before.state;
    const rose = conv.risk !== before.risk;
    // A rise in a live chat updates the counselor's and supervisors' view of it (the queue did not change).
    if (!closed && (moved || (rose && conv.state !== 'bot'))) await this.deps.store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
    // A pre-survey answer while waiting shows on the queue card at once.
    const answered = card(conv) !== before.card;
    if (!closed && (moved || (conv.state === 'queued' && (rose || answered)))) await this.deps.store.publish({ type: 'queue' });
  }

  private async apply(conv: Conversation, action: Exclude<Action, { type: 'close' | 'enqueue' | 'leave_queue' }>): Promise<void> {
    const { outgoing, store } = this.deps;
    switch (action.type) {
      case 'say':
      case 'step':
        return outgoing.say(conv, action);
      case 'set_risk': {
        // The conversation keeps its most serious subject: only a strictly higher risk renames it
        // (a suicide chat became "уход из дома" when the child then said she had left home).
        // Each message keeps its own reading in the transcript.
        const rises = riskRank(action.risk) > riskRank(conv.risk);
        conv.risk = maxRisk(conv.risk, action.risk);
        if (action.topic && action.topic !== 'other' && (rises || conv.topic === 'other')) conv.topic = action.topic;
        else if (action.topic === 'other' && conv.topic === 'other') conv.topic = action.topic;
        return;
      }
      case 'set_pending':
        conv.meta.pending = action.pending;
        return;
      case 'set_meta':
        Object.assign(conv.meta, { [action.key]: action.value });
        return;
      case 'mark':
        conv.meta[action.flag] = true;
        return;
      case 'set_locale':
        if (this.deps.content().i18n.has(action.locale)) conv.locale = action.locale;
        return;
      case 'alert':
        // Possible-flood chats raise one alert a minute between them, marked as such.
        if (conv.flood && (await store.countHit('alert:flood', 60_000).catch(() => 1)) > 1) return;
        return store.publish({
          type: 'alert',
          id: conv.id,
          risk: action.risk,
          topic: conv.topic,
          ...(conv.flood ? { flood: true } : {}),
          // In a live chat: whose chat it is, so that counselor's console knows the alert is theirs.
          ...(conv.state === 'with_counselor' && conv.counselorId ? { counselorId: conv.counselorId } : {}),
        });
      case 'queue_status':
        return outgoing.queueStatus(conv);
    }
  }

  /** Returns true when it saved the conversation. */
  private async queue(conv: Conversation, action: Extract<Action, { type: 'enqueue' | 'leave_queue' }>): Promise<boolean> {
    const { store, now, observer } = this.deps;
    if (action.type === 'enqueue') {
      const risk = maxRisk(conv.risk, action.risk);
      if (conv.state === 'bot') {
        move(conv, 'enqueue', now());
        conv.waitingSince = now();
        conv.returned = false;
        facts(conv).queuedAt ??= now();
        observer.handoff(risk);
      }
      if (conv.state !== 'queued') return false;
      conv.risk = risk;
      await store.saveConversation(conv);
      await store.enqueue(conv.id, queuePlace(conv, now()));
      await this.deps.recorder.push(conv);
      return true;
    }
    if (conv.state !== 'queued' || !(await store.takeFromQueue(conv.id))) return false;
    observer.abandoned(conv.risk);
    move(conv, 'leave_queue', now());
    // Left before a counselor came: abandoned, as the reports count it.
    if (!conv.handled) facts(conv).abandonedAt = now();
    conv.waitingSince = undefined;
    conv.returned = undefined;
    await this.deps.recorder.push(conv);
    return false;
  }
}
