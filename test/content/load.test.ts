import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { examplesOf } from '../../src/content/examples.js';
import { modelContentVersion } from '../../src/triage/train/dataset.js';
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

describe('examples with their own risk level', () => {
  it('reads plain lines at the intent risk, items with their own risk, and groups by risk', () => {
    const dir = makeContentDir();
    writeFileSync(
      join(dir, 'intents/greeting/vaping.yaml'),
      [
        'topic: substances',
        'risk: low',
        'examples:',
        '  ru:',
        '    - попробовал сигарету один раз',
        '    - text: парю каждый день, без вейпа ломает',
        '      risk: medium',
        '  en:',
        '    none:',
        '      - homework about the harm of vaping',
        '    imminent:',
        '      - my friend took a lot of pills and is not waking up',
        '',
      ].join('\n'),
    );
    const c = loadContent(dir);
    const vaping = c.intentById.get('vaping')!;
    expect(examplesOf(vaping)).toEqual([
      { lang: 'en', text: 'homework about the harm of vaping', risk: 'none' },
      { lang: 'en', text: 'my friend took a lot of pills and is not waking up', risk: 'imminent' },
      { lang: 'ru', text: 'попробовал сигарету один раз', risk: 'low' },
      { lang: 'ru', text: 'парю каждый день, без вейпа ломает', risk: 'medium' },
    ]);
    // Files written before per-example risk keep their meaning: every example at the intent's risk.
    expect(examplesOf(c.intentById.get('hello')!).map((e) => e.risk)).toEqual(['none', 'none']);
  });

  it('names the line of every bad example', () => {
    const dir = makeContentDir();
    writeFileSync(
      join(dir, 'intents/greeting/bad_levels.yaml'),
      [
        'topic: substances', // 1
        'risk: low', // 2
        'examples:', // 3
        '  ru:', // 4
        '    - text: парю каждый день', // 5
        '      risk: severe', // 6
        '    - text: курю с утра', // 7
        '    - risk: medium', // 8
        '      txt: без вейпа ломает', // 9
        '    - ""', // 10
        '  en:', // 11
        '    hight:', // 12
        '      - i vape every day', // 13
        '    medium:', // 14
        '      - text: i crave it', // 15
        '        risk: high', // 16
        '    low: just one line', // 17
        '  de: 5', // 18
        '',
      ].join('\n'),
    );
    const p = problems(dir);
    const f = 'intents/greeting/bad_levels.yaml';
    expect(p).toContain(`${f}:6: risk must be one of: none, low, medium, high, imminent (got "severe")`);
    expect(p).toContain(`${f}:7: example needs \`risk:\` (one of: none, low, medium, high, imminent); or write it as a plain line`);
    expect(p).toContain(`${f}:9: unknown key "txt" in an example (only text and risk)`);
    expect(p).toContain(`${f}:8: an example with its own risk needs \`text:\`, which must be text`);
    expect(p).toContain(`${f}:10: empty example`);
    expect(p).toContain(`${f}:12: "hight" is not a risk level (one of: none, low, medium, high, imminent)`);
    expect(p).toContain(`${f}:15: inside a risk group (medium) write each example as a plain line; its risk is the group's`);
    expect(p).toContain(`${f}:17: en.low must be a list of examples`);
    expect(p).toContain(`${f}:18: de must be a list of examples, or risk levels (none, low, medium, high, imminent) each with a list`);
  });

  it('one sentence at two levels is a duplicate, reported at its own line', () => {
    const dir = makeContentDir();
    writeFileSync(
      join(dir, 'intents/greeting/twice.yaml'),
      ['topic: substances', 'risk: low', 'examples:', '  ru:', '    low:', '      - курю вейп', '    medium:', '      - Курю вейп!', ''].join('\n'),
    );
    expect(problems(dir)).toContain('intents/greeting/twice.yaml:8: duplicate example "Курю вейп!" (also in intents/greeting/twice.yaml)');
  });

  it('a change of one example risk changes the content version the model is trained from', () => {
    const dir = makeContentDir();
    const file = join(dir, 'intents/greeting/hello.yaml');
    const before = modelContentVersion(loadContent(dir));
    writeFileSync(file, readFileSync(file, 'utf8').replace('    - привет', '    - text: привет\n      risk: low'));
    expect(modelContentVersion(loadContent(dir))).not.toBe(before);
  });
});
