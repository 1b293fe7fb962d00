import { ConflictError } from './errors.js';
import type { ConversationState } from './types.js';

export type LifecycleEvent = 'enqueue' | 'leave_queue' | 'claim' | 'release' | 'transfer' | 'close';

export const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = ['enqueue', 'leave_queue', 'claim', 'release', 'transfer', 'close'];
export const STATES: readonly ConversationState[] = ['bot', 'queued', 'with_counselor', 'closed'];

/** The only legal moves; anything else is refused with IllegalTransition. */
const TABLE: Record<ConversationState, Partial<Record<LifecycleEvent, ConversationState>>> = {
  bot: { enqueue: 'queued', close: 'closed' },
  queued: { leave_queue: 'bot', claim: 'with_counselor', close: 'closed' },
  with_counselor: { release: 'queued', transfer: 'with_counselor', close: 'closed' },
  closed: {},
};

/** A move the lifecycle does not allow: a conflict with the conversation's state (409). */
export class IllegalTransition extends ConflictError {
  constructor(
    readonly from: ConversationState,
    readonly event: LifecycleEvent,
  ) {
    super(`cannot ${event} a conversation that is ${from}`, 'illegal_transition');
    this.name = 'IllegalTransition';
  }
}

export function canTransition(from: ConversationState, event: LifecycleEvent): boolean {
  return TABLE[from][event] !== undefined;
}

export function transition(from: ConversationState, event: LifecycleEvent): ConversationState {
  const to = TABLE[from][event];
  if (!to) throw new IllegalTransition(from, event);
  return to;
}
