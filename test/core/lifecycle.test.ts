import { describe, expect, it } from 'vitest';
import { IllegalTransition, LIFECYCLE_EVENTS, STATES, canTransition, transition } from '../../src/core/lifecycle.js';
import type { ConversationState } from '../../src/core/types.js';

// The whole table, written out: every state × every event. undefined = refused.
const expected: Record<ConversationState, Record<string, ConversationState | undefined>> = {
  bot: { enqueue: 'queued', leave_queue: undefined, claim: undefined, release: undefined, transfer: undefined, close: 'closed' },
  queued: { enqueue: undefined, leave_queue: 'bot', claim: 'with_counselor', release: undefined, transfer: undefined, close: 'closed' },
  with_counselor: { enqueue: undefined, leave_queue: undefined, claim: undefined, release: 'queued', transfer: 'with_counselor', close: 'closed' },
  closed: { enqueue: undefined, leave_queue: undefined, claim: undefined, release: undefined, transfer: undefined, close: undefined },
};

describe('conversation lifecycle', () => {
  for (const state of STATES) {
    for (const event of LIFECYCLE_EVENTS) {
      const to = expected[state][event];
      it(`${state} + ${event} → ${to ?? 'refused'}`, () => {
        expect(canTransition(state, event)).toBe(to !== undefined);
        if (to) expect(transition(state, event)).toBe(to);
        else expect(() => transition(state, event)).toThrow(IllegalTransition);
      });
    }
  }

  it('names the state and event in the refusal', () => {
    expect(() => transition('closed', 'claim')).toThrow('cannot claim a conversation that is closed');
  });
});
