// The console's words in their own Fluent files (locales/console.<locale>.ftl): checked like the
// other locale files, with each problem at its file and line, and served with the page's own
// variables left for the page to fill.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ContentError, formatProblem } from '../../src/content/problems.js';
import { CONSOLE_PAGE_MESSAGES } from '../../src/core/console-messages.js';
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
const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;

describe('the console locale files', () => {
  it('every console word is in every language, and nowhere else', () => {
    const c = loadContent(REPO);
    for (const locale of ['ru', 'en']) {
      expect(c.i18n.ids(locale, 'console-').sort()).toEqual([...CONSOLE_PAGE_MESSAGES].sort());
    }
    for (const file of ['locales/ru.ftl', 'locales/en.ftl']) expect(readFileSync(join(REPO, file), 'utf8')).not.toMatch(/^console-/m);
  });

  it('reports a missing word, other variables, a selector on a variable and broken syntax at their file and line', () => {
    const dir = makeContentDir();
    const ru = readFileSync(join(dir, 'locales/console.ru.ftl'), 'utf8');
    const en = readFileSync(join(dir, 'locales/console.en.ftl'), 'utf8');
    writeFileSync(
      join(dir, 'locales/console.en.ftl'),
      en
        .replace(/^console-send = .*\n/m, '')
        .replace(/^console-acked = .*$/m, 'console-acked = acknowledged: { $who }')
        .replace(/^console-sign-in = .*$/m, 'console-sign-in = { $n ->\n    [one] in\n   *[other] in\n }')
        .replace(/^console-sign-out = .*$/m, 'console-sign-out = { $broken'),
    );
    const p = problems(dir);
    const after = readFileSync(join(dir, 'locales/console.en.ftl'), 'utf8');
    expect(p).toContain('locales/console.en.ftl:1: missing translation of "console-send"');
    expect(p).toContain(`locales/console.en.ftl:${lineOf(after, 'console-acked')}: "console-acked" uses { $who }; locales/console.ru.ftl:${lineOf(ru, 'console-acked')} uses { $name }`);
    expect(p).toContain(`locales/console.en.ftl:${lineOf(after, 'console-sign-in')}: the console fills { $n } itself: a selector on it cannot be used here`);
    expect(p.some((l) => l.startsWith(`locales/console.en.ftl:${lineOf(after, 'console-sign-out')}: Fluent:`))).toBe(true);
  });

  it('keeps console ids in the console files and a language in both files', () => {
    const dir = makeContentDir();
    const ru = readFileSync(join(dir, 'locales/ru.ftl'), 'utf8');
    writeFileSync(join(dir, 'locales/ru.ftl'), `${ru}console-extra = лишнее\n`);
    writeFileSync(join(dir, 'locales/console.ru.ftl'), `${readFileSync(join(dir, 'locales/console.ru.ftl'), 'utf8')}queue-word = очередь\n`);
    writeFileSync(join(dir, 'locales/console.de.ftl'), readFileSync(join(dir, 'locales/console.en.ftl'), 'utf8'));
    const p = problems(dir);
    expect(p).toContain(`locales/ru.ftl:${ru.split('\n').length}: "console-…" messages live in locales/console.ru.ftl`);
    expect(p.some((l) => /^locales\/console\.ru\.ftl:\d+: a console message's id starts with "console-"$/.test(l))).toBe(true);
    expect(p).toContain('locales/console.de.ftl:1: no locales/de.ftl: a language has both files');
  });

  it('the default language without its console file: every console word is missing there', () => {
    const dir = makeContentDir();
    rmSync(join(dir, 'locales/console.ru.ftl'));
    const p = problems(dir);
    expect(p).toContain('locales/console.ru.ftl:1: missing message "console-login-title"');
  });

  it('a new language is files only: both files make it a language of the console', () => {
    const dir = makeContentDir();
    writeFileSync(join(dir, 'locales/de.ftl'), readFileSync(join(dir, 'locales/en.ftl'), 'utf8').replace(/^lang-name = .*$/m, 'lang-name = Deutsch'));
    writeFileSync(join(dir, 'locales/console.de.ftl'), readFileSync(join(dir, 'locales/console.en.ftl'), 'utf8').replace(/^console-queue = .*$/m, 'console-queue = Warteschlange'));
    const c = loadContent(dir);
    expect(c.i18n.locales.sort()).toEqual(['de', 'en', 'ru']);
    expect(c.i18n.t('de', 'console-queue')).toBe('Warteschlange');
  });

  it('serves a message with the facts filled and the page variables left as {$name}', () => {
    const dir = makeContentDir();
    const ru = readFileSync(join(dir, 'locales/console.ru.ftl'), 'utf8');
    const en = readFileSync(join(dir, 'locales/console.en.ftl'), 'utf8');
    const fact = 'botHours';
    writeFileSync(join(dir, 'locales/console.ru.ftl'), ru.replace(/^console-acked = .*$/m, `console-acked = подтверждено: { $name } ({ $${fact} })`));
    writeFileSync(join(dir, 'locales/console.en.ftl'), en.replace(/^console-acked = .*$/m, `console-acked = acknowledged: { $name } ({ $${fact} })`));
    const c = loadContent(dir);
    const text = c.i18n.template('ru', 'console-acked');
    expect(text).toBe('подтверждено: {$name} (24)');
    expect(c.i18n.template('en', 'console-state-other')).toBe('With counselor: {$name}');
  });
});
