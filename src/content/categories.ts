// records/categories.yaml: the CHI category tree of the close form and the reports. Checked like
// the intents: every problem names its line (a misspelt key, a repeated id, an id without a label
// in the default locale), because a category id is written into records for years.
import type { CategoryTree } from '../core/chi.js';
import type { Problem } from './problems.js';
import { categoriesSchema } from './schema.js';
import { keyLineOf, lineOf, validate, type YamlFile } from './yaml-file.js';

/** The Fluent message id labelling an entry of the tree. */
export function chiLabel(kind: 'category' | 'call' | 'age' | 'gender', id: string, sub?: string): string {
  if (kind === 'category') return sub ? `chi-${id}-${sub}` : `chi-${id}`;
  return `chi-${kind}-${id}`;
}

/**
 * The tree from a parsed file, or null with its problems added. `labels`: the message ids of the
 * default locale (every entry must have one; other locales are checked against it as usual).
 */
export function loadCategories(y: YamlFile, labels: readonly string[], problems: Problem[]): CategoryTree | null {
  const before = problems.length;
  const data = validate(y, categoriesSchema, problems);
  if (!data) return null;
  const known = new Set(labels);
  const need = (id: string, path: (string | number)[], key = false) => {
    if (!known.has(id)) problems.push({ file: y.file, line: key ? keyLineOf(y, path) : lineOf(y, path), message: `no label "${id}" in the default locale` });
  };
  const unique = (list: string[], path: (string | number)[]) => {
    list.forEach((id, i) => {
      const first = list.indexOf(id);
      if (first !== i) problems.push({ file: y.file, line: lineOf(y, [...path, i]), message: `"${id}" is listed twice (first at line ${lineOf(y, [...path, first])})` });
    });
  };
  for (const [cat, subs] of Object.entries(data.categories)) {
    need(chiLabel('category', cat), ['categories', cat], true);
    unique(subs, ['categories', cat]);
    subs.forEach((sub, i) => need(chiLabel('category', cat, sub), ['categories', cat, i]));
  }
  const lists = [
    ['call_types', 'call'],
    ['age_groups', 'age'],
    ['genders', 'gender'],
  ] as const;
  for (const [key, kind] of lists) {
    unique(data[key], [key]);
    data[key].forEach((id, i) => need(chiLabel(kind, id), [key, i]));
  }
  if (problems.length > before) return null;
  return {
    categories: Object.entries(data.categories).map(([id, subcategories]) => ({ id, subcategories })),
    callTypes: data.call_types,
    ageGroups: data.age_groups,
    genders: data.genders,
  };
}
