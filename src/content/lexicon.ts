import type { Risk } from '../core/taxonomy.js';
import { riskRank } from '../core/taxonomy.js';
import { normalizeText, words } from '../core/text.js';

export interface LexiconEntry {
  phrase: string;
  lang: string;
  intent: string;
  risk: Risk;
  /** Word patterns: exact words, or stems when `prefix` is set. */
  parts: { word: string; prefix: boolean }[];
}

export interface LexiconMatch {
  phrase: string;
  intent: string;
  risk: Risk;
}

/** Neighbouring pattern words may have this many other words between them. */
const MAX_GAP = 2;

/**
 * A phrase right after one of these is negated ("i'm not suicidal", "i don't want to die", "не убью себя") and is no
 * floor; the model still reads the message. Only the word just before counts, so "не знаю, хочу
 * умереть" still matches, and phrases that start with a negation ("не хоч* жить") are unaffected.
 */
const NEGATORS = new Set(['не', 'ни', 'not', 'never', 'dont', 'didnt']);

function negated(ws: string[], i: number): boolean {
  if (i > 0 && NEGATORS.has(ws[i - 1]!)) return true;
  // "don't" and "didn't" arrive as two words ("don t").
  return i > 1 && ws[i - 1] === 't' && (ws[i - 2] === 'don' || ws[i - 2] === 'didn');
}

export function compilePhrase(phrase: string): { word: string; prefix: boolean }[] {
  return normalizeText(phrase)
    .split(' ')
    .filter(Boolean)
    .map((w) => (w.endsWith('*') ? { word: w.replace(/\*+$/, ''), prefix: true } : { word: w, prefix: false }));
}

function partMatches(part: { word: string; prefix: boolean }, word: string): boolean {
  return part.prefix ? word.startsWith(part.word) : word === part.word;
}

function matchesAt(parts: LexiconEntry['parts'], ws: string[], start: number): boolean {
  let pos = start;
  for (let i = 1; i < parts.length; i++) {
    let found = -1;
    for (let j = pos + 1; j <= Math.min(ws.length - 1, pos + 1 + MAX_GAP); j++) {
      if (partMatches(parts[i]!, ws[j]!)) {
        found = j;
        break;
      }
    }
    if (found < 0) return false;
    pos = found;
  }
  return true;
}

/** The crisis lexicon: a risk floor that no model output can lower. */
export class Lexicon {
  private byFirst = new Map<string, LexiconEntry[]>();
  private prefixed: LexiconEntry[] = [];

  constructor(readonly entries: LexiconEntry[]) {
    for (const e of entries) {
      const first = e.parts[0];
      if (!first) continue;
      if (first.prefix) this.prefixed.push(e);
      else {
        const list = this.byFirst.get(first.word) ?? [];
        list.push(e);
        this.byFirst.set(first.word, list);
      }
    }
  }

  /** All matches, highest risk first. */
  match(text: string): LexiconMatch[] {
    const ws = words(text);
    const seen = new Set<string>();
    const out: LexiconMatch[] = [];
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (negated(ws, i)) continue;
      const candidates = [...(this.byFirst.get(w) ?? []), ...this.prefixed.filter((e) => w.startsWith(e.parts[0]!.word))];
      for (const e of candidates) {
        if (seen.has(e.phrase + e.intent)) continue;
        if (matchesAt(e.parts, ws, i)) {
          seen.add(e.phrase + e.intent);
          out.push({ phrase: e.phrase, intent: e.intent, risk: e.risk });
        }
      }
    }
    return out.sort((a, b) => riskRank(b.risk) - riskRank(a.risk));
  }
}
