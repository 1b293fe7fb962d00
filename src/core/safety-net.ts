// The supervisor safety net as pure decisions: given what is true now, what must happen. The use
// cases (use-cases/safety-watch.ts, counselor.ts) carry the actions out; these functions do no I/O
// and are tested exhaustively in test/core/safety-net.test.ts.
import type { ChildPresence } from './ports.js';
import { isEscalation, type Risk } from './taxonomy.js';
import type { Conversation } from './types.js';

export interface SafetySettings {
  /** An imminent conversation unacknowledged this long alerts every supervisor again (IMMINENT_ACK_SECONDS). */
  ackMs: number;
  /** A waiting child offline this long leaves the queue as abandoned (QUEUE_ABANDON_MINUTES). */
  abandonMs: number;
}

export type SafetyAction =
  /** Repeat the imminent alert to every supervisor and admin online (and count it). */
  | { type: 'repeat_alert'; id: string }
  /** Nobody can acknowledge: tell the counselor holding the chat. */
  | { type: 'tell_no_supervisor'; id: string; counselorId: string }
  /** The child has been gone too long: out of the queue, their place remembered. */
  | { type: 'abandon'; id: string };

export type WatchedChat = Pick<Conversation, 'id' | 'state' | 'risk' | 'counselorId' | 'imminent'>;

/**
 * Imminent conversations nobody acknowledged: once IMMINENT_ACK_SECONDS have passed since it
 * became imminent (or since the last repeat), the alert repeats; with no supervisor online the
 * counselor holding it is told instead of supervisors who are not there.
 */
export function ackActions(chats: WatchedChat[], supervisorsOnline: number, now: number, s: SafetySettings): SafetyAction[] {
  const out: SafetyAction[] = [];
  for (const c of chats) {
    if (c.state === 'closed' || c.risk !== 'imminent' || !c.imminent || c.imminent.ackAt !== undefined) continue;
    const from = c.imminent.repeatedAt ?? c.imminent.since;
    if (now - from < s.ackMs) continue;
    out.push({ type: 'repeat_alert', id: c.id });
    if (supervisorsOnline === 0 && c.state === 'with_counselor' && c.counselorId) out.push({ type: 'tell_no_supervisor', id: c.id, counselorId: c.counselorId });
  }
  return out;
}

export interface WaitingChild {
  id: string;
  /** null: the channel cannot tell whether the child is there (messengers deliver later anyway). */
  presence: ChildPresence | null;
}

/**
 * Waiting children whose page has been closed longer than QUEUE_ABANDON_MINUTES. Only channels
 * that know presence (the web chat) can abandon: a messenger child gets the counselor's answer
 * whenever they look, so they keep their place.
 */
export function abandonActions(waiting: WaitingChild[], now: number, s: SafetySettings): SafetyAction[] {
  const out: SafetyAction[] = [];
  for (const w of waiting) {
    const p = w.presence;
    if (!p || p.online || p.lastSeen === null) continue;
    if (now - p.lastSeen >= s.abandonMs) out.push({ type: 'abandon', id: w.id });
  }
  return out;
}

/** A claim (or a transfer to a counselor) within COUNSELOR_MAX_CHATS. */
export function withinCapacity(holding: number, max: number): boolean {
  return holding < max;
}

/** After a high or imminent chat the counselor is offered a short pause (they may skip it). */
export function cooldownAfter(risk: Risk): boolean {
  return isEscalation(risk);
}

/** A conversation that just became imminent starts its acknowledgement clock; risk never goes down, so it stays. */
export function imminentStart(conv: Pick<Conversation, 'risk' | 'imminent'>, now: number): Conversation['imminent'] {
  if (conv.risk !== 'imminent') return conv.imminent;
  return conv.imminent ?? { since: now };
}
