// The close form as the console sends it: ids from the category tree, never words about the
// child (the one free-text field, the note, goes to the transcript, not the record). Unknown keys
// are refused, so a client cannot slip a name or a message into the record.
import { z } from 'zod';
import { checkCloseForm, DEFAULT_TREE, type CategoryTree, type CloseForm, type FormProblem } from '../core/chi.js';
import { OUTCOMES } from '../core/outcomes.js';
import { REFERRAL_SERVICES, SCREENER_ANSWERS, SCREENER_TIME_FRAMES } from '../core/records.js';

const id = z.string().trim().min(1).max(64);

const answer = z.enum(SCREENER_ANSWERS, { error: `answers are ${SCREENER_ANSWERS.join(', ')}` });

/** The suicide and self-harm screener, in the order counselors ask it; every answer required. */
export const assessmentSchema = z.strictObject({
  wishDead: answer,
  thoughts: answer,
  method: answer,
  intent: answer,
  plan: answer,
  behaviour: answer,
  timeFrame: z.enum(SCREENER_TIME_FRAMES, { error: `timeFrame is one of ${SCREENER_TIME_FRAMES.join(', ')}` }),
});
export const ASSESSMENT_EXPECTED = `{"wishDead", "thoughts", "method", "intent", "plan", "behaviour": ${SCREENER_ANSWERS.join('|')}, "timeFrame": ${SCREENER_TIME_FRAMES.join('|')}}`;

export function closeBodySchema(maxTextChars: number) {
  return z.strictObject({
    /** One category (the first console's form); `categories` is the list. */
    category: id.optional(),
    categories: z.array(id).max(20).optional(),
    subcategories: z.array(z.string().trim().min(1).max(130)).max(40).optional(),
    callType: id.optional(),
    outcome: z.enum(OUTCOMES, { error: `outcome must be one of ${OUTCOMES.join(', ')}` }).optional(),
    ageGroup: id.optional(),
    gender: id.optional(),
    referral: z
      .strictObject({
        services: z.array(z.enum(REFERRAL_SERVICES, { error: `services are ${REFERRAL_SERVICES.join(', ')}` })).min(1, 'at least one service'),
        /** When the service was called (ISO 8601); default: now. */
        calledAt: z.iso.datetime({ offset: true, error: 'calledAt is an ISO 8601 time like 2026-03-10T12:05:00Z' }).optional(),
        /** The supervisor (or admin) who signed the referral off. */
        signedOffBy: id.optional(),
      })
      .optional(),
    /** Required for a high or imminent suicide or self-harm chat unless saved during it. */
    assessment: assessmentSchema.optional(),
    note: z.string().trim().max(maxTextChars).optional(),
  });
}
export type CloseBody = z.infer<ReturnType<typeof closeBodySchema>>;

export const CLOSE_EXPECTED =
  '{"categories": [category ids], "subcategories": ["category.subcategory"], "outcome", "callType" (instead of categories, for a non-counselling contact), "ageGroup", "gender", "referral": {"services", "calledAt", "signedOffBy"}, "assessment": {screener answers}, "note"}';

/** The form of a parsed body, and its problems against the tree (empty: it may be filed). */
export function closeFormOf(body: CloseBody, tree: CategoryTree | undefined): { form: CloseForm; problems: FormProblem[] } {
  const form: CloseForm = {
    categories: [...(body.category ? [body.category] : []), ...(body.categories ?? [])],
    subcategories: body.subcategories ?? [],
    callType: body.callType,
    outcome: body.outcome,
    ageGroup: body.ageGroup,
    gender: body.gender,
    assessment: body.assessment,
    referral: body.referral && { services: body.referral.services, calledAt: body.referral.calledAt ? Date.parse(body.referral.calledAt) : undefined, signedOffBy: body.referral.signedOffBy },
  };
  return { form, problems: checkCloseForm(tree ?? DEFAULT_TREE, form) };
}

const planItems = z.array(z.string().trim().min(1, 'an empty line').max(300)).max(10, 'at most 10 lines').default([]);

/** The safety plan: up to 10 short lines per section, at least one line in all. */
export const safetyPlanSchema = z
  .strictObject({ warningSigns: planItems, helps: planItems, people: planItems, places: planItems, numbers: planItems })
  .refine((p) => Object.values(p).some((l) => l.length > 0), 'a plan needs at least one line');
export const SAFETY_PLAN_EXPECTED = '{"warningSigns", "helps", "people", "places", "numbers": [lines]}';
