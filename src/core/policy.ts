import { AGE_GROUPS, FEEDBACK_VALUES, type ButtonSpec, type ButtonValue } from './buttons.js';
import type { ServiceState } from './ports.js';
import type { Risk } from './taxonomy.js';
import { isEscalation, maxRisk, riskRank } from './taxonomy.js';
import type { Conversation, TriageResult } from './types.js';

/** Something the bot says: a Fluent message (with arguments and buttons) or a script step. */
export type Saying =
  | { type: 'say'; message: string; args?: Record<string, string | number>; buttons?: ButtonSpec[] }
  | { type: 'step'; step: string };

export type PolicyEvent =
  /** answer: the text read as a yes / no / don't know reply, when it is one. */
  | { type: 'text'; triage: TriageResult; first: boolean; answer?: 'yes' | 'no' | 'unknown' }
  /** null: a value the bot never offered (forged, or from an old version): the menu. */
  | { type: 'button'; value: ButtonValue | null }
  | { type: 'media'; media: string }
  | { type: 'command'; name: string };

export type Action =
  /** Say a Fluent message, or show a script step (its text and buttons). */
  | Saying
  | { type: 'set_risk'; risk: Risk; topic?: TriageResult['topic'] }
  | { type: 'set_pending'; pending: Conversation['meta']['pending'] | undefined }
  /** Remember a pre-queue answer (age group, about whom), shown to the counselor. */
  | { type: 'set_meta'; key: 'ageGroup' | 'about'; value: string }
  /** Remember that something was done once (the safety question, a clarifying question). */
  | { type: 'mark'; flag: 'safetyAsked' | 'clarified' | 'greeted' }
  /** Put in the counselor queue (or move up when already queued). */
  | { type: 'enqueue'; risk: Risk }
  | { type: 'leave_queue' }
  /** Loud alert at the console. */
  | { type: 'alert'; risk: Risk }
  /** Tell the child their place in the queue. */
  | { type: 'queue_status' }
  | { type: 'set_locale'; locale: string }
  /** The child ended the conversation. */
  | { type: 'close' };

export const SAFETY_BUTTONS: ButtonSpec[] = [
  { label: 'btn-yes', value: { kind: 'safety', answer: 'yes' } },
  { label: 'btn-no', value: { kind: 'safety', answer: 'no' } },
  { label: 'btn-dont-know', value: { kind: 'safety', answer: 'unknown' } },
];

export const LEAVE_BUTTONS: ButtonSpec[] = [{ label: 'btn-leave-queue', value: { kind: 'action', action: 'leave_queue' } }];

/** The one optional question after a counselor closes the conversation. */
export const FEEDBACK_BUTTONS: ButtonSpec[] = FEEDBACK_VALUES.map((v) => ({ label: `btn-feedback-${v.replace('_', '-')}`, value: { kind: 'feedback', value: v } }));

/** Pre-queue questions: asked before a counselor is called, never for high or imminent risk; each skippable. */
export const AGE_BUTTONS: ButtonSpec[] = [
  ...AGE_GROUPS.map((g): ButtonSpec => ({ label: `btn-age-${g.replace('_', '-')}`, value: { kind: 'pre_age', group: g } })),
  { label: 'btn-skip', value: { kind: 'pre_age', group: 'skip' } },
];
export const ABOUT_BUTTONS: ButtonSpec[] = [
  { label: 'btn-about-self', value: { kind: 'pre_about', about: 'self' } },
  { label: 'btn-about-other', value: { kind: 'pre_about', about: 'other' } },
  { label: 'btn-skip', value: { kind: 'pre_about', about: 'skip' } },
];

/**
 * Honest about who is there. Closed: when the chat opens next (in the service's time zone, in
 * words), the 24/7 phone, and that the message left now is answered then, and where. Open but
 * nobody on shift: that, with the phone (the expected wait follows in the queue place).
 */
function noCounselors(service: ServiceState, conv: Conversation): Action[] {
  if (!service.open) {
    const args = { day: service.next?.day ?? 'unknown', time: service.next?.time ?? '', channel: conv.channel === 'webchat' ? 'webchat' : 'messenger' };
    return [{ type: 'say', message: 'chat-closed', args }];
  }
  return service.countersAvailable > 0 ? [] : [{ type: 'say', message: 'no-counselors' }];
}

