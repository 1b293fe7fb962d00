/**
 * Every button the bot offers, as one typed union with one encoding. The wire form
 * ("kind:arg") is what channels carry (Telegram callback_data, web chat frames, Bot Framework
 * quick-reply values); only encodeButton writes it and only decodeButton reads it.
 */
export const AGE_GROUPS = ['under_10', '10_13', '14_17', '18_plus'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];
export const ABOUT = ['self', 'other'] as const;
export const FEEDBACK_VALUES = ['helped', 'partly', 'not_helped'] as const;
export type FeedbackValue = (typeof FEEDBACK_VALUES)[number];
export const SAFETY_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type Answer = (typeof SAFETY_ANSWERS)[number];
/** Actions a script step's button may name (content/schema.ts accepts these). */
export const BUTTON_ACTIONS = ['counselor', 'crisis', 'menu', 'end', 'leave_queue', 'privacy'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export type ButtonValue =
  | { kind: 'safety'; answer: Answer }
  | { kind: 'pre_age'; group: AgeGroup | 'skip' }
  | { kind: 'pre_about'; about: (typeof ABOUT)[number] | 'skip' }
  | { kind: 'feedback'; value: FeedbackValue }
  | { kind: 'goto'; step: string }
  | { kind: 'lang'; locale: string }
  | { kind: 'action'; action: ButtonAction };

/** Step names and locales: what content files may use (letters, digits, _ . -). */
const NAME = /^[A-Za-z0-9_.-]{1,200}$/;

export function encodeButton(v: ButtonValue): string {
  switch (v.kind) {
    case 'safety':
      return `safety:${v.answer}`;
    case 'pre_age':
      return `pre_age:${v.group}`;
    case 'pre_about':
      return `pre_about:${v.about}`;
    case 'feedback':
      return `feedback:${v.value}`;
    case 'goto':
      return `goto:${v.step}`;
    case 'lang':
      return `lang:${v.locale}`;
    case 'action':
      return `action:${v.action}`;
  }
}

const oneOf = <T extends string>(list: readonly T[], s: string): T | undefined => (list as readonly string[]).includes(s) ? (s as T) : undefined;

/** The button a wire value stands for; null for anything we never sent (forged, stale, typo). */
export function decodeButton(wire: string | undefined): ButtonValue | null {
  if (!wire) return null;
  const at = wire.indexOf(':');
  if (at < 0) return null;
  const kind = wire.slice(0, at);
  const arg = wire.slice(at + 1);
  switch (kind) {
    case 'safety': {
      const answer = oneOf(SAFETY_ANSWERS, arg);
      return answer ? { kind, answer } : null;
    }
    // An answer the bot did not offer (an old button, a forged value) counts as "rather not say".
    case 'pre_age':
      return { kind, group: oneOf(AGE_GROUPS, arg) ?? 'skip' };
    case 'pre_about':
      return { kind, about: oneOf(ABOUT, arg) ?? 'skip' };
    case 'feedback': {
      const value = oneOf(FEEDBACK_VALUES, arg);
      return value ? { kind, value } : null;
    }
    case 'goto':
      return NAME.test(arg) ? { kind, step: arg } : null;
    case 'lang':
      return NAME.test(arg) ? { kind, locale: arg } : null;
    case 'action': {
      const action = oneOf(BUTTON_ACTIONS, arg);
      return action ? { kind, action } : null;
    }
    default:
      return null;
  }
}

/** A button the bot offers: a Fluent message id for the label and the value it stands for. */
export interface ButtonSpec {
  label: string;
  value: ButtonValue;
}
