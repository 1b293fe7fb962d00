import { ConflictError, ForbiddenError, errInfo } from '../errors.js';
import type { ChildPresence, ChildPresenceStore, Clock, ConversationStore, Dedupe, EventBus, Log, Observer, QueueStore, ActiveStore, TranscriptStore } from '../ports.js';
import { abandonActions, ackActions, type SafetyAction, type SafetySettings } from '../safety-net.js';
import type { Conversation, StoreEvent, TranscriptEntry } from '../types.js';
import { move, queuePlace } from './actions.js';
import type { Conversations } from './conversations.js';
import type { Exclusive } from './exclusive.js';
import type { Outgoing } from './outbound.js';
import type { Recorder } from './recorder.js';
import { facts } from '../records.js';

export interface SafetyDeps {
  store: ConversationStore & TranscriptStore & QueueStore & ActiveStore & EventBus & Dedupe & ChildPresenceStore;
  conversations: Conversations;
  exclusive: Exclusive;
  outgoing: Outgoing;
  observer: Observer;
  log: Log;
  now: Clock;
  settings: SafetySettings;
  /** Supervisors and admins with a live console now (the safety net's audience). */
  supervisorsOnline: () => Promise<number>;
  maxTextChars: number;
  /** The watch runs this often (and once per period across instances). */
  tickMs: number;
  recorder: Recorder;
}

/** A row of the supervisor's live view: no text, only what says who needs attention. */
export interface LiveChat {
  id: string;
  state: 'queued' | 'with_counselor';
  channel: string;
  risk: Conversation['risk'];
  topic: Conversation['topic'];
  counselorId?: string;
  joined: string[];
  waitingSince?: number;
  lastChildAt?: number;
  lastCounselorAt?: number;
  imminent?: Conversation['imminent'];
  hand?: Conversation['hand'];
  /** null: the channel cannot tell. */
  online: boolean | null;
  lastSeen: number | null;
}

/** A child's presence as the web chat reports it. */
export type PresenceSignal = 'connect' | 'beat' | 'gone';

/**
 * The supervisor safety net: whispers, joining a chat, acknowledging imminent children, a raised
 * hand; and the watch that repeats unacknowledged imminent alerts and lets children who left the
 * queue's page long ago go as "abandoned" (returned to their old place when they come back).
 */
export class SafetyNet {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SafetyAction[]> | null = null;
  private stopped = false;

  constructor(private deps: SafetyDeps) {}

  private get now(): number {
    return this.deps.now();
  }

