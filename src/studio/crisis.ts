// Which changes touch what a child in crisis gets: those need a second person's approval.
import type { Content } from '../content/load.js';
import { isEscalation } from '../core/taxonomy.js';

/** The messages a child in crisis reads whatever the scripts say (policy and the safety net use them by name). */
export const CRISIS_MESSAGES = ['emergency', 'emergency-now', 'crisis-high', 'crisis-high-closed', 'help-now', 'help-now-closed', 'safety-question', 'safety-answer-no', 'fallback-error', 'helpline-info', 'btn-yes', 'btn-no', 'btn-dont-know'];
/** The steps policy shows at high and imminent risk and for the safety question. */
export const CRISIS_STEPS = ['crisis_imminent', 'crisis_high', 'safety_question'];

function crisisSteps(c: Content): Set<string> {
  const steps = new Set(CRISIS_STEPS);
  for (const i of c.intents) if (isEscalation(i.risk) && i.script) steps.add(i.script);
  for (const r of c.cues?.rules ?? []) {
    const script = r.intent ? c.intentById.get(r.intent)?.script : undefined;
    if (script && isEscalation(r.risk)) steps.add(script);
  }
  return steps;
}

/**
 * What differs between two contents in their crisis answers, in words ("message emergency (ru)",
 * "step crisis_high", "intent suicide_thoughts: risk high → medium"). Messages are compared as the
 * child reads them, in every language, so a change to a term they use (the emergency number in
 * `-emergency`) counts too. Empty: no approval needed.
 */
export function crisisChanges(before: Content, after: Content): string[] {
  const out: string[] = [];
  const steps = new Set([...crisisSteps(before), ...crisisSteps(after)]);
  const messages = new Set(CRISIS_MESSAGES);
  for (const c of [before, after]) {
    for (const id of steps) {
      const s = Object.hasOwn(c.steps, id) ? c.steps[id] : undefined;
      if (!s) continue;
      messages.add(s.text);
      for (const b of s.buttons ?? []) messages.add(b.label);
    }
  }
  for (const id of [...steps].sort()) {
    const a = Object.hasOwn(before.steps, id) ? JSON.stringify(before.steps[id]) : null;
    const b = Object.hasOwn(after.steps, id) ? JSON.stringify(after.steps[id]) : null;
    if (a !== b) out.push(`step ${id}`);
  }
  const locales = [...new Set([...before.i18n.locales, ...after.i18n.locales])].sort();
  for (const id of [...messages].sort()) {
    for (const locale of locales) {
      const a = before.i18n.hasMessage(locale, id) ? before.i18n.t(locale, id) : null;
      const b = after.i18n.hasMessage(locale, id) ? after.i18n.t(locale, id) : null;
      if (a !== b) out.push(`message ${id} (${locale})`);
    }
  }
  for (const id of new Set([...before.intentById.keys(), ...after.intentById.keys()])) {
    const a = before.intentById.get(id);
    const b = after.intentById.get(id);
    if (!(a && isEscalation(a.risk)) && !(b && isEscalation(b.risk))) continue;
    if (!a || !b) out.push(`intent ${id}: ${a ? 'deleted' : 'added'}`);
    else {
      if (a.risk !== b.risk) out.push(`intent ${id}: risk ${a.risk} → ${b.risk}`);
      if (a.script !== b.script) out.push(`intent ${id}: script ${a.script ?? '-'} → ${b.script ?? '-'}`);
    }
  }
  return out;
}