/** Hand off to a counselor: high and imminent at once, with the numbers first. */
function escalate(risk: Risk, conv: Conversation, service: ServiceState, topic?: TriageResult['topic'], asked = false): Action[] {
  // A counselor is in the chat: they answer, the bot is silent. A script here (ending "I'm calling
  // a counselor") talked over the person already there; the rise reaches them as triage and an alert.
  if (conv.state === 'with_counselor') return [{ type: 'set_risk', risk, topic }, { type: 'alert', risk }];
  const actions: Action[] = [{ type: 'set_risk', risk, topic }, { type: 'set_pending', pending: undefined }];
  // "I'm calling a counselor, they will write soon" only when it is true and not said before: a
  // child already waiting, writing while the chat is closed or while nobody is on shift, gets the
  // same numbers without it (then the honest line about who is there).
  const calling = conv.state === 'bot' && service.open && service.countersAvailable > 0;
  if (risk === 'imminent') actions.push(calling ? { type: 'step', step: 'crisis_imminent' } : { type: 'say', message: 'emergency-now' });
  // "Мне нужна помощь сейчас" pressed is a request, not a story: "thank you for telling me" there
  // answered words the child never wrote.
  else if (conv.state === 'bot' && asked) actions.push({ type: 'say', message: calling ? 'help-now' : 'help-now-closed' });
  else if (conv.state === 'bot') actions.push(calling ? { type: 'step', step: 'crisis_high' } : { type: 'say', message: 'crisis-high-closed' });
  actions.push({ type: 'enqueue', risk }, { type: 'alert', risk }, ...noCounselors(service, conv), { type: 'queue_status' });
  return actions;
}

/**
 * The optional questions, asked while the child already waits (never at high or imminent risk),
 * one at a time, each skippable; every answer goes onto the queue card at once.
 */
function nextQuestion(conv: Conversation, risk: Risk): Action[] {
  if (isEscalation(risk)) return [];
  if (conv.meta.ageGroup === undefined) return [{ type: 'set_pending', pending: 'pre_age' }, { type: 'say', message: 'prequeue-age', buttons: AGE_BUTTONS }];
  if (conv.meta.about === undefined) return [{ type: 'set_pending', pending: 'pre_about' }, { type: 'say', message: 'prequeue-about', buttons: ABOUT_BUTTONS }];
  return [];
}

/**
 * The child asked for a person (button or words): in the queue at once — "I'm calling a
 * counselor" is true when it is said — and the optional questions come while waiting.
 */
function toCounselor(conv: Conversation, service: ServiceState): Action[] {
  if (conv.state === 'queued') return [{ type: 'queue_status' }];
  if (conv.state === 'with_counselor') return [];
  const risk = maxRisk(conv.risk, 'low');
  return [
    ...(conv.meta.pending ? [{ type: 'set_pending', pending: undefined } as Action] : []),
    { type: 'enqueue', risk },
    ...(isEscalation(risk) ? [{ type: 'alert', risk } as Action] : []),
    { type: 'say', message: 'queued', buttons: LEAVE_BUTTONS },
    ...noCounselors(service, conv),
    { type: 'queue_status' },
    ...nextQuestion(conv, risk),
  ];
}

/** A pre-survey answer: onto the card; the next question, or thanks after the last. */
function preAnswer(conv: Conversation, set: Extract<Action, { type: 'set_meta' }>): Action[] {
  // Only while waiting: a late press after a counselor took the chat (or an old button) changes nothing.
  if (conv.state !== 'queued') return [];
  const next = { ...conv, meta: { ...conv.meta, [set.key]: set.value } };
  const more = nextQuestion(next, conv.risk);
  return [set, ...(more.length ? more : [{ type: 'set_pending', pending: undefined } as Action, { type: 'say', message: 'prequeue-thanks' } as Action])];
}

