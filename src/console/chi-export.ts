// The CHI annual data of a year as one CSV a helpline can submit: Child Helpline International's
// categories, subcategories, call types, age and gender groups with their counts. Every id of the
// category tree is a row (zeros too: CHI's form asks for each); an id found in the records but no
// longer in the tree is kept as a row of its own rather than dropped. Labels are English, CHI's
// language, when locales/en.ftl is there. A contact may have several categories, so a section's
// counts can add up to more than the contacts.
import { DEFAULT_TREE } from '../core/chi.js';
import type { ContentView } from '../core/ports.js';
import type { ChiAnnual, Count } from '../core/reports.js';
import { csvLine } from './csv.js';

export const CHI_COLUMNS = ['year', 'section', 'id', 'label', 'contacts'] as const;

export function chiAnnualCsv(data: ChiAnnual, content: ContentView): string {
  const { i18n } = content;
  const tree = content.categories ?? DEFAULT_TREE;
  const locale = i18n.has('en') ? 'en' : i18n.defaultLocale;
  const known = new Set(i18n.ids(locale));
  const label = (id: string, fallback: string) => (known.has(id) ? i18n.t(locale, id) : fallback);
  const lines = [csvLine([...CHI_COLUMNS])];
  const row = (section: string, id: string, text: string, n: number) => lines.push(csvLine([data.year, section, id, text, n]));

  row('total', 'contacts', 'All contacts', data.contacts);
  row('total', 'counselling', 'Counselling contacts', data.counselling);
  row('total', 'non_counselling', 'Non-counselling contacts', data.nonCounselling);

  /** The tree's ids in its order, then any other id found; "none" (not given) counts as the tree's "unknown" when it has one. */
  const section = (name: string, ids: string[], counts: Count[], labelOf: (id: string) => string) => {
    const n = new Map<string, number>();
    for (const c of counts) {
      const key = c.key === 'none' && ids.includes('unknown') ? 'unknown' : c.key;
      n.set(key, (n.get(key) ?? 0) + c.n);
    }
    for (const id of ids) row(name, id, labelOf(id), n.get(id) ?? 0);
    for (const [id, count] of n) if (!ids.includes(id)) row(name, id, id, count);
  };
  section('category', tree.categories.map((c) => c.id), data.categories, (id) => label(`chi-${id}`, id));
  section(
    'subcategory',
    tree.categories.flatMap((c) => c.subcategories.map((s) => `${c.id}.${s}`)),
    data.subcategories,
    (id) => {
      const [cat, sub] = id.split('.') as [string, string];
      return `${label(`chi-${cat}`, cat)}: ${label(`chi-${cat}-${sub}`, sub)}`;
    },
  );
  section('call_type', tree.callTypes, data.callTypes, (id) => label(`chi-call-${id}`, id));
  section('age_group', tree.ageGroups, data.ageGroups, (id) => label(`chi-age-${id}`, id));
  section('gender', tree.genders, data.genders, (id) => label(`chi-gender-${id}`, id));
  return lines.join('');
}
