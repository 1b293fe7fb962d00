// The contact categories a counselor files a closed contact under: Child Helpline
// International's data framework (categories, each with subcategories, and call types for
// contacts that were not counselling). The tree itself is content (records/categories.yaml,
// edited like the intents, its labels in locales/); this module holds its shape and the pure
// check of a close form against it.
import { CATEGORIES, OUTCOMES, type Outcome } from './outcomes.js';
import { REFERRAL_SERVICES, type ReferralService, type RiskAssessment } from './records.js';
import { riskRank, type Risk, type Topic } from './taxonomy.js';

export interface ChiCategory {
  id: string;
  /** Subcategory ids, unique within the category; stored as "category.subcategory". */
  subcategories: string[];
}

export interface CategoryTree {
  categories: ChiCategory[];
  /** Non-counselling contacts (silent, joke, wrong number...): closable without a category. */
  callTypes: string[];
  /** Age groups and genders as the child gave them (the CHI report's groups). */
  ageGroups: string[];
  genders: string[];
}

/** The tree when a content folder has no records/categories.yaml: CHI's top level only. */
export const DEFAULT_TREE: CategoryTree = {
  categories: CATEGORIES.map((id) => ({ id, subcategories: [] })),
  callTypes: ['silent', 'blank', 'joke', 'hang_up', 'wrong_number', 'abusive', 'testing'],
  ageGroups: ['under_10', '10_13', '14_17', '18_plus', 'unknown'],
  genders: ['female', 'male', 'other', 'unknown'],
};

/** What a counselor sends to close a contact: ids only, never free text about the child. */
export interface CloseForm {
  categories: string[];
  /** "category.subcategory" ids. */
  subcategories: string[];
  callType?: string;
  outcome?: Outcome;
  ageGroup?: string;
  gender?: string;
  referral?: { services: ReferralService[]; calledAt?: number; signedOffBy?: string };
  /** The suicide and self-harm screener's answers, when given with the close (else as the chat went). */
  assessment?: Omit<RiskAssessment, 'by' | 'at'>;
}

export interface FormProblem {
  /** Where in the body: "subcategories.1". */
  path: string;
  message: string;
}

/**
 * The problems of a close form against the tree (empty: it may be filed). A counselling contact
 * needs at least one category (a subcategory names its own) and an outcome; a call type alone
 * closes a non-counselling one.
 */
export function checkCloseForm(tree: CategoryTree, form: CloseForm): FormProblem[] {
  const problems: FormProblem[] = [];
  const byId = new Map(tree.categories.map((c) => [c.id, c]));
  form.categories.forEach((id, i) => {
    if (!byId.has(id)) problems.push({ path: `categories.${i}`, message: `unknown category "${id}" (one of ${[...byId.keys()].join(', ')})` });
  });
  form.subcategories.forEach((full, i) => {
    const dot = full.indexOf('.');
    const cat = byId.get(dot > 0 ? full.slice(0, dot) : '');
    if (!cat) {
      problems.push({ path: `subcategories.${i}`, message: `"${full}" is not "category.subcategory" with a known category` });
    } else if (!cat.subcategories.includes(full.slice(dot + 1))) {
      problems.push({ path: `subcategories.${i}`, message: `unknown subcategory "${full}" (${cat.id} has ${cat.subcategories.join(', ') || 'none'})` });
    }
  });
  if (form.callType !== undefined && !tree.callTypes.includes(form.callType)) {
    problems.push({ path: 'callType', message: `unknown call type "${form.callType}" (one of ${tree.callTypes.join(', ')})` });
  }
  if (form.ageGroup !== undefined && !tree.ageGroups.includes(form.ageGroup)) {
    problems.push({ path: 'ageGroup', message: `unknown age group "${form.ageGroup}" (one of ${tree.ageGroups.join(', ')})` });
  }
  if (form.gender !== undefined && !tree.genders.includes(form.gender)) {
    problems.push({ path: 'gender', message: `unknown gender "${form.gender}" (one of ${tree.genders.join(', ')})` });
  }
  const filed = form.categories.length + form.subcategories.length > 0;
  if (form.callType === undefined) {
    if (!filed) problems.push({ path: 'categories', message: 'a counselling contact needs at least one category or subcategory (or a callType for a non-counselling one)' });
    if (form.outcome === undefined) problems.push({ path: 'outcome', message: `a counselling contact needs an outcome (one of ${OUTCOMES.join(', ')})` });
  } else if (filed) {
    problems.push({ path: 'callType', message: 'a non-counselling contact (callType) has no categories' });
  }
  if (form.referral && form.outcome !== 'emergency') {
    problems.push({ path: 'referral', message: 'an emergency referral goes with the outcome "emergency"' });
  }
  return problems;
}

/** The categories a form files under: those named, and those of its subcategories, each once, in order. */
export function categoriesOf(form: Pick<CloseForm, 'categories' | 'subcategories'>): string[] {
  return [...new Set([...form.categories, ...form.subcategories.map((s) => s.slice(0, s.indexOf('.')))])];
}

export { REFERRAL_SERVICES };

/** The screener's questions in the order counselors ask them (after the C-SSRS screen). */
export const SCREENER_QUESTIONS = ['wishDead', 'thoughts', 'method', 'intent', 'plan', 'behaviour'] as const;

/** Subcategories that make a chat a suicide or self-harm one, whatever its topic. */
const SCREENED_SUBCATEGORIES = ['mental_health.suicidal_thoughts', 'mental_health.suicide_attempt', 'mental_health.self_harm'];

/**
 * A high or imminent suicide or self-harm chat closes only with the risk assessment: the topic
 * the triage gave it, or a subcategory the counselor files it under, makes it one.
 */
export function needsAssessment(conv: { risk: Risk; topic: Topic }, subcategories: readonly string[]): boolean {
  if (riskRank(conv.risk) < riskRank('high')) return false;
  return conv.topic === 'suicide' || conv.topic === 'self_harm' || subcategories.some((s) => SCREENED_SUBCATEGORIES.includes(s));
}
