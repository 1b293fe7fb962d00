// The safety plan a counselor makes with a child: warning signs, what helps, people to contact,
// places that feel safe, and numbers. Its words are the child's own situation, so they go to the
// child and stay with the conversation (and its transcript's retention); the contact record only
// says that a plan was made. The child gets it as one message and can ask for it again.
import type { Translator } from './ports.js';
import { normalizeText } from './text.js';

export const PLAN_SECTIONS = ['warningSigns', 'helps', 'people', 'places', 'numbers'] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number];

export type SafetyPlan = Record<PlanSection, string[]> & { by: string; at: number };

const LABEL: Record<PlanSection, string> = {
  warningSigns: 'safety-plan-warning-signs',
  helps: 'safety-plan-helps',
  people: 'safety-plan-people',
  places: 'safety-plan-places',
  numbers: 'safety-plan-numbers',
};

/** The plan as one message in the child's language: a title, each filled section, the helpline's numbers, how to get it again. */
export function renderSafetyPlan(i18n: Translator, locale: string, plan: SafetyPlan): string {
  const parts = [i18n.t(locale, 'safety-plan-title')];
  for (const s of PLAN_SECTIONS) {
    if (plan[s].length) parts.push(`${i18n.t(locale, LABEL[s])}\n${plan[s].map((x) => `• ${x}`).join('\n')}`);
  }
  // The numbers that always help, whatever the counselor wrote.
  parts.push(i18n.t(locale, 'safety-plan-always'));
  parts.push(i18n.t(locale, 'safety-plan-again'));
  return parts.join('\n\n');
}

/** Whether a message asks for the plan again ("мой план"): one of the locale's safety-plan-words, as a whole message. */
export function asksForPlan(i18n: Translator, locale: string, text: string): boolean {
  const said = normalizeText(text);
  return i18n
    .t(locale, 'safety-plan-words')
    .split(',')
    .map((w) => normalizeText(w).trim())
    .filter(Boolean)
    .includes(said);
}