function onText(event: Extract<PolicyEvent, { type: 'text' }>, conv: Conversation, service: ServiceState): Action[] {
  const t = event.triage;
  const risk = maxRisk(conv.risk, t.risk);
  const raised = riskRank(risk) > riskRank(conv.risk);

  if (isEscalation(risk)) {
    // Already handed off at this level: stay quiet and let the counselor talk, unless it rose.
    if (conv.state === 'bot' || raised) return escalate(risk, conv, service, t.topic);
    return [];
  }
  if (conv.state === 'with_counselor') return raised ? [{ type: 'set_risk', risk, topic: t.topic }] : [];
  if (conv.state === 'queued') {
    // Writing instead of answering a question skips what is left of them: the words are for the counselor.
    const skipped: Action[] =
      conv.meta.pending === 'pre_age' || conv.meta.pending === 'pre_about'
        ? [
            ...(conv.meta.ageGroup === undefined ? [{ type: 'set_meta', key: 'ageGroup', value: 'skip' } as Action] : []),
            ...(conv.meta.about === undefined ? [{ type: 'set_meta', key: 'about', value: 'skip' } as Action] : []),
            { type: 'set_pending', pending: undefined },
          ]
        : [];
    return [...skipped, ...(raised ? [{ type: 'set_risk', risk, topic: t.topic } as Action, { type: 'enqueue', risk } as Action, { type: 'queue_status' } as Action] : [])];
  }

  const actions: Action[] = [];
  if (raised || conv.topic === 'other') actions.push({ type: 'set_risk', risk, topic: t.topic });
  if (conv.meta.pending === 'pre_age' || conv.meta.pending === 'pre_about') {
    // Writing instead of pressing a button skips the remaining questions: the child asked for a person.
    const meta = { ...conv.meta, ageGroup: conv.meta.ageGroup ?? 'skip', about: conv.meta.about ?? 'skip' };
    if (conv.meta.ageGroup === undefined) actions.push({ type: 'set_meta', key: 'ageGroup', value: 'skip' });
    if (conv.meta.about === undefined) actions.push({ type: 'set_meta', key: 'about', value: 'skip' });
    actions.push(...toCounselor({ ...conv, risk, meta }, service));
    return actions;
  }
  const answer = event.answer ?? t.safetyAnswer;
  if (answer && conv.meta.pending === 'safety') return onButton({ kind: 'safety', answer }, conv, service);
  if (t.safetyCheck) {
    if (!conv.meta.safetyAsked) {
      actions.push(
        { type: 'set_pending', pending: 'safety' },
        { type: 'mark', flag: 'safetyAsked' },
        { type: 'say', message: 'safety-question', buttons: SAFETY_BUTTONS },
      );
      return actions;
    }
    actions.push({ type: 'step', step: 'selfhelp_distress' });
    return actions;
  }
  if (t.topic === 'greeting' || (event.first && t.topic === 'other')) {
    // Greeted already (the chat opened with it): a hello gets the menu, unclear words a question.
    if (!conv.meta.greeted) return [...actions, ...greet()];
    if (t.topic === 'greeting') return [...actions, { type: 'step', step: 'menu' }];
  }
  if (t.topic === 'other' || !t.script) {
    if (conv.meta.clarified) actions.push({ type: 'step', step: 'menu' });
    else actions.push({ type: 'mark', flag: 'clarified' }, { type: 'say', message: 'clarify' });
    return actions;
  }
  const service_ = serviceAnswer(t.intent);
  if (service_) return [...actions, service_];
  actions.push(...(t.script === 'greeting' ? greet() : [{ type: 'step', step: t.script } as Action]));
  return actions;
}

/**
 * "это анонимно?", "во сколько вы работаете", "какой телефон": one answer each (privacy, the
 * chat's hours from the settings, the numbers), then the menu — not the same "about" text for all.
 */
function serviceAnswer(intent: string): Saying | null {
  switch (intent) {
    case 'service_privacy':
      return PRIVACY;
    case 'service_cost_hours':
      return { type: 'say', message: 'service-hours', buttons: MENU_BUTTONS };
    case 'service_phone_number':
      return { type: 'say', message: 'helpline-info', buttons: MENU_BUTTONS };
    default:
      return null;
  }
}

