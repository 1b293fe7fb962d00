// Issue 13, item 11: in a crisis answer the number to call comes where a child in panic looks
// first. Imminent: 112 on the first line. High: the helpline first, 112 on the very next line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { REPO } from './fixture.js';

const content = loadContent(REPO);
const term = (locale: string, name: string): string => {
  const m = new RegExp(`^-${name} = (.+)$`, 'm').exec(readFileSync(join(REPO, `locales/${locale}.ftl`), 'utf8'));
  if (!m) throw new Error(`no -${name} in ${locale}.ftl`);
  return m[1]!.trim();
};
const lines = (locale: string, id: string) => content.i18n.t(locale, id).split('\n');

describe('the numbers in crisis answers (item 11)', () => {
  for (const locale of content.i18n.locales) {
    it(`${locale}: imminent answers start with the emergency number`, () => {
      for (const id of ['emergency', 'emergency-now']) expect(lines(locale, id)[0], id).toContain(term(locale, 'emergency'));
    });

    it(`${locale}: high-risk answers give the helpline first and the emergency number on the next line`, () => {
      for (const id of ['crisis-high', 'crisis-high-closed', 'help-now', 'help-now-closed']) {
        const l = lines(locale, id);
        const helpline = l.findIndex((x) => x.includes(term(locale, 'helpline')));
        const emergency = l.findIndex((x) => x.includes(term(locale, 'emergency')));
        expect(helpline, `${id}: helpline line`).toBeGreaterThanOrEqual(0);
        expect(emergency, `${id}: the emergency number right after the helpline`).toBe(helpline + 1);
      }
    });
  }
});
