// records/categories.yaml: the CHI category tree, checked by content:check with file and line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ContentError, formatProblem } from '../../src/content/problems.js';
import { DEFAULT_TREE } from '../../src/core/chi.js';
import { REPO, makeContentDir } from './fixture.js';

function problems(dir: string): string[] {
  try {
    loadContent(dir);
  } catch (err) {
    if (err instanceof ContentError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

function withTree(edit: (text: string) => string): string {
  const dir = makeContentDir();
  mkdirSync(join(dir, 'records'));
  writeFileSync(join(dir, 'records/categories.yaml'), edit(readFileSync(join(REPO, 'records/categories.yaml'), 'utf8')));
  return dir;
}

/** The 1-based line of the first line of text equal to `line`. */
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;

describe('the CHI category tree', () => {
  it('loads the repository tree: every CHI category with subcategories, call types, age and gender groups, all labelled in ru and en', () => {
    const c = loadContent(REPO);
    const tree = c.categories!;
    expect(tree.categories.map((k) => k.id)).toEqual(expect.arrayContaining(DEFAULT_TREE.categories.map((k) => k.id)));
    expect(tree.categories.find((k) => k.id === 'violence')!.subcategories).toEqual(expect.arrayContaining(['bullying_in_school', 'emotional_abuse', 'neglect', 'physical_abuse', 'sexual_abuse', 'online_sexual_abuse']));
    expect(tree.categories.find((k) => k.id === 'mental_health')!.subcategories).toEqual(expect.arrayContaining(['anxiety', 'mood', 'self_harm', 'suicidal_thoughts', 'eating', 'substance_use']));
    expect(tree.categories.find((k) => k.id === 'missing_children')!.subcategories).toEqual(expect.arrayContaining(['runaway', 'lost', 'abducted']));
    expect(tree.callTypes).toEqual(['silent', 'blank', 'joke', 'hang_up', 'wrong_number', 'abusive', 'testing']);
    expect(c.i18n.t('ru', 'chi-violence-bullying_in_school')).toBe('Травля в школе');
    expect(c.i18n.t('en', 'chi-age-14_17')).toBe('14–17');
  });

  it('a content folder without the file gets CHI top level only', () => {
    expect(loadContent(makeContentDir()).categories).toEqual(DEFAULT_TREE);
  });

  it('names the line of a misspelt subcategory (no label in the default locale) and of a repeated id', () => {
    let text = '';
    const dir = withTree((t) => (text = t.replace('    - cyberbullying\n', '    - cyberbulying\n').replace('  - joke\n', '  - joke\n  - joke\n')));
    expect(problems(dir)).toEqual([
      `records/categories.yaml:${lineOf(text, '    - cyberbulying')}: no label "chi-violence-cyberbulying" in the default locale`,
      `records/categories.yaml:${lineOf(text, '  - joke') + 1}: "joke" is listed twice (first at line ${lineOf(text, '  - joke')})`,
    ]);
  });

  it('names the line of an unknown key and of an id that is not lower_snake_case', () => {
    let text = '';
    const dir = withTree((t) => (text = t.replace('genders:\n', 'gendres:\n').replace('  violence:\n', '  violence:\n    - Bad Id\n')));
    const p = problems(dir);
    expect(p).toContain(`records/categories.yaml:${lineOf(text, 'gendres:')}: unknown key "gendres"`);
    expect(p).toContain(`records/categories.yaml:${lineOf(text, '    - Bad Id')}: ids are lower_snake_case (at categories.violence.0)`);
  });
});
