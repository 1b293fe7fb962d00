import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { ContentManager } from '../../src/content/manager.js';
import { ContentError, formatProblem } from '../../src/content/problems.js';
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

describe('content loading', () => {
  it('loads the repository content without problems', () => {
    const c = loadContent(REPO);
    expect(c.intents.length).toBeGreaterThan(0);
    expect(c.i18n.locales.sort()).toEqual(['en', 'ru']);
    expect(c.i18n.t('ru', 'helpline-info')).toContain('8-800-2000-122');
    expect(c.i18n.t('en', 'emergency')).toContain('112');
  });

  it('reports an unknown topic and risk with file and line', () => {
    const dir = makeContentDir();
    writeFileSync(join(dir, 'intents/greeting/bad.yaml'), 'topic: greetings\nrisk: extreme\nexamples:\n  ru:\n    - здарова\n');
    const p = problems(dir);
    expect(p.some((l) => l.startsWith('intents/greeting/bad.yaml:1: topic must be one of'))).toBe(true);
    expect(p.some((l) => l.startsWith('intents/greeting/bad.yaml:2: risk must be one of'))).toBe(true);
  });

  it('reports broken YAML, duplicate examples, unknown scripts and script steps pointing nowhere', () => {
    const dir = makeContentDir();
    writeFileSync(join(dir, 'intents/greeting/broken.yaml'), 'topic: greeting\nrisk: none\nexamples:\n  ru: [привет\n');
    writeFileSync(join(dir, 'intents/greeting/dup.yaml'), 'topic: greeting\nrisk: none\nscript: nowhere\nexamples:\n  ru:\n    - здравствуй\n    - ПРИВЕТ!\n');
    const scripts = readFileSync(join(dir, 'intents/scripts.yaml'), 'utf8').replace('goto: about', 'goto: abuot');
    writeFileSync(join(dir, 'intents/scripts.yaml'), scripts);
    const p = problems(dir);
    expect(p.some((l) => /^intents\/greeting\/broken\.yaml:\d+: YAML:/.test(l))).toBe(true);
    expect(p).toContain('intents/greeting/dup.yaml:3: unknown script step "nowhere"');
    // Files load in name order, so the second one seen (hello.yaml, line 6) is the duplicate.
    expect(p).toContain('intents/greeting/hello.yaml:6: duplicate example "привет" (also in intents/greeting/dup.yaml)');
    const line = scripts.split('\n').findIndex((l) => l.includes('abuot')) + 1;
    expect(p).toContain(`intents/scripts.yaml:${line}: button goes to unknown step "abuot"`);
  });

  it('reports a missing translation and a broken Fluent message', () => {
    const dir = makeContentDir();
    const en = readFileSync(join(dir, 'locales/en.ftl'), 'utf8');
    writeFileSync(join(dir, 'locales/en.ftl'), en.replace(/^btn-yes = .*$/m, '').replace(/^btn-no = No$/m, 'btn-no = { $broken'));
    const p = problems(dir);
    expect(p).toContain('locales/en.ftl:1: missing translation of "btn-yes"');
    const line = en.split('\n').findIndex((l) => l.startsWith('btn-no')) + 1;
    expect(p.some((l) => l.startsWith(`locales/en.ftl:${line}: Fluent:`))).toBe(true);
  });

  it('a bad reload is refused and the last good content stays in use', () => {
    const dir = makeContentDir();
    const manager = new ContentManager(dir, pino({ level: 'silent' }));
    const before = manager.current.version;
    writeFileSync(join(dir, 'intents/greeting/hello.yaml'), 'topic: greeting\nrisk: none\nexamples: [oops\n');
    const result = manager.reload();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.file).toBe('intents/greeting/hello.yaml');
    expect(manager.current.version).toBe(before);
    writeFileSync(join(dir, 'intents/greeting/hello.yaml'), 'topic: greeting\nrisk: none\nexamples:\n  ru: [привет, хай]\n');
    expect(manager.reload().ok).toBe(true);
    expect(manager.current.version).not.toBe(before);
  });
});

describe('crisis lexicon', () => {
  const c = loadContent(makeContentDir());
  it('matches Russian word forms, gaps and stretched letters', () => {
    expect(c.lexicon.match('я больше не хочу жить')[0]?.risk).toBe('high');
    expect(c.lexicon.match('НЕ ХОЧУУУУ ЖИТЬ!!!')[0]?.risk).toBe('high');
    expect(c.lexicon.match('думаю покончить с собой')[0]?.phrase).toBe('поконч* с собой');
    expect(c.lexicon.match('хочу покончить уже со всем этим с собой')).toEqual([]);
  });
  it('skips a phrase negated by the word just before it, but not one negated further back', () => {
    expect(c.lexicon.match('я не покончу с собой, не переживайте')).toEqual([]);
    expect(c.lexicon.match('не знаю, может покончить с собой')[0]?.phrase).toBe('поконч* с собой');
    expect(c.lexicon.match('уже не хочу жить')[0]?.phrase).toBe('не хоч* жить');
    expect(c.lexicon.match("i don't want to die, i want it to stop")).toEqual([]);
    expect(c.lexicon.match('i want to die')[0]?.phrase).toBe('want* to die');
  });
  it('does not match unrelated text', () => {
    expect(c.lexicon.match('не хочу идти в школу, жить скучно')).toEqual([]);
    expect(c.lexicon.match('')).toEqual([]);
  });
});
