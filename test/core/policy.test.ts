import { describe, expect, it } from 'vitest';
import { decodeButton, encodeButton } from '../../src/core/buttons.js';
import { GREETING, policy, type Action, type PolicyEvent } from '../../src/core/policy.js';
import type { ServiceState } from '../../src/core/ports.js';
import { RISKS, riskRank, type Risk, type Topic } from '../../src/core/taxonomy.js';
import type { Conversation, ConversationState, TriageResult } from '../../src/core/types.js';

const open: ServiceState = { countersAvailable: 2, open: true };
const nobody: ServiceState = { countersAvailable: 0, open: true };

function conv(state: ConversationState = 'bot', risk: Risk = 'none', meta: Conversation['meta'] = {}): Conversation {
  return { id: 'c', channel: 'webchat', chatKey: 'k', locale: 'ru', state, risk, topic: 'other', createdAt: 0, updatedAt: 0, meta };
}

function tri(risk: Risk, topic: Topic = 'other', over: Partial<TriageResult> = {}): TriageResult {
  return { intent: `${topic}_${risk}`, topic, risk, confidence: 0.9, reasons: [], script: topic === 'other' ? undefined : `selfhelp_${topic}`, ...over };
}

const text = (t: TriageResult, first = false): PolicyEvent => ({ type: 'text', triage: t, first });
const types = (actions: Action[]) => actions.map((a) => a.type);
const has = (actions: Action[], pred: (a: Action) => boolean) => actions.some(pred);
const enqueuedAt = (actions: Action[]) => actions.find((a): a is Extract<Action, { type: 'enqueue' }> => a.type === 'enqueue')?.risk;

