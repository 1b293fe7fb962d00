/**
 * The `examples:` block of an intent file, where each example may carry its own risk level.
 * Per language, one of two forms (intents/README.md):
 *
 *   examples:                          examples:
 *     ru:                                ru:
 *       - я попробовал сигарету            low:
 *       - text: курю каждый день             - я попробовал сигарету
 *         risk: medium                     medium:
 *                                            - курю каждый день, без вейпа ломает
 *
 * A plain string is at the intent's own `risk` (so every file written before this still means
 * what it meant). Checked item by item so that every problem names its own line.
 */
import { RISKS, isRisk, type Risk } from '../core/taxonomy.js';
import type { Problem } from './problems.js';

/** One training example with the risk level it was written at. */
export interface IntentExample {
  lang: string;
  text: string;
  risk: Risk;
}

export interface ParsedExamples {
  /** Texts per language, in file order (what the model trains on). */
  texts: Record<string, string[]>;
  /** The risk of each text, same shape as `texts`. */
  risks: Record<string, Risk[]>;
  /** Where each example is, same shape as `texts` (for duplicate reports). */
  paths: Record<string, (string | number)[][]>;
}

const RISK_LIST = RISKS.join(', ');
const LANG = /^[a-z]{2,3}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `examples` (already YAML-parsed). `line(path)` gives the line of a node in the file;
 * problems are pushed with it. Invalid items are skipped (the content is refused anyway).
 */
export function parseExamples(
  raw: Record<string, unknown>,
  intentRisk: Risk,
  file: string,
  line: (path: (string | number)[], key?: boolean) => number,
  problems: Problem[],
): ParsedExamples {
  const out: ParsedExamples = { texts: {}, risks: {}, paths: {} };
  const problem = (path: (string | number)[], message: string) => problems.push({ file, line: line(path), message });
  // A wrong mapping key is reported where the key is written, not where its value starts.
  const keyProblem = (path: (string | number)[], message: string) => problems.push({ file, line: line(path, true), message });
  const add = (lang: string, text: string, risk: Risk, path: (string | number)[]) => {
    (out.texts[lang] ??= []).push(text);
    (out.risks[lang] ??= []).push(risk);
    (out.paths[lang] ??= []).push(path);
  };
  const text = (v: unknown, path: (string | number)[], what: string): string | null => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      problem(path, `${what} must be text`);
      return null;
    }
    const t = String(v).trim();
    if (!t) {
      problem(path, 'empty example');
      return null;
    }
    return t;
  };

  for (const [lang, value] of Object.entries(raw)) {
    const base = ['examples', lang];
    if (!LANG.test(lang)) {
      keyProblem(base, `"${lang}" is not a language code like ru or en`);
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) problem(base, `no examples under ${lang}`);
      value.forEach((item, i) => {
        const path = [...base, i];
        if (isPlainObject(item)) {
          for (const key of Object.keys(item)) {
            if (key !== 'text' && key !== 'risk') keyProblem([...path, key], `unknown key "${key}" in an example (only text and risk)`);
          }
          const t = text(item.text, [...path, 'text'], 'an example with its own risk needs `text:`, which');
          if (!isRisk(item.risk)) {
            problem([...path, 'risk'], item.risk === undefined ? `example needs \`risk:\` (one of: ${RISK_LIST}); or write it as a plain line` : `risk must be one of: ${RISK_LIST} (got "${String(item.risk)}")`);
            return;
          }
          if (t !== null) add(lang, t, item.risk, path);
          return;
        }
        const t = text(item, path, 'an example');
        if (t !== null) add(lang, t, intentRisk, path);
      });
    } else if (isPlainObject(value)) {
      // Grouped by risk level.
      const levels = Object.keys(value);
      if (levels.length === 0) problem(base, `no examples under ${lang}`);
      for (const level of levels) {
        const group = value[level];
        const gpath = [...base, level];
        if (!isRisk(level)) {
          keyProblem(gpath, `"${level}" is not a risk level (one of: ${RISK_LIST})`);
          continue;
        }
        if (!Array.isArray(group) || group.length === 0) {
          problem(gpath, `${lang}.${level} must be a list of examples`);
          continue;
        }
        group.forEach((item, i) => {
          const path = [...gpath, i];
          if (isPlainObject(item)) {
            problem(path, `inside a risk group (${level}) write each example as a plain line; its risk is the group's`);
            return;
          }
          const t = text(item, path, 'an example');
          if (t !== null) add(lang, t, level, path);
        });
      }
    } else {
      problem(base, `${lang} must be a list of examples, or risk levels (${RISK_LIST}) each with a list`);
    }
  }
  return out;
}

/** Every example of an intent with its own risk (an example without one is at the intent's risk). */
export function examplesOf(intent: { risk: Risk; examples: Record<string, string[]>; risks?: Record<string, Risk[]> }): IntentExample[] {
  const out: IntentExample[] = [];
  for (const lang of Object.keys(intent.examples).sort()) {
    intent.examples[lang]!.forEach((text, i) => out.push({ lang, text, risk: intent.risks?.[lang]?.[i] ?? intent.risk }));
  }
  return out;
}
