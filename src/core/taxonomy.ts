// The public contract of ../shared/spec/taxonomy.md: risk levels and topics.
export const RISKS = ['none', 'low', 'medium', 'high', 'imminent'] as const;
export type Risk = (typeof RISKS)[number];

export const TOPICS = [
  'greeting',
  'service_info',
  'suicide',
  'self_harm',
  'violence',
  'sexual_abuse',
  'online_safety',
  'bullying',
  'family',
  'school',
  'peers',
  'love',
  'emotions',
  'body_health',
  'substances',
  'runaway',
  'parent',
  'other',
] as const;
export type Topic = (typeof TOPICS)[number];

export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

export function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(a) >= riskRank(b) ? a : b;
}

/** high and imminent go to a counselor at once. */
export function isEscalation(risk: Risk): boolean {
  return riskRank(risk) >= riskRank('high');
}

export function isRisk(value: unknown): value is Risk {
  return typeof value === 'string' && (RISKS as readonly string[]).includes(value);
}

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}