describe('policy: text in the bot phase', () => {
  it('imminent: emergency numbers first, then queue at imminent with an alert', () => {
    const a = policy(text(tri('imminent', 'suicide')), conv(), open);
    const stepIdx = a.findIndex((x) => x.type === 'step' && x.step === 'crisis_imminent');
    const enqIdx = a.findIndex((x) => x.type === 'enqueue');
    expect(stepIdx).toBeGreaterThanOrEqual(0);
    expect(enqIdx).toBeGreaterThan(stepIdx);
    expect(enqueuedAt(a)).toBe('imminent');
    expect(has(a, (x) => x.type === 'alert' && x.risk === 'imminent')).toBe(true);
    expect(has(a, (x) => x.type === 'queue_status')).toBe(true);
  });

  it('high: the crisis message and the queue at high', () => {
    const a = policy(text(tri('high', 'violence')), conv(), open);
    expect(has(a, (x) => x.type === 'step' && x.step === 'crisis_high')).toBe(true);
    expect(enqueuedAt(a)).toBe('high');
    expect(has(a, (x) => x.type === 'set_risk' && x.risk === 'high' && x.topic === 'violence')).toBe(true);
  });

  it('tells the child honestly when no counselor is on shift, and still queues', () => {
    const a = policy(text(tri('high', 'suicide')), conv(), nobody);
    expect(has(a, (x) => x.type === 'say' && x.message === 'no-counselors')).toBe(true);
    expect(enqueuedAt(a)).toBe('high');
    // Closed hours (issue 13, item 4): said so, with the next opening; the crisis answer comes first.
    const closed = policy(text(tri('high', 'suicide')), conv(), { countersAvailable: 3, open: false, next: { day: 'tomorrow', time: '9:00' } });
    expect(closed).toContainEqual({ type: 'say', message: 'chat-closed', args: { day: 'tomorrow', time: '9:00', channel: 'webchat' } });
    // Closed: the crisis answer without "a counselor will write soon", then the hours.
    expect(closed.findIndex((x) => x.type === 'say' && x.message === 'crisis-high-closed')).toBeLessThan(closed.findIndex((x) => x.type === 'say' && x.message === 'chat-closed'));
    expect(has(closed, (x) => x.type === 'step' && x.step === 'crisis_high')).toBe(false);
    expect(has(closed, (x) => x.type === 'say' && x.message === 'no-counselors')).toBe(false);
    expect(has(policy(text(tri('high', 'suicide')), conv(), open), (x) => x.type === 'say' && x.message === 'no-counselors')).toBe(false);
  });

  it('medium and low: the intent script, no queue', () => {
    for (const r of ['low', 'medium'] as Risk[]) {
      const a = policy(text(tri(r, 'school')), conv(), open);
      expect(a).toContainEqual({ type: 'step', step: 'selfhelp_school' });
      expect(enqueuedAt(a)).toBeUndefined();
    }
  });

  it('distress without a clear level: asks the safety question once, with yes / no / don\'t know', () => {
    const t = tri('medium', 'emotions', { safetyCheck: true, script: 'safety_question' });
    const a = policy(text(t), conv(), open);
    const say = a.find((x) => x.type === 'say');
    expect(say).toMatchObject({ message: 'safety-question' });
    expect((say as Extract<Action, { type: 'say' }>).buttons!.map((b) => encodeButton(b.value))).toEqual(['safety:yes', 'safety:no', 'safety:unknown']);
    expect(a).toContainEqual({ type: 'set_pending', pending: 'safety' });
    expect(a).toContainEqual({ type: 'mark', flag: 'safetyAsked' });
    const again = policy(text(t), conv('bot', 'medium', { safetyAsked: true }), open);
    expect(again).toContainEqual({ type: 'step', step: 'selfhelp_distress' });
    expect(has(again, (x) => x.type === 'say' && x.message === 'safety-question')).toBe(false);
  });

  it('the safety answer sets the risk: yes and don\'t know go to the queue at high', () => {
    const pending = conv('bot', 'medium', { pending: 'safety', safetyAsked: true });
    for (const v of ['safety:yes', 'safety:unknown']) {
      const a = policy({ type: 'button', value: decodeButton(v) }, pending, open);
      expect(enqueuedAt(a)).toBe('high');
      expect(has(a, (x) => x.type === 'set_risk' && x.risk === 'high')).toBe(true);
      expect(has(a, (x) => x.type === 'alert')).toBe(true);
    }
    const no = policy({ type: 'button', value: decodeButton('safety:no') }, pending, open);
    expect(enqueuedAt(no)).toBeUndefined();
    expect(no).toContainEqual({ type: 'say', message: 'safety-answer-no' });
    expect(no).toContainEqual({ type: 'set_pending', pending: undefined });
  });

  it('a typed yes to the safety question counts as the button', () => {
    const pending = conv('bot', 'medium', { pending: 'safety', safetyAsked: true });
    const a = policy({ type: 'text', triage: tri('none'), first: false, answer: 'yes' }, pending, open);
    expect(enqueuedAt(a)).toBe('high');
    const ignored = policy({ type: 'text', triage: tri('none'), first: false, answer: 'yes' }, conv(), open);
    expect(enqueuedAt(ignored)).toBeUndefined();
  });

  it('a figure of speech explained ("не буквально") answers the safety question no', () => {
    const pending = conv('bot', 'medium', { pending: 'safety', safetyAsked: true });
    const a = policy({ type: 'text', triage: { ...tri('medium'), safetyAnswer: 'no' }, first: false }, pending, open);
    expect(a).toContainEqual({ type: 'say', message: 'safety-answer-no' });
    expect(enqueuedAt(a)).toBeUndefined();
    const unanswered = policy({ type: 'text', triage: tri('medium'), first: false }, pending, open);
    expect(has(unanswered, (x) => x.type === 'say' && x.message === 'safety-answer-no')).toBe(false);
  });

  it('greets on a greeting and on an unclear first message; asks to clarify once, then shows the menu', () => {
    expect(policy(text(tri('none', 'greeting', { script: 'greeting' })), conv(), open)).toContainEqual(GREETING);
    expect(policy(text(tri('none', 'other'), true), conv(), open)).toContainEqual(GREETING);
    // Greeted when the chat opened: a hello gets the menu, unclear first words a question, never the greeting twice.
    const greeted = { greeted: true };
    expect(policy(text(tri('none', 'greeting', { script: 'greeting' })), conv('bot', 'none', greeted), open)).toContainEqual({ type: 'step', step: 'menu' });
    expect(policy(text(tri('none', 'other'), true), conv('bot', 'none', greeted), open)).toContainEqual({ type: 'say', message: 'clarify' });
    const unclear = policy(text(tri('none', 'other')), conv(), open);
    expect(unclear).toContainEqual({ type: 'say', message: 'clarify' });
    expect(unclear).toContainEqual({ type: 'mark', flag: 'clarified' });
    expect(policy(text(tri('none', 'other')), conv('bot', 'none', { clarified: true }), open)).toContainEqual({ type: 'step', step: 'menu' });
  });

  it('risk never goes down: a calm message after a high one stays high', () => {
    const a = policy(text(tri('none', 'greeting', { script: 'greeting' })), conv('bot', 'high'), open);
    // Still high in the bot phase (the child left the queue): offered the crisis path again.
    expect(enqueuedAt(a)).toBe('high');
    for (const act of a) if (act.type === 'set_risk') expect(riskRank(act.risk)).toBeGreaterThanOrEqual(riskRank('high'));
  });
});

