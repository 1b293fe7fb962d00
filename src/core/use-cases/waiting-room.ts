import { errInfo } from '../errors.js';
import { LEAVE_BUTTONS } from '../policy.js';
import type { ActiveStore, Clock, ConversationStore, Dedupe, EventBus, Log, QueueStore, ServiceState, WaitingNote, WaitingRoomStore } from '../ports.js';
import type { CounselorActions } from './counselor.js';
import type { Outgoing } from './outbound.js';
import type { Presence } from './presence.js';

/** In turn while counselors are on shift: reassurance, a short breathing exercise, the numbers. */
const ROTATION = ['waiting-still', 'waiting-breathing', 'waiting-reassure'] as const;
/** A child waiting an hour is not sent twenty messages. */
const MAX_MESSAGES = 8;

export interface WaitingRoomOptions {
  store: ConversationStore & QueueStore & ActiveStore & Dedupe & EventBus & WaitingRoomStore;
  counselor: CounselorActions;
  outgoing: Outgoing;
  presence: Presence;
  service: () => Promise<ServiceState>;
  log: Log;
  now: Clock;
  /** A waiting message this often. */
  messageEveryMs: number;
  /**
   * Position updates at most this often per child (messengers show each as a message): every
   * change in the queue (a child ahead leaves, a riskier one goes ahead) reaches each waiting child,
   * the newest place at most once per period.
   */
  statusEveryMs: number;
  tickMs: number;
}

/**
 * Looks after children in the queue and chats whose counselor vanished. Runs on a timer and soon
 * after queue changes; with several instances one run per tick happens (markOnce in the store).
 */
export class WaitingRoom {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private opts: WaitingRoomOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.opts.tickMs);
    this.timer.unref();
    this.unsubscribe = this.opts.store.subscribe((e) => {
      if (e.type === 'queue') this.schedule();
    });
  }

  private schedule(delayMs = Math.min(500, this.opts.tickMs)): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.run();
    }, delayMs);
    this.soon.unref();
  }

  /** One pass; `force` skips the once-per-tick guard shared by instances. Never throws. */
  run(force = false): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= (async () => {
      try {
        if (!force && !(await this.opts.store.markOnce('waiting-room:run', Math.max(50, this.opts.tickMs / 2)))) return;
        await this.releaseVanished();
        await this.tellWaiting();
      } catch (err) {
        this.opts.log.warn({ err: errInfo(err) }, 'waiting room pass failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Chats of counselors with no console heartbeat for the grace period go back to the head of the queue. */
  private async releaseVanished(): Promise<void> {
    const { store, presence, counselor } = this.opts;
    for (const id of await store.listActive()) {
      const conv = await store.getConversation(id);
      if (!conv || conv.state !== 'with_counselor' || !conv.counselorId) {
        await store.setActive(id, false);
        continue;
      }
      if (await presence.isConnected(conv.counselorId)) continue;
      try {
        await counselor.release(id, 'the counselor lost connection', 'disconnect');
        this.opts.log.info({ counselor: conv.counselorId }, 'counselor vanished; conversation returned to the queue');
      } catch (err) {
        // Claimed, closed or released meanwhile (maybe by another instance): nothing to do.
        this.opts.log.debug({ err: errInfo(err) }, 'release skipped');
      }
    }
  }

  /** Position updates and, every few minutes, a waiting message. */
  private async tellWaiting(): Promise<void> {
    const { store, counselor, outgoing } = this.opts;
    const queue = await store.listQueue();
    const notes = await store.waitingNotes();
    const now = this.opts.now();
    const queued = new Set(queue.map((q) => q.id));
    for (const id of Object.keys(notes)) if (!queued.has(id)) await store.deleteWaitingNote(id);
    if (!queue.length) return;
    const service = await this.opts.service();
    const staffed = service.open && service.countersAvailable > 0;
    /** The earliest moment a change held back by the throttle may be told. */
    let heldUntil = Infinity;

    for (const item of queue) {
      const known = Object.hasOwn(notes, item.id) ? notes[item.id]! : null;
      // First seen: the policy told the child where they were when they joined (being next is worth
      // saying twice); a chat returned to the queue has not been told.
      const told = item.returned || item.position === 1 ? 0 : item.position;
      const w: WaitingNote = known ?? { pos: told, statusAt: Math.min(now, item.waitingSince), sent: 0, lastAt: item.returned ? now : item.waitingSince };
      let changed = !known;
      try {
        const due = w.statusAt + this.opts.statusEveryMs;
        // Never told: at once. Otherwise the newest place, at most once per period.
        if (w.pos !== item.position && w.pos !== 0 && now < due) heldUntil = Math.min(heldUntil, due);
        else if (w.pos !== item.position) {
          const conv = await store.getConversation(item.id);
          if (conv?.state === 'queued') await outgoing.queueStatus(conv);
          w.pos = item.position;
          w.statusAt = now;
          changed = true;
        }
        if (now - w.lastAt >= this.opts.messageEveryMs && w.sent < MAX_MESSAGES) {
          if (!staffed) {
            // Honest, once per wait: nobody is on shift; the message is kept for later.
            if (!w.offlineTold) await counselor.botSay(item.id, { type: 'say', message: 'waiting-offline', buttons: LEAVE_BUTTONS }, ['queued']);
            w.offlineTold = true;
          } else {
            await counselor.botSay(item.id, { type: 'say', message: ROTATION[w.sent % ROTATION.length]!, buttons: LEAVE_BUTTONS }, ['queued']);
            w.sent++;
          }
          w.lastAt = now;
          changed = true;
        }
      } catch (err) {
        this.opts.log.warn({ err: errInfo(err) }, 'waiting message failed');
      }
      if (changed) await store.setWaitingNote(item.id, w);
    }
    // A held-back change is told when its period ends, not at some later tick.
    if (heldUntil !== Infinity) this.schedule(Math.max(50, heldUntil - now));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }
}
