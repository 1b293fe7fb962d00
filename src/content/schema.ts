import { z } from 'zod';
import { RISKS, TOPICS } from '../core/taxonomy.js';

const lang = z.string().regex(/^[a-z]{2,3}$/, 'a language code like ru or en');
const phraseList = z.array(z.string().trim().min(1, 'empty phrase'));

export const intentSchema = z.strictObject({
  topic: z.enum(TOPICS, { error: `topic must be one of: ${TOPICS.join(', ')}` }),
  risk: z.enum(RISKS, { error: `risk must be one of: ${RISKS.join(', ')}` }),
  script: z.string().min(1).optional(),
  safety_check: z.boolean().optional(),
  // Per language: a list (strings at the intent's risk, or `{ text, risk }` items) or a mapping
  // risk level → list of strings. Checked item by item in load.ts (examplesOf) so that every
  // problem names its own line; a zod union would only say "invalid input" at the language.
  examples: z.record(lang, z.unknown()).refine((r) => Object.keys(r).length > 0, 'at least one language'),
  lexicon: z.record(lang, phraseList).optional(),
});

const buttonSchema = z
  .strictObject({
    label: z.string().min(1),
    goto: z.string().min(1).optional(),
    action: z.enum(['counselor', 'crisis', 'menu', 'end', 'leave_queue']).optional(),
  })
  .refine((b) => (b.goto ? 1 : 0) + (b.action ? 1 : 0) === 1, 'a button needs exactly one of goto or action');

export const scriptsSchema = z.strictObject({
  steps: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'step ids are lower_snake_case'),
    z.strictObject({
      text: z.string().min(1),
      buttons: z.array(buttonSchema).optional(),
    }),
  ),
});
export type ScriptsFile = z.infer<typeof scriptsSchema>;

// intents/cues.yaml — imminent-danger cues: phrase groups, and rules that combine them.
const groupName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'group names are lower_snake_case');
export const cuesSchema = z.strictObject({
  groups: z.record(groupName, z.record(lang, phraseList)),
  rules: z.array(
    z.strictObject({
      name: z.string().min(1),
      /** Every group must match somewhere in the message. */
      all: z.array(groupName).min(1),
      /** Never when any of these groups matches (e.g. the past: "в прошлом году"). */
      unless: z.array(groupName).optional(),
      /** Only when the decision so far has one of these topics. */
      when_topic: z.array(z.enum(TOPICS)).min(1).optional(),
      /** Only when the decision so far has at least this risk. */
      when_risk: z.enum(RISKS).optional(),
      risk: z.enum(RISKS),
      topic: z.enum(TOPICS).optional(),
      /** Intent whose script answers (must exist). */
      intent: z.string().min(1).optional(),
    }),
  ),
});
export type CuesFile = z.infer<typeof cuesSchema>;

// records/categories.yaml — the CHI contact categories of the close form and the reports.
const chiId = z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'ids are lower_snake_case');
const idList = z.array(chiId).min(1, 'at least one');
export const categoriesSchema = z.strictObject({
  /** category id → its subcategory ids */
  categories: z.record(chiId, idList).refine((r) => Object.keys(r).length > 0, 'at least one category'),
  call_types: idList,
  age_groups: idList,
  genders: idList,
});
export type CategoriesFile = z.infer<typeof categoriesSchema>;
