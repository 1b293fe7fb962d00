// The labels of the ids the reports dashboard shows, in one language, from locales/: the CHI
// tree's chi-* messages (as the close form uses them) and the reports-KIND-ID messages.
import { DEFAULT_TREE } from '../core/chi.js';
import { REPORTS_LABELS } from '../core/page-messages.js';
import type { ContentView } from '../core/ports.js';

export type ReportLabels = Record<string, Record<string, string>>;

export function reportLabels(content: ContentView, locale: string): ReportLabels {
  const { i18n } = content;
  const tree = content.categories ?? DEFAULT_TREE;
  const known = new Set([...i18n.ids(locale), ...i18n.ids(i18n.defaultLocale)]);
  const label = (id: string, fallback: string) => (known.has(id) ? i18n.t(locale, id) : fallback);
  const out: ReportLabels = { category: {}, subcategory: {}, callType: {}, age: {}, gender: {} };
  for (const c of tree.categories) {
    out.category![c.id] = label(`chi-${c.id}`, c.id);
    for (const sub of c.subcategories) out.subcategory![`${c.id}.${sub}`] = `${out.category![c.id]}: ${label(`chi-${c.id}-${sub}`, sub)}`;
  }
  for (const t of tree.callTypes) out.callType![t] = label(`chi-call-${t}`, t);
  for (const a of tree.ageGroups) out.age![a] = label(`chi-age-${a}`, a);
  for (const g of tree.genders) out.gender![g] = label(`chi-gender-${g}`, g);
  for (const [kind, ids] of Object.entries(REPORTS_LABELS)) {
    out[kind] = Object.fromEntries((ids as readonly string[]).map((id) => [id, label(`reports-${kind}-${id}`, id)]));
  }
  return out;
}
