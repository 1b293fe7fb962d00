// The pre-queue questions and the 'no one on shift' answer in the pure policy.
import { describe, expect, it } from 'vitest';
import { decodeButton } from '../../src/core/buttons.js';
import { ABOUT_BUTTONS, AGE_BUTTONS, policy, type Action } from '../../src/core/policy.js';
import type { ServiceState } from '../../src/core/ports.js';
import type { Risk } from '../../src/core/taxonomy.js';
import type { Conversation, ConversationMeta, TriageResult } from '../../src/core/types.js';

const open: ServiceState = { countersAvailable: 2, open: true };
const closed: ServiceState = { countersAvailable: 0, open: false };

function conv(meta: ConversationMeta = {}, risk: Risk = 'none', state: Conversation['state'] = 'bot'): Conversation {
  return { id: 'c', channel: 'webchat', chatKey: 'k', locale: 'ru', state, risk, topic: 'other', createdAt: 0, updatedAt: 0, meta };
}
function triage(risk: Risk, topic: TriageResult['topic'] = 'other'): TriageResult {
  return { intent: 'x', topic, risk, confidence: 0.9, reasons: [] };
}
const types = (actions: Action[]) => actions.map((a) => a.type);
const said = (actions: Action[]) => actions.flatMap((a) => (a.type === 'say' ? [a.message] : []));

describe('pre-queue questions, asked while waiting (issue 13, item 3)', () => {
  it('queues at once, then asks the age group, then about whom, then thanks', () => {
    const ask = policy({ type: 'button', value: decodeButton('action:counselor') }, conv(), open);
    expect(types(ask)).toEqual(['enqueue', 'say', 'queue_status', 'set_pending', 'say']);
    expect(ask[0]).toEqual({ type: 'enqueue', risk: 'low' });
    expect(said(ask)).toEqual(['queued', 'prequeue-age']);
    expect(ask.slice(-2)).toEqual([{ type: 'set_pending', pending: 'pre_age' }, { type: 'say', message: 'prequeue-age', buttons: AGE_BUTTONS }]);
    expect(AGE_BUTTONS.map((b) => b.value)).toContainEqual(decodeButton('pre_age:skip'));

    const about = policy({ type: 'button', value: decodeButton('pre_age:14_17') }, conv({ pending: 'pre_age' }, 'low', 'queued'), open);
    expect(about).toEqual([
      { type: 'set_meta', key: 'ageGroup', value: '14_17' },
      { type: 'set_pending', pending: 'pre_about' },
      { type: 'say', message: 'prequeue-about', buttons: ABOUT_BUTTONS },
    ]);

    const done = policy({ type: 'button', value: decodeButton('pre_about:other') }, conv({ pending: 'pre_about', ageGroup: '14_17' }, 'low', 'queued'), open);
    expect(done).toEqual([
      { type: 'set_meta', key: 'about', value: 'other' },
      { type: 'set_pending', pending: undefined },
      { type: 'say', message: 'prequeue-thanks' },
    ]);
  });

  it('accepts skip, and turns an unknown answer into skip', () => {
    const waiting = (meta: ConversationMeta) => conv(meta, 'low', 'queued');
    expect(policy({ type: 'button', value: decodeButton('pre_age:skip') }, waiting({ pending: 'pre_age' }), open)[0]).toEqual({ type: 'set_meta', key: 'ageGroup', value: 'skip' });
    expect(policy({ type: 'button', value: decodeButton('pre_age:99') }, waiting({ pending: 'pre_age' }), open)[0]).toEqual({ type: 'set_meta', key: 'ageGroup', value: 'skip' });
    expect(policy({ type: 'button', value: decodeButton('pre_about:me') }, waiting({ pending: 'pre_about', ageGroup: 'skip' }), open)[0]).toEqual({
      type: 'set_meta',
      key: 'about',
      value: 'skip',
    });
  });

  it('does not ask again once answered', () => {
    const actions = policy({ type: 'command', name: 'counselor' }, conv({ ageGroup: '10_13', about: 'self' }), open);
    expect(types(actions)).toContain('enqueue');
    expect(said(actions)).not.toContain('prequeue-age');
  });

  it('takes a typed message instead of a button as skipping the remaining questions, silently (the words are for the counselor)', () => {
    const actions = policy({ type: 'text', triage: triage('low', 'family'), first: false }, conv({ pending: 'pre_about', ageGroup: '10_13' }, 'low', 'queued'), open);
    expect(actions).toEqual([
      { type: 'set_meta', key: 'about', value: 'skip' },
      { type: 'set_pending', pending: undefined },
    ]);
  });

  it('never asks at high or imminent risk: straight into the queue with an alert', () => {
    for (const risk of ['high', 'imminent'] as const) {
      const viaButton = policy({ type: 'button', value: decodeButton('action:counselor') }, conv({}, risk), open);
      expect(said(viaButton)).not.toContain('prequeue-age');
      expect(viaButton).toContainEqual({ type: 'enqueue', risk });
      expect(viaButton).toContainEqual({ type: 'alert', risk });

      // A crisis message while a question is pending moves the child up, and clears the question.
      const viaText = policy({ type: 'text', triage: triage(risk, 'suicide'), first: false }, conv({ pending: 'pre_age' }, 'low', 'queued'), open);
      expect(viaText).toContainEqual({ type: 'enqueue', risk });
      expect(viaText).toContainEqual({ type: 'set_pending', pending: undefined });
      expect(said(viaText)).not.toContain('prequeue-about');
    }
    const crisisButton = policy({ type: 'button', value: decodeButton('action:crisis') }, conv(), open);
    expect(said(crisisButton)).not.toContain('prequeue-age');
    expect(types(crisisButton)).toContain('enqueue');
  });

  it('ignores late answers once a counselor has the chat, or outside the queue', () => {
    expect(policy({ type: 'button', value: decodeButton('pre_age:10_13') }, conv({}, 'low', 'bot'), open)).toEqual([]);
    expect(policy({ type: 'button', value: decodeButton('pre_about:self') }, conv({}, 'low', 'with_counselor'), open)).toEqual([]);
  });
});

describe('no one on shift', () => {
  it('queues the child with an honest message and the numbers (the message waits for a counselor)', () => {
    const actions = policy({ type: 'button', value: decodeButton('action:counselor') }, conv({ ageGroup: '10_13', about: 'self' }), closed);
    expect(types(actions)).toContain('enqueue');
    expect(said(actions)).toEqual(['queued', 'chat-closed']);
    const crisis = policy({ type: 'text', triage: triage('high', 'suicide'), first: true }, conv(), { countersAvailable: 0, open: true });
    expect(said(crisis)).toContain('no-counselors');
    expect(types(crisis)).toContain('enqueue');
  });

  it('says nothing of the kind when counselors are on shift', () => {
    const actions = policy({ type: 'button', value: decodeButton('action:counselor') }, conv({ ageGroup: '10_13', about: 'self' }), open);
    expect(said(actions)).toEqual(['queued']);
  });
});

describe('feedback after closing', () => {
  it('thanks a child who answers the feedback question', () => {
    expect(policy({ type: 'button', value: decodeButton('feedback:helped') }, conv(), open)).toEqual([{ type: 'say', message: 'feedback-thanks' }]);
  });
});
