import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join, relative } from 'node:path';
import { FluentParser, Junk, Message } from '@fluent/syntax';
import type { Risk, Topic } from '../core/taxonomy.js';
import { I18n } from './i18n.js';
import { Lexicon, compilePhrase, type LexiconEntry } from './lexicon.js';
import { normalizeText } from '../core/text.js';
import { ContentError, type Problem } from './problems.js';
import { keyLineOf, lineOf, readYaml, validate, type YamlFile } from './yaml-file.js';
import { loadCategories } from './categories.js';
import { DEFAULT_TREE, type CategoryTree } from '../core/chi.js';
import { parseExamples } from './examples.js';
import { WEBCHAT_PAGE_MESSAGES } from '../core/page-messages.js';
import { cuesSchema, intentSchema, scriptsSchema, type CuesFile, type ScriptsFile } from './schema.js';

export interface Intent {
  id: string;
  file: string;
  topic: Topic;
  risk: Risk;
  script?: string;
  safetyCheck: boolean;
  /** Example texts per language, in file order. */
  examples: Record<string, string[]>;
  /**
   * Each example's own risk level (same shape as `examples`); an example without one is at the
   * intent's `risk`. Absent in hand-built content (tests): then every example is at `risk`.
   */
  risks?: Record<string, Risk[]>;
  lexicon: Record<string, string[]>;
}

export type ScriptStep = ScriptsFile['steps'][string];

/** Imminent-danger cues (intents/cues.yaml): phrase groups matched by a Lexicon whose `intent` is the group name. */
export interface Cues {
  groups: Lexicon;
  rules: CuesFile['rules'];
}

export interface Content {
  intents: Intent[];
  intentById: Map<string, Intent>;
  steps: Record<string, ScriptStep>;
  lexicon: Lexicon;
  i18n: I18n;
  /** Hash of every content file: the model records it to know when it is stale. */
  version: string;
  /** Imminent-danger cue rules; absent when intents/cues.yaml is missing. */
  cues?: Cues;
  /** The CHI category tree (records/categories.yaml); CHI's top level only when the file is absent. */
  categories?: CategoryTree;
}

export const DEFAULT_LOCALE = 'ru';

/** Message ids the code itself uses; every locale must define them. */
export const REQUIRED_MESSAGES = [
  'greeting',
  'menu',
  'emergency',
  'helpline-info',
  'fallback-error',
  'clarify',
  'safety-question',
  'safety-answer-no',
  'queued',
  'queue-position',
  'queue-left',
  'counselor-joined',
  'counselor-left',
  'counselor-handover',
  'conversation-closed',
  'no-counselors',
  'media-not-supported',
  'text-truncated',
  'rate-limited',
  'btn-yes',
  'btn-no',
  'btn-dont-know',
  'btn-leave-queue',
  'btn-counselor',
  'btn-menu',
  'lang-switched',
  'answer-yes-words',
  'answer-no-words',
  'answer-unknown-words',
  // The safety net: a supervisor joining, a child back at their place, the audit log's words.
  'second-counselor-joined',
  'queue-returned',
  'audit-line',
  'audit-line-target',
  'audit-action-other',
] as const;

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...listYaml(abs));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(abs);
  }
  return out;
}

function loadCues(y: YamlFile | null, intents: Intent[], problems: Problem[], hash: ReturnType<typeof createHash>): Cues | undefined {
  if (!y) return undefined;
  hash.update(y.file).update(y.doc.toString());
  const data = validate(y, cuesSchema, problems);
  if (!data) return undefined;
  const entries: LexiconEntry[] = [];
  for (const [group, byLang] of Object.entries(data.groups)) {
    for (const [lang, list] of Object.entries(byLang)) {
      list.forEach((phrase, i) => {
        const parts = compilePhrase(phrase);
        if (parts.length === 0 || /\*\S/.test(phrase.replace(/\*(\s|$)/g, ''))) {
          problems.push({ file: y.file, line: lineOf(y, ['groups', group, lang, i]), message: `bad cue phrase "${phrase}"` });
        } else entries.push({ phrase, lang, intent: group, risk: 'none', parts });
      });
    }
  }
  data.rules.forEach((rule, i) => {
    for (const key of ['all', 'unless'] as const) {
      rule[key]?.forEach((g, j) => {
        if (!data.groups[g]) problems.push({ file: y.file, line: lineOf(y, ['rules', i, key, j]), message: `unknown cue group "${g}"` });
      });
    }
    if (rule.intent && !intents.some((it) => it.id === rule.intent)) {
      problems.push({ file: y.file, line: lineOf(y, ['rules', i, 'intent']), message: `unknown intent "${rule.intent}"` });
    }
  });
  return { groups: new Lexicon(entries), rules: data.rules };
}