  /** A private hint to the counselor holding the chat: in the transcript for staff, never delivered to the child. */
  async whisper(id: string, by: string, text: string): Promise<TranscriptEntry> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.state !== 'with_counselor' || !conv.counselorId) throw new ConflictError(`the conversation is ${conv.state}; a whisper needs a counselor in the chat`, 'not_waiting');
      const entry = await this.deps.outgoing.record(conv, { at: this.now, from: 'whisper', text: text.slice(0, this.deps.maxTextChars), by, to: conv.counselorId });
      // A whisper answers a raised hand.
      if (conv.hand) await this.lowerHandLocked(conv, by);
      return entry;
    });
  }

  /** The supervisor writes to the child from now on, as a second counselor; the child is told once. */
  async join(id: string, by: string): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.state !== 'with_counselor') throw new ConflictError(`the conversation is ${conv.state}; only a live chat can be joined`, 'not_waiting');
      if (conv.counselorId === by || conv.joined?.includes(by)) return conv;
      conv.joined = [...(conv.joined ?? []), by];
      conv.hand = undefined;
      conv.updatedAt = this.now;
      await this.deps.store.saveConversation(conv);
      await this.deps.outgoing.record(conv, { at: this.now, from: 'system', text: 'supervisor-joined', by });
      await this.deps.outgoing.say(conv, { type: 'say', message: 'second-counselor-joined' });
      await this.safety(conv, 'join', by);
      return conv;
    });
  }

  /** A supervisor has seen the imminent child and is on it: the repeats stop. */
  async ack(id: string, by: string): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.risk !== 'imminent' || conv.state === 'closed') throw new ConflictError('only an open imminent conversation is acknowledged', 'not_imminent');
      const watch = conv.imminent ?? { since: this.now };
      if (watch.ackAt === undefined) {
        conv.imminent = { ...watch, ackBy: by, ackAt: this.now };
        conv.updatedAt = this.now;
        await this.deps.store.saveConversation(conv);
        await this.deps.outgoing.record(conv, { at: this.now, from: 'system', text: 'imminent-acknowledged', by });
        await this.safety(conv, 'ack', by);
      }
      return conv;
    });
  }

  /** The counselor asks for a supervisor (raised) or no longer needs one. */
  async hand(id: string, by: string, raised: boolean): Promise<Conversation> {
    return this.deps.exclusive.run(id, async () => {
      const conv = await this.deps.conversations.get(id);
      if (conv.state !== 'with_counselor') throw new ConflictError(`the conversation is ${conv.state}`, 'not_waiting');
      if (conv.counselorId !== by) throw new ForbiddenError('only the counselor in the chat can ask for a supervisor here', 'not_assigned');
      if (!raised) {
        if (conv.hand) await this.lowerHandLocked(conv, by);
        return conv;
      }
      if (!conv.hand) {
        conv.hand = { by, at: this.now };
        conv.updatedAt = this.now;
        await this.deps.store.saveConversation(conv);
        await this.deps.outgoing.record(conv, { at: this.now, from: 'system', text: 'hand-raised', by });
        await this.safety(conv, 'hand', by);
      }
      return conv;
    });
  }

  private async lowerHandLocked(conv: Conversation, by: string): Promise<void> {
    conv.hand = undefined;
    conv.updatedAt = this.now;
    await this.deps.store.saveConversation(conv);
    await this.safety(conv, 'hand_lowered', by);
  }

  private safety(conv: Conversation, kind: Extract<StoreEvent, { type: 'safety' }>['kind'], by?: string): Promise<void> {
    return this.deps.store.publish({ type: 'safety', id: conv.id, kind, by, counselorId: conv.counselorId, risk: conv.risk, at: this.now });
  }

  /** The web chat's word on whether a child's page is open. A child who comes back to an abandoned place gets it again. */
  async present(channel: string, chatKey: string, signal: PresenceSignal, ttlMs: number): Promise<void> {
    const id = await this.deps.store.findChat(channel, chatKey);
    if (!id) return;
    if (signal === 'gone') await this.deps.store.childGone(id, this.now);
    else await this.deps.store.childBeat(id, this.now, ttlMs);
    if (signal === 'beat') return;
    const conv = await this.deps.store.getConversation(id);
    if (signal === 'connect' && conv?.abandoned && conv.state === 'bot') {
      await this.deps.exclusive.run(id, async () => this.comeBackLocked(await this.deps.conversations.get(id)));
      return;
    }
    // A waiting child's page opened or closed: the queue cards show it (consoles debounce these).
    if (conv?.state === 'queued') await this.deps.store.publish({ type: 'queue' });
  }

  /**
   * Under the conversation's lock: an abandoned child who is back (a message, the page opened
   * again) returns to the place they left, the same waiting time and band. Returns true if so.
   */
  async comeBackLocked(conv: Conversation): Promise<boolean> {
    const left = conv.abandoned;
    if (!left || conv.state !== 'bot') return false;
    move(conv, 'enqueue', this.now);
    conv.waitingSince = left.waitingSince;
    conv.returned = left.returned;
    conv.abandoned = undefined;
    await this.deps.store.saveConversation(conv);
    await this.deps.store.enqueue(conv.id, queuePlace(conv, this.now));
    await this.deps.outgoing.say(conv, { type: 'say', message: 'queue-returned' });
    await this.deps.outgoing.queueStatus(conv);
    await this.deps.store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
    await this.deps.store.publish({ type: 'queue' });
    return true;
  }

  /** Every chat now: the queue and the live chats, with the child's presence. */
  async live(queueLimit = 200): Promise<LiveChat[]> {
    const { store } = this.deps;
    const [active, queue] = await Promise.all([store.listActive(), store.listQueue()]);
    const ids = [...active, ...queue.slice(0, queueLimit).map((q) => q.id)];
    const convs = (await Promise.all([...new Set(ids)].map((id) => store.getConversation(id)))).filter(
      (c): c is Conversation => !!c && (c.state === 'queued' || c.state === 'with_counselor'),
    );
    const presence = await store.childPresence(convs.map((c) => c.id));
    return convs.map((c) => liveChat(c, presence.get(c.id) ?? null));
  }

  start(): void {
    this.timer = setInterval(() => void this.run().catch(() => undefined), this.deps.tickMs);
    this.timer.unref();
  }

  /**
   * One watch pass at `at` (the core's clock by default; tests pass a later time instead of
   * waiting). Once per tick across instances unless `force`. Returns what it did.
   */
  run(at = this.now, force = false): Promise<SafetyAction[]> {
    if (this.stopped) return Promise.resolve([]);
    this.running ??= (async () => {
      try {
        if (!force && !(await this.deps.store.markOnce('safety-net:run', Math.max(50, this.deps.tickMs / 2)))) return [];
        return await this.pass(at);
      } catch (err) {
        this.deps.log.warn({ err: errInfo(err) }, 'safety net pass failed');
        return [];
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(at: number): Promise<SafetyAction[]> {
    const { store, settings } = this.deps;
    const [active, queue] = await Promise.all([store.listActive(), store.listQueue()]);
    const queued = new Set(queue.map((q) => q.id));
    const convs = (await Promise.all([...new Set([...active, ...queued])].map((id) => store.getConversation(id)))).filter((c): c is Conversation => !!c);
    const imminent = convs.filter((c) => c.risk === 'imminent' && c.imminent && c.imminent.ackAt === undefined);
    const supervisors = imminent.length ? await this.deps.supervisorsOnline() : 0;
    const waiting = convs.filter((c) => c.state === 'queued');
    const presence = await store.childPresence(waiting.map((c) => c.id));
    const actions = [
      ...ackActions(imminent, supervisors, at, settings),
      ...abandonActions(
        waiting.map((c) => ({ id: c.id, presence: presence.get(c.id) ?? null })),
        at,
        settings,
      ),
    ];
    for (const action of actions) {
      try {
        await this.apply(action, at);
      } catch (err) {
        this.deps.log.warn({ err: errInfo(err), action: action.type }, 'safety net action failed');
      }
    }
    return actions;
  }

  private async apply(action: SafetyAction, at: number): Promise<void> {
    const { store, exclusive, observer } = this.deps;
    switch (action.type) {
      case 'repeat_alert':
        return exclusive.run(action.id, async () => {
          const conv = await this.deps.conversations.get(action.id);
          if (!conv.imminent || conv.imminent.ackAt !== undefined || conv.state === 'closed') return;
          conv.imminent = { ...conv.imminent, repeatedAt: at, repeats: (conv.imminent.repeats ?? 0) + 1 };
          await store.saveConversation(conv);
          observer.imminentUnacknowledged();
          await store.publish({ type: 'safety', id: conv.id, kind: 'repeat', counselorId: conv.counselorId, risk: conv.risk, at });
        });
      case 'tell_no_supervisor':
        return store.publish({ type: 'no_supervisor', id: action.id, counselorId: action.counselorId, at });
      case 'abandon':
        return exclusive.run(action.id, async () => {
          const conv = await this.deps.conversations.get(action.id);
          if (conv.state !== 'queued' || !(await store.takeFromQueue(conv.id))) return;
          const waitingSince = conv.waitingSince ?? at;
          move(conv, 'leave_queue', at);
          conv.abandoned = { at, waitingSince, returned: conv.returned === true };
          facts(conv).abandonedAt = at;
          conv.waitingSince = undefined;
          conv.returned = undefined;
          await store.saveConversation(conv);
          observer.queueAbandoned(conv.risk);
          await this.deps.outgoing.record(conv, { at, from: 'system', text: 'queue-abandoned' });
          await store.publish({ type: 'abandoned', id: conv.id, channel: conv.channel, risk: conv.risk, topic: conv.topic, waitingSince, at });
          await store.publish({ type: 'conversation', id: conv.id, state: conv.state, risk: conv.risk });
          await store.publish({ type: 'queue' });
          await this.deps.recorder.push(conv);
        });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

export function liveChat(c: Conversation, p: ChildPresence | null): LiveChat {
  return {
    id: c.id,
    state: c.state as LiveChat['state'],
    channel: c.channel,
    risk: c.risk,
    topic: c.topic,
    counselorId: c.counselorId,
    joined: c.joined ?? [],
    waitingSince: c.waitingSince,
    lastChildAt: c.lastChildAt,
    lastCounselorAt: c.lastCounselorAt,
    imminent: c.imminent,
    hand: c.hand,
    online: p ? p.online : null,
    lastSeen: p?.lastSeen ?? c.lastChildAt ?? null,
  };
}
