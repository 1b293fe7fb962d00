// Child Helpline International's top contact categories (the ids the helpline reports in),
// and how a conversation ended.
export const CATEGORIES = [
  'violence',
  'mental_health',
  'family_relationships',
  'peer_relationships',
  'education',
  'physical_health',
  'sexuality',
  'access_to_services',
  'discrimination',
  'missing_children',
  'other',
] as const;

export const OUTCOMES = [
  /** Listened and supported; nothing more needed now. */
  'supported',
  /** Given a service to contact (school psychologist, clinic, social services). */
  'referred',
  /** Emergency services were involved or urged. */
  'emergency',
  /** The child will come back, or a counselor will check in. */
  'follow_up',
  /** The child left before the end. */
  'child_left',
  /** Not a real contact (test, prank, abuse of the line). */
  'not_genuine',
  'other',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Endings no counselor chooses: the child blocked the bot or deleted the account. */
export const SYSTEM_OUTCOMES = ['unreachable'] as const;
export type CloseOutcome = Outcome | (typeof SYSTEM_OUTCOMES)[number];