/**
 * Reads and validates intents/ and locales/. Throws ContentError listing every problem with its
 * file and line; returns usable content only when there is none.
 */
export function loadContent(root: string): Content {
  const problems: Problem[] = [];
  const hash = createHash('sha256');
  const intentsDir = join(root, 'intents');
  const localesDir = join(root, 'locales');
  const rel = (abs: string) => relative(root, abs) || abs;

  // Scripts
  let steps: Record<string, ScriptStep> = {};
  const scriptsPath = join(intentsDir, 'scripts.yaml');
  const scriptsYaml = readYaml(scriptsPath, rel(scriptsPath), problems);
  if (scriptsYaml) {
    hash.update(scriptsYaml.doc.toString());
    const s = validate(scriptsYaml, scriptsSchema, problems);
    if (s) {
      steps = s.steps;
      for (const [id, step] of Object.entries(steps)) {
        step.buttons?.forEach((b, i) => {
          if (b.goto && !steps[b.goto]) {
            problems.push({
              file: scriptsYaml.file,
              line: lineOf(scriptsYaml, ['steps', id, 'buttons', i, 'goto']),
              message: `button goes to unknown step "${b.goto}"`,
            });
          }
        });
      }
    }
  }

  // Intents
  const cuesPath = join(intentsDir, 'cues.yaml');
  const intents: Intent[] = [];
  const seenExamples = new Map<string, string>();
  let files: string[] = [];
  try {
    files = listYaml(intentsDir).filter((f) => f !== scriptsPath && f !== cuesPath);
  } catch (e) {
    problems.push({ file: 'intents', line: 1, message: `cannot read folder: ${(e as Error).message}` });
  }
  for (const abs of files) {
    const y = readYaml(abs, rel(abs), problems);
    if (!y) continue;
    hash.update(y.file).update(y.doc.toString());
    const data = validate(y, intentSchema, problems);
    if (!data) continue;
    const id = basename(abs).replace(/\.ya?ml$/, '');
    const dup = intents.find((i) => i.id === id);
    if (dup) problems.push({ file: y.file, line: 1, message: `intent id "${id}" already used by ${dup.file}` });
    if (data.script && !steps[data.script]) {
      problems.push({ file: y.file, line: lineOf(y, ['script']), message: `unknown script step "${data.script}"` });
    }
    const parsed = parseExamples(data.examples, data.risk, y.file, (path, key) => (key ? keyLineOf(y, path) : lineOf(y, path)), problems);
    for (const [lang, list] of Object.entries(parsed.texts)) {
      list.forEach((ex, i) => {
        const key = `${lang}:${normalizeText(ex)}`;
        const other = seenExamples.get(key);
        if (other) {
          problems.push({
            file: y.file,
            line: lineOf(y, parsed.paths[lang]![i]!),
            message: `duplicate example "${ex}" (also in ${other})`,
          });
        } else seenExamples.set(key, y.file);
      });
    }
    for (const [lang, list] of Object.entries(data.lexicon ?? {})) {
      list.forEach((ph, i) => {
        if (compilePhrase(ph).length === 0 || /\*\S/.test(ph.replace(/\*(\s|$)/g, ''))) {
          problems.push({ file: y.file, line: lineOf(y, ['lexicon', lang, i]), message: `bad lexicon phrase "${ph}"` });
        }
      });
    }
    intents.push({
      id,
      file: y.file,
      topic: data.topic,
      risk: data.risk,
      script: data.script,
      safetyCheck: data.safety_check ?? false,
      examples: parsed.texts,
      risks: parsed.risks,
      lexicon: data.lexicon ?? {},
    });
  }
  if (intents.length === 0) problems.push({ file: 'intents', line: 1, message: 'no intents found' });
  const cues = existsSync(cuesPath) ? loadCues(readYaml(cuesPath, rel(cuesPath), problems), intents, problems, hash) : undefined;

  // Locales
  const sources = new Map<string, string>();
  const ids = new Map<string, string[]>();
  let ftlFiles: string[] = [];
  try {
    ftlFiles = readdirSync(localesDir)
      .filter((f) => f.endsWith('.ftl'))
      .sort();
  } catch (e) {
    problems.push({ file: 'locales', line: 1, message: `cannot read folder: ${(e as Error).message}` });
  }
  const parser = new FluentParser({ withSpans: true });
  for (const name of ftlFiles) {
    const abs = join(localesDir, name);
    const file = rel(abs);
    const text = readFileSync(abs, 'utf8');
    hash.update(file).update(text);
    const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
    const resource = parser.parse(text);
    const messageIds: string[] = [];
    for (const entry of resource.body) {
      if (entry instanceof Junk) {
        for (const a of entry.annotations) {
          // The junk starts where the broken message starts: that line is the one to fix.
          problems.push({ file, line: lineAt(entry.span?.start ?? a.span?.start ?? 0), message: `Fluent: ${a.message}` });
        }
      } else if (entry instanceof Message) {
        if (messageIds.includes(entry.id.name)) {
          problems.push({ file, line: lineAt(entry.span?.start ?? 0), message: `message "${entry.id.name}" defined twice` });
        }
        messageIds.push(entry.id.name);
      }
    }
    const locale = name.replace(/\.ftl$/, '');
    sources.set(locale, text);
    ids.set(locale, messageIds);
  }
  const defaultIds = ids.get(DEFAULT_LOCALE);
  if (!defaultIds) {
    problems.push({ file: `locales/${DEFAULT_LOCALE}.ftl`, line: 1, message: 'the default locale file is missing' });
  } else {
    const needed = new Set<string>([...REQUIRED_MESSAGES, ...WEBCHAT_PAGE_MESSAGES]);
    for (const step of Object.values(steps)) {
      needed.add(step.text);
      for (const b of step.buttons ?? []) needed.add(b.label);
    }
    for (const id of needed) {
      if (!defaultIds.includes(id)) {
        problems.push({ file: `locales/${DEFAULT_LOCALE}.ftl`, line: 1, message: `missing message "${id}"` });
      }
    }
    for (const [locale, list] of ids) {
      if (locale === DEFAULT_LOCALE) continue;
      for (const id of defaultIds) {
        if (!list.includes(id)) {
          problems.push({ file: `locales/${locale}.ftl`, line: 1, message: `missing translation of "${id}"` });
        }
      }
    }
  }

  // The CHI category tree: labels are checked against the default locale's messages.
  const categoriesPath = join(root, 'records/categories.yaml');
  let categories: CategoryTree = DEFAULT_TREE;
  if (existsSync(categoriesPath)) {
    const y = readYaml(categoriesPath, rel(categoriesPath), problems);
    if (y) {
      hash.update(y.file).update(y.doc.toString());
      categories = loadCategories(y, defaultIds ?? [], problems) ?? DEFAULT_TREE;
    }
  }

  if (problems.length) throw new ContentError(problems);

  const entries: LexiconEntry[] = [];
  for (const intent of intents) {
    for (const [lang, list] of Object.entries(intent.lexicon)) {
      for (const phrase of list) {
        entries.push({ phrase, lang, intent: intent.id, risk: intent.risk, parts: compilePhrase(phrase) });
      }
    }
  }
  return {
    intents,
    intentById: new Map(intents.map((i) => [i.id, i])),
    steps,
    lexicon: new Lexicon(entries),
    i18n: I18n.fromSources(sources, DEFAULT_LOCALE, ids),
    version: hash.digest('hex').slice(0, 16),
    cues,
    categories,
  };
}