export const MENU_BUTTONS: ButtonSpec[] = [
  { label: 'btn-counselor', value: { kind: 'action', action: 'counselor' } },
  { label: 'btn-help-now', value: { kind: 'action', action: 'crisis' } },
  { label: 'btn-selfhelp', value: { kind: 'goto', step: 'selfhelp_menu' } },
  { label: 'btn-about', value: { kind: 'goto', step: 'about' } },
];

/**
 * The first words of every chat: who we are, what is kept and for how long (from the retention
 * settings), that it is anonymous, and the one limit of confidentiality, with a "more" button
 * and the menu. Help needs no consent first: every menu button works from here.
 */
export const GREETING: Saying = {
  type: 'say',
  message: 'greeting',
  buttons: [...MENU_BUTTONS, { label: 'btn-privacy', value: { kind: 'action', action: 'privacy' } }],
};

function greet(): Action[] {
  return [{ type: 'mark', flag: 'greeted' }, GREETING];
}

/** "More": what is kept, who reads it, the one exception; then on to help. */
const PRIVACY: Saying = {
  type: 'say',
  message: 'privacy-details',
  buttons: [
    { label: 'btn-counselor', value: { kind: 'action', action: 'counselor' } },
    { label: 'btn-menu', value: { kind: 'action', action: 'menu' } },
  ],
};

function onButton(value: ButtonValue | null, conv: Conversation, service: ServiceState): Action[] {
  if (!value) return [{ type: 'step', step: 'menu' }];
  switch (value.kind) {
    case 'safety':
      if (value.answer === 'yes' || value.answer === 'unknown') {
        return escalate(maxRisk(conv.risk, 'high'), conv, service, conv.topic === 'other' ? 'suicide' : conv.topic);
      }
      return [{ type: 'set_pending', pending: undefined }, { type: 'say', message: 'safety-answer-no' }, { type: 'step', step: 'selfhelp_distress' }];
    case 'pre_age':
      return preAnswer(conv, { type: 'set_meta', key: 'ageGroup', value: value.group });
    case 'pre_about':
      return preAnswer(conv, { type: 'set_meta', key: 'about', value: value.about });
    case 'feedback':
      return [{ type: 'say', message: 'feedback-thanks' }];
    case 'goto':
      return value.step === 'greeting' ? greet() : [{ type: 'step', step: value.step }];
    case 'lang':
      return [{ type: 'set_locale', locale: value.locale }, { type: 'say', message: 'lang-switched' }, { type: 'step', step: 'menu' }];
    case 'action':
      switch (value.action) {
        case 'counselor':
          return toCounselor(conv, service);
        case 'crisis':
          return escalate(maxRisk(conv.risk, 'high'), conv, service, undefined, true);
        case 'menu':
          return [{ type: 'step', step: 'menu' }];
        case 'leave_queue':
          return conv.state === 'queued' ? [{ type: 'leave_queue' }, { type: 'say', message: 'queue-left', buttons: MENU_BUTTONS }] : [];
        case 'end':
          return [{ type: 'say', message: 'conversation-closed' }];
        case 'privacy':
          return [PRIVACY];
      }
  }
}

function onCommand(name: string, conv: Conversation, service: ServiceState): Action[] {
  switch (name) {
    case 'start':
      return conv.state === 'bot' ? greet() : [];
    case 'help':
      return [{ type: 'step', step: 'about' }];
    case 'stop':
      if (conv.state === 'queued') return [{ type: 'leave_queue' }, { type: 'say', message: 'queue-left' }];
      if (conv.state === 'with_counselor') return [{ type: 'close' }, { type: 'say', message: 'conversation-closed' }];
      return [{ type: 'say', message: 'conversation-closed' }];
    case 'counselor':
      return toCounselor(conv, service);
    default:
      return [{ type: 'step', step: 'menu' }];
  }
}

/**
 * The whole decision of what the bot does, as a pure function of what happened, the
 * conversation and the service. The engine carries the actions out in order.
 */
export function policy(event: PolicyEvent, conv: Conversation, service: ServiceState): Action[] {
  switch (event.type) {
    case 'text':
      return onText(event, conv, service);
    case 'button':
      return onButton(event.value, conv, service);
    case 'media':
      return [{ type: 'say', message: 'media-not-supported' }];
    case 'command':
      return onCommand(event.name, conv, service);
  }
}
