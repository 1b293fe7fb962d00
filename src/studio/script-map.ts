// The scripts as editors see them (issue 16 item 1): every step with its words in each language,
// its buttons and where they lead, and what points at it — other steps' buttons, intents that
// answer with it, and the bot itself — so a step still in use is never deleted by mistake.
import type { Content } from '../content/load.js';

/** Steps the bot opens by name (src/core/policy.ts): deleting one would break the bot itself. */
export const BUILT_IN_STEPS = ['greeting', 'menu', 'about', 'crisis_imminent', 'crisis_high', 'safety_question', 'selfhelp_menu', 'selfhelp_distress'];

import type { MapStep } from './shapes.js';

export type { MapButton, MapStep } from './shapes.js';

export function scriptMap(content: Content): MapStep[] {
  const locales = content.i18n.locales;
  const say = (l: string, id: string): string | null => {
    if (!content.i18n.hasMessage(l, id)) return null;
    try {
      return content.i18n.t(l, id);
    } catch {
      // A message that needs the conversation's variables (the next opening time): shown by id.
      return `{ ${id} }`;
    }
  };
  const words = (id: string) => Object.fromEntries(locales.map((l) => [l, say(l, id)]));
  const usedBy = new Map<string, string[]>();
  const use = (step: string, by: string) => usedBy.set(step, [...(usedBy.get(step) ?? []), by]);
  for (const id of BUILT_IN_STEPS) use(id, 'bot');
  for (const [id, step] of Object.entries(content.steps)) for (const b of step.buttons ?? []) if (b.goto) use(b.goto, `step:${id}`);
  for (const i of content.intents) if (i.script) use(i.script, `intent:${i.id}`);
  return Object.entries(content.steps).map(([id, step]) => ({
    id,
    text: step.text,
    texts: words(step.text),
    buttons: (step.buttons ?? []).map((b) => ({ label: b.label, labels: words(b.label), ...(b.goto ? { goto: b.goto } : {}), ...(b.action ? { action: b.action } : {}) })),
    usedBy: [...new Set(usedBy.get(id) ?? [])].filter((u) => u !== `step:${id}`),
  }));
}