describe('policy: while queued or with a counselor', () => {
  it('a riskier message while waiting moves the child up; a calmer one says nothing', () => {
    const up = policy(text(tri('imminent', 'suicide')), conv('queued', 'medium'), open);
    expect(enqueuedAt(up)).toBe('imminent');
    // The numbers again, but not a second "I'm calling a counselor" (issue 13, item 7).
    expect(has(up, (x) => x.type === 'say' && x.message === 'emergency-now')).toBe(true);
    expect(has(up, (x) => x.type === 'step' && x.step === 'crisis_imminent')).toBe(false);
    const mediumUp = policy(text(tri('medium', 'family')), conv('queued', 'low'), open);
    expect(enqueuedAt(mediumUp)).toBe('medium');
    expect(policy(text(tri('low', 'school')), conv('queued', 'medium'), open)).toEqual([]);
    expect(policy(text(tri('high', 'suicide')), conv('queued', 'high'), open)).toEqual([]);
  });

  it('with a counselor the bot is silent: a rise in risk updates the triage and alerts the console, nothing else (issue 13, item 7)', () => {
    expect(policy(text(tri('low', 'school')), conv('with_counselor', 'medium'), open)).toEqual([]);
    const a = policy(text(tri('imminent', 'suicide')), conv('with_counselor', 'high'), open);
    expect(a).toEqual([
      { type: 'set_risk', risk: 'imminent', topic: 'suicide' },
      { type: 'alert', risk: 'imminent' },
    ]);
    // "I need help now" pressed on an old message mid-chat: the counselor hears of it, the bot says nothing.
    const pressed = policy({ type: 'button', value: decodeButton('action:crisis') }, conv('with_counselor', 'medium'), open);
    expect(types(pressed)).toEqual(['set_risk', 'alert']);
  });
});

describe('policy: buttons, commands, media', () => {
  it('talk to a counselor: in the queue at once, at least at low, the pre-queue questions while waiting', () => {
    const asked = policy({ type: 'button', value: decodeButton('action:counselor') }, conv(), open);
    expect(enqueuedAt(asked)).toBe('low');
    expect(asked.findIndex((x) => x.type === 'say' && x.message === 'prequeue-age')).toBeGreaterThan(asked.findIndex((x) => x.type === 'enqueue'));
    const answered = { ageGroup: 'skip', about: 'skip' as const };
    const a = policy({ type: 'button', value: decodeButton('action:counselor') }, conv('bot', 'none', answered), open);
    expect(enqueuedAt(a)).toBe('low');
    expect(has(a, (x) => x.type === 'say' && x.message === 'queued')).toBe(true);
    expect(enqueuedAt(policy({ type: 'button', value: decodeButton('action:counselor') }, conv('bot', 'medium', answered), open))).toBe('medium');
    expect(policy({ type: 'button', value: decodeButton('action:counselor') }, conv('queued', 'low'), open)).toEqual([{ type: 'queue_status' }]);
  });

  it('I need help now: emergency path at high', () => {
    const a = policy({ type: 'button', value: decodeButton('action:crisis') }, conv(), open);
    expect(enqueuedAt(a)).toBe('high');
    // Answered as a request for help (issue 13, item 13), not "thank you for telling me".
    expect(a).toContainEqual({ type: 'say', message: 'help-now' });
    expect(has(a, (x) => x.type === 'step' && x.step === 'crisis_high')).toBe(false);
    const closed = policy({ type: 'button', value: decodeButton('action:crisis') }, conv(), { countersAvailable: 0, open: false });
    expect(closed).toContainEqual({ type: 'say', message: 'help-now-closed' });
    // Typed words that tell of a crisis still get the crisis step.
    expect(has(policy(text(tri('high', 'suicide', { script: 'crisis_high' })), conv(), open), (x) => x.type === 'step' && x.step === 'crisis_high')).toBe(true);
  });

  it('leave the queue only when queued', () => {
    expect(types(policy({ type: 'button', value: decodeButton('action:leave_queue') }, conv('queued', 'low'), open))).toEqual(['leave_queue', 'say']);
    expect(policy({ type: 'button', value: decodeButton('action:leave_queue') }, conv('bot'), open)).toEqual([]);
  });

  it('goto, menu, language and unknown values', () => {
    expect(policy({ type: 'button', value: decodeButton('goto:breathing') }, conv(), open)).toEqual([{ type: 'step', step: 'breathing' }]);
    expect(policy({ type: 'button', value: decodeButton('action:menu') }, conv(), open)).toEqual([{ type: 'step', step: 'menu' }]);
    expect(policy({ type: 'button', value: decodeButton('lang:en') }, conv(), open)[0]).toEqual({ type: 'set_locale', locale: 'en' });
    expect(policy({ type: 'button', value: decodeButton('nonsense') }, conv(), open)).toEqual([{ type: 'step', step: 'menu' }]);
  });

  it('commands: start, help, stop in every state', () => {
    expect(policy({ type: 'command', name: 'start' }, conv(), open)).toEqual([{ type: 'mark', flag: 'greeted' }, GREETING]);
    expect(policy({ type: 'command', name: 'help' }, conv(), open)).toEqual([{ type: 'step', step: 'about' }]);
    expect(types(policy({ type: 'command', name: 'stop' }, conv('queued'), open))).toEqual(['leave_queue', 'say']);
    expect(types(policy({ type: 'command', name: 'stop' }, conv('with_counselor'), open))).toEqual(['close', 'say']);
  });

  it('media always gets the kind text-only reply', () => {
    for (const state of ['bot', 'queued', 'with_counselor'] as ConversationState[]) {
      expect(policy({ type: 'media', media: 'sticker' }, conv(state), open)).toEqual([{ type: 'say', message: 'media-not-supported' }]);
    }
  });
});

