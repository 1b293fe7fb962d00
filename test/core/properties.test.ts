import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABOUT, AGE_GROUPS, BUTTON_ACTIONS, FEEDBACK_VALUES, SAFETY_ANSWERS, decodeButton, encodeButton, type ButtonValue } from '../../src/core/buttons.js';
import { LIFECYCLE_EVENTS, STATES, IllegalTransition, canTransition, transition } from '../../src/core/lifecycle.js';
import { policy, type PolicyEvent } from '../../src/core/policy.js';
import { RISKS, TOPICS, riskRank } from '../../src/core/taxonomy.js';
import type { Conversation, ConversationState } from '../../src/core/types.js';
import { normalizeText } from '../../src/core/text.js';
import { compilePhrase, Lexicon } from '../../src/content/lexicon.js';

const risk = fc.constantFrom(...RISKS);
const topic = fc.constantFrom(...TOPICS);
const state = fc.constantFrom<ConversationState>('bot', 'queued', 'with_counselor');

const conversation = fc.record({
  state,
  risk,
  topic,
  pending: fc.option(fc.constantFrom('safety' as const, 'pre_age' as const, 'pre_about' as const), { nil: undefined }),
  safetyAsked: fc.boolean(),
  clarified: fc.boolean(),
}).map(
  (r): Conversation => ({
    id: 'c',
    channel: 'webchat',
    chatKey: 'k',
    locale: 'ru',
    state: r.state,
    risk: r.risk,
    topic: r.topic,
    createdAt: 0,
    updatedAt: 0,
    meta: { pending: r.pending, safetyAsked: r.safetyAsked, clarified: r.clarified },
  }),
);

/** Every kind of button the bot offers, from the one typed union (and what a forged string decodes to). */
const buttonValue: fc.Arbitrary<ButtonValue> = fc.oneof(
  fc.record({ kind: fc.constant('safety' as const), answer: fc.constantFrom(...SAFETY_ANSWERS) }),
  fc.record({ kind: fc.constant('pre_age' as const), group: fc.constantFrom(...AGE_GROUPS, 'skip' as const) }),
  fc.record({ kind: fc.constant('pre_about' as const), about: fc.constantFrom(...ABOUT, 'skip' as const) }),
  fc.record({ kind: fc.constant('feedback' as const), value: fc.constantFrom(...FEEDBACK_VALUES) }),
  fc.record({ kind: fc.constant('goto' as const), step: fc.constantFrom('menu', 'selfhelp_menu', 'about', 'no_such_step') }),
  fc.record({ kind: fc.constant('lang' as const), locale: fc.constantFrom('ru', 'en', 'xx') }),
  fc.record({ kind: fc.constant('action' as const), action: fc.constantFrom(...BUTTON_ACTIONS) }),
);

const event: fc.Arbitrary<PolicyEvent> = fc.oneof(
  fc.record({
    type: fc.constant('text' as const),
    first: fc.boolean(),
    answer: fc.option(fc.constantFrom('yes' as const, 'no' as const, 'unknown' as const), { nil: undefined }),
    triage: fc.record({
      intent: fc.string(),
      topic,
      risk,
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      reasons: fc.array(fc.string(), { maxLength: 3 }),
      script: fc.option(fc.constantFrom('menu', 'selfhelp_school', 'safety_question', 'crisis_high'), { nil: undefined }),
      safetyCheck: fc.boolean(),
    }),
  }),
  fc.record({ type: fc.constant('button' as const), value: fc.oneof(fc.string().map(decodeButton), buttonValue) }),
  fc.record({ type: fc.constant('media' as const), media: fc.string() }),
  fc.record({ type: fc.constant('command' as const), name: fc.oneof(fc.string(), fc.constantFrom('start', 'help', 'stop', 'lang')) }),
);
const service = fc.record({ countersAvailable: fc.nat(5), open: fc.boolean() });

describe('policy properties', () => {
  it('never lowers risk, never queues from a counselor chat, never throws', () => {
    fc.assert(
      fc.property(event, conversation, service, (e, c, s) => {
        const actions = policy(e, c, s);
        for (const a of actions) {
          if (a.type === 'set_risk' || a.type === 'enqueue') expect(riskRank(a.risk)).toBeGreaterThanOrEqual(riskRank(c.risk));
          if (c.state === 'with_counselor') expect(a.type).not.toBe('enqueue');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a high or imminent text in the bot phase is always handed off with an alert', () => {
    fc.assert(
      fc.property(event.filter((e) => e.type === 'text'), conversation.filter((c) => c.state === 'bot'), service, (e, c, s) => {
        if (e.type !== 'text') return;
        const effective = riskRank(e.triage.risk) > riskRank(c.risk) ? e.triage.risk : c.risk;
        if (riskRank(effective) < riskRank('high')) return;
        const actions = policy(e, c, s);
        expect(actions.some((a) => a.type === 'enqueue')).toBe(true);
        expect(actions.some((a) => a.type === 'alert')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('button properties', () => {
  it('every button value survives its wire form, and any string decodes to a known button or null', () => {
    fc.assert(
      fc.property(buttonValue, (v) => {
        expect(decodeButton(encodeButton(v))).toEqual(v);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const v = decodeButton(s);
        if (v !== null) expect(decodeButton(encodeButton(v))).toEqual(v);
      }),
    );
  });
});

describe('lifecycle properties', () => {
  it('any sequence of events either moves along the table or is refused with IllegalTransition', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.array(fc.constantFrom(...LIFECYCLE_EVENTS), { maxLength: 30 }), (start, events) => {
        let s = start;
        for (const e of events) {
          if (canTransition(s, e)) s = transition(s, e);
          else expect(() => transition(s, e)).toThrow(IllegalTransition);
        }
        expect(STATES).toContain(s);
      }),
    );
  });
  it('closed is final', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LIFECYCLE_EVENTS), (e) => {
        expect(canTransition('closed', e)).toBe(false);
      }),
    );
  });
});

describe('content parsing properties', () => {
  it('normalisation is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (t) => {
        const n = normalizeText(t);
        expect(normalizeText(n)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });
  it('a lexicon phrase always matches itself and matching never throws on any text', () => {
    const word = fc.stringMatching(/^[а-яa-z]{2,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 300 }), (ws, noise) => {
        const phrase = ws.join(' ');
        const lex = new Lexicon([{ phrase, lang: 'ru', intent: 'x', risk: 'high', parts: compilePhrase(phrase) }]);
        expect(lex.match(`${noise} ${phrase} ${noise}`).length).toBeGreaterThan(0);
        lex.match(noise);
      }),
      { numRuns: 1000 },
    );
  });
});