describe('policy: invariants over every state × risk × triage', () => {
  const states: ConversationState[] = ['bot', 'queued', 'with_counselor'];
  for (const state of states) {
    for (const prior of RISKS) {
      for (const r of RISKS) {
        it(`${state}, prior ${prior}, message ${r}`, () => {
          const a = policy(text(tri(r, r === 'none' ? 'other' : 'suicide')), conv(state, prior), open);
          for (const act of a) {
            // Risk is never lowered.
            if (act.type === 'set_risk' || act.type === 'enqueue') expect(riskRank(act.risk)).toBeGreaterThanOrEqual(riskRank(prior));
          }
          // A child whose risk is high or imminent in the bot phase is always handed off.
          const effective = riskRank(r) > riskRank(prior) ? r : prior;
          if (state === 'bot' && riskRank(effective) >= riskRank('high')) expect(enqueuedAt(a)).toBe(effective);
          // Imminent risk newly seen always shows the emergency numbers, unless a counselor is there to answer.
          // (Already waiting: the numbers without a second "I'm calling a counselor".)
          const numbers = (x: Action) => (x.type === 'step' && x.step === 'crisis_imminent') || (x.type === 'say' && x.message === 'emergency-now');
          if (r === 'imminent' && prior !== 'imminent' && state !== 'with_counselor') expect(has(a, numbers)).toBe(true);
          if (state === 'queued') expect(has(a, (x) => x.type === 'step' && x.step === 'crisis_imminent')).toBe(false);
          // With a counselor the bot never speaks, and nobody is put in the queue from the chat.
          if (state === 'with_counselor') {
            expect(enqueuedAt(a)).toBeUndefined();
            expect(has(a, (x) => x.type === 'say' || x.type === 'step' || x.type === 'queue_status')).toBe(false);
            if (riskRank(r) > riskRank(prior) && riskRank(r) >= riskRank('high')) expect(has(a, (x) => x.type === 'alert' && x.risk === r)).toBe(true);
          }
        });
      }
    }
  }
});

describe('policy: the honest greeting (issue 13, item 2)', () => {
  it('the greeting offers the menu and a "more" step; "more" tells what is kept and leads on to help, no consent asked', () => {
    if (GREETING.type !== 'say') throw new Error('the greeting is a message');
    const values = (GREETING.buttons ?? []).map((b) => encodeButton(b.value));
    expect(values).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
    const more = policy({ type: 'button', value: decodeButton('action:privacy') }, conv(), open);
    expect(more).toHaveLength(1);
    expect(more[0]).toMatchObject({ type: 'say', message: 'privacy-details' });
    expect(((more[0] as Extract<Action, { type: 'say' }>).buttons ?? []).map((b) => encodeButton(b.value))).toEqual(['action:counselor', 'action:menu']);
  });
});

describe('policy: service questions get one answer each, then the menu (issue 13, item 12)', () => {
  it('privacy, hours and phone each have their own answer with the menu', () => {
    const ask = (intent: string) => policy(text(tri('none', 'service_info', { intent, script: 'about' })), conv('bot', 'none', { greeted: true }), open);
    expect(ask('service_privacy')).toContainEqual(expect.objectContaining({ type: 'say', message: 'privacy-details' }));
    expect(ask('service_cost_hours')).toContainEqual(expect.objectContaining({ type: 'say', message: 'service-hours' }));
    expect(ask('service_phone_number')).toContainEqual(expect.objectContaining({ type: 'say', message: 'helpline-info' }));
    expect(ask('service_what_is_this')).toContainEqual({ type: 'step', step: 'about' });
  });
});
