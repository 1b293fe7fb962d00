import { createHash } from 'node:crypto';
import { FluentParser, Junk, Message, SelectExpression, VariableReference, Visitor } from '@fluent/syntax';
import type { Risk, Topic } from '../core/taxonomy.js';
import { I18n } from './i18n.js';
import { DEFAULT_FACTS, factArgs, type ServiceFacts } from '../core/service-facts.js';
import { Lexicon, compilePhrase, type LexiconEntry } from './lexicon.js';
import { normalizeText } from '../core/text.js';
import { ContentError, type Problem } from './problems.js';
import { keyLineOf, lineOf, parseYaml as readYaml, validate, type YamlFile } from './yaml-file.js';
import { loadCategories } from './categories.js';
import { DEFAULT_TREE, type CategoryTree } from '../core/chi.js';
import { parseExamples } from './examples.js';
import { REPORTS_PAGE_MESSAGES, STUDIO_PAGE_MESSAGES, WEBCHAT_PAGE_MESSAGES } from '../core/page-messages.js';
import { CONSOLE_PAGE_MESSAGES } from '../core/console-messages.js';
import { cuesSchema, intentSchema, scriptsSchema, type CuesFile, type ScriptsFile } from './schema.js';
import { CATEGORIES_PATH, CONSOLE_PREFIX, comparePaths, localeFileOf, messageFile, readContentFiles, type ContentFiles } from './files.js';

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
  // Issue 13: the greeting's "more" step and the questions asked while waiting.
  'privacy-details',
  'btn-privacy',
  'prequeue-age',
  'prequeue-about',
  'prequeue-thanks',
  'queue-position',
  'queue-left',
  'counselor-joined',
  'counselor-left',
  'counselor-handover',
  'conversation-closed',
  'no-counselors',
  'chat-closed',
  'service-hours',
  'emergency-now',
  'crisis-high-closed',
  // "Мне нужна помощь сейчас" pressed (issue 13, item 13): a request, answered as one.
  'help-now',
  'help-now-closed',
  // A blocked identity's answer (src/core/use-cases/blocking.ts).
  'blocked-answer',
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
  // The safety plan (src/core/safety-plan.ts).
  'safety-plan-title',
  'safety-plan-warning-signs',
  'safety-plan-helps',
  'safety-plan-people',
  'safety-plan-places',
  'safety-plan-numbers',
  'safety-plan-always',
  'safety-plan-again',
  'safety-plan-words',
] as const;

/** The variables a message uses, and those a selector branches on. */
function placeablesOf(message: Message): { vars: string[]; selected: string[] } {
  const vars = new Set<string>();
  const selected = new Set<string>();
  class Walk extends Visitor {
    override visitVariableReference(node: VariableReference): void {
      vars.add(node.id.name);
    }
    override visitSelectExpression(node: SelectExpression): void {
      if (node.selector instanceof VariableReference) selected.add(node.selector.id.name);
      this.genericVisit(node);
    }
  }
  new Walk().visit(message);
  return { vars: [...vars].sort(), selected: [...selected] };
}

/** Intent files that loaded without a problem of their own, by path (their text is the key). */
interface CleanIntentFile {
  text: string;
  /** What the content version hashes (the parsed document written back). */
  hashText: string;
  intent: Intent;
  paths: Record<string, (string | number)[][]>;
}
const cleanIntents = new Map<string, CleanIntentFile>();

function missing(file: string, problems: Problem[]): null {
  problems.push({ file, line: 1, message: 'cannot read: the file is missing' });
  return null;
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
 * Reads and validates intents/ and locales/ under root. Throws ContentError listing every problem
 * with its file and line; returns usable content only when there is none.
 */
export function loadContent(root: string, facts: ServiceFacts = DEFAULT_FACTS): Content {
  const { files, problems } = readContentFiles(root);
  return loadContentFiles(files, problems, facts);
}

/**
 * Validates content given as files (a folder read from disk, a version from the store, a draft)
 * with the one set of rules `npm run content:check` applies. Throws ContentError listing every
 * problem (file, line and, where known, the field); returns usable content only when there is none.
 */
export function loadContentFiles(files: ContentFiles, readProblems: Problem[] = [], facts: ServiceFacts = DEFAULT_FACTS): Content {
  const problems: Problem[] = [...readProblems];
  const hash = createHash('sha256');
  const paths = Object.keys(files).sort(comparePaths);
  const idOf = (path: string) => path.slice(path.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');

  // Scripts
  let steps: Record<string, ScriptStep> = {};
  const scriptsPath = 'intents/scripts.yaml';
  const scriptsYaml = files[scriptsPath] === undefined ? missing(scriptsPath, problems) : readYaml(files[scriptsPath], scriptsPath, problems);
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
              field: `steps.${id}.buttons.${i}.goto`,
            });
          }
        });
      }
    }
  }

  // Intents
  const cuesPath = 'intents/cues.yaml';
  const intents: Intent[] = [];
  const seenExamples = new Map<string, string>();
  const intentFiles = paths.filter((f) => /^intents\/.*\.ya?ml$/.test(f) && f !== scriptsPath && f !== cuesPath);
  for (const path of intentFiles) {
    const text = files[path]!;
    // A file read before without problems is not parsed again: a studio version that changes one
    // message reloads in ~0.1 s instead of ~0.8 s (the time the event loop is held on every instance).
    let clean = cleanIntents.get(path);
    if (clean?.text !== text) clean = undefined;
    let y: YamlFile | null = null;
    const yaml = () => (y ??= readYaml(text, path, []))!;
    if (!clean) {
      const before = problems.length;
      y = readYaml(text, path, problems);
      if (!y) continue;
      const doc = y;
      const hashText = doc.doc.toString();
      const data = validate(doc, intentSchema, problems);
      if (!data) {
        hash.update(path).update(hashText);
        continue;
      }
      const parsed = parseExamples(data.examples, data.risk, path, (at, key) => (key ? keyLineOf(doc, at) : lineOf(doc, at)), problems);
      for (const [lang, list] of Object.entries(data.lexicon ?? {})) {
        list.forEach((ph, i) => {
          if (compilePhrase(ph).length === 0 || /\*\S/.test(ph.replace(/\*(\s|$)/g, ''))) {
            problems.push({ file: path, line: lineOf(doc, ['lexicon', lang, i]), message: `bad lexicon phrase "${ph}"`, field: `lexicon.${lang}.${i}` });
          }
        });
      }
      clean = {
        text,
        hashText,
        paths: parsed.paths,
        intent: {
          id: idOf(path),
          file: path,
          topic: data.topic,
          risk: data.risk,
          script: data.script,
          safetyCheck: data.safety_check ?? false,
          examples: parsed.texts,
          risks: parsed.risks,
          lexicon: data.lexicon ?? {},
        },
      };
      if (problems.length === before) cleanIntents.set(path, clean);
    }
    hash.update(path).update(clean.hashText);
    const { intent } = clean;
    const dup = intents.find((i) => i.id === intent.id);
    if (dup) problems.push({ file: path, line: 1, message: `intent id "${intent.id}" already used by ${dup.file}` });
    if (intent.script && !steps[intent.script]) {
      problems.push({ file: path, line: lineOf(yaml(), ['script']), message: `unknown script step "${intent.script}"`, field: 'script' });
    }
    for (const [lang, list] of Object.entries(intent.examples)) {
      list.forEach((ex, i) => {
        const key = `${lang}:${normalizeText(ex)}`;
        const other = seenExamples.get(key);
        if (other) {
          const at = clean.paths[lang]![i]!;
          problems.push({ file: path, line: lineOf(yaml(), at), message: `duplicate example "${ex}" (also in ${other})`, field: at.join('.') });
        } else seenExamples.set(key, path);
      });
    }
    intents.push(intent);
  }
  if (intents.length === 0) problems.push({ file: 'intents', line: 1, message: 'no intents found' });
  const cues = files[cuesPath] !== undefined ? loadCues(readYaml(files[cuesPath], cuesPath, problems), intents, problems, hash) : undefined;

  // Locales: locales/<locale>.ftl and locales/console.<locale>.ftl, both files in the language's bundle.
  const sources = new Map<string, string[]>();
  const ids = new Map<string, string[]>();
  /** Per language: message id → where it is defined and the variables it uses (console files only). */
  const consoleVars = new Map<string, Map<string, { file: string; line: number; vars: string[] }>>();
  const ftlFiles = paths.filter((f) => localeFileOf(f) !== null);
  const parser = new FluentParser({ withSpans: true });
  for (const file of ftlFiles) {
    const text = files[file]!;
    const { locale, console: isConsole } = localeFileOf(file)!;
    hash.update(file).update(text);
    const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
    const resource = parser.parse(text);
    const messageIds = ids.get(locale) ?? [];
    const vars = consoleVars.get(locale) ?? new Map<string, { file: string; line: number; vars: string[] }>();
    for (const entry of resource.body) {
      if (entry instanceof Junk) {
        for (const a of entry.annotations) {
          // The junk starts where the broken message starts: that line is the one to fix.
          const id = /^\s*(-?[a-zA-Z][\w-]*)\s*=/.exec(entry.content)?.[1];
          problems.push({ file, line: lineAt(entry.span?.start ?? a.span?.start ?? 0), message: `Fluent: ${a.message}`, ...(id ? { field: id } : {}) });
        }
      } else if (entry instanceof Message) {
        const id = entry.id.name;
        const line = lineAt(entry.span?.start ?? 0);
        if (messageIds.includes(id)) problems.push({ file, line, message: `message "${id}" defined twice`, field: id });
        messageIds.push(id);
        // The console's ids live in its own files, and only there: the studio finds a message's file by its id.
        if (isConsole !== id.startsWith(CONSOLE_PREFIX)) {
          problems.push({ file, line, field: id, message: isConsole ? `a console message's id starts with "${CONSOLE_PREFIX}"` : `"${CONSOLE_PREFIX}…" messages live in locales/console.${locale}.ftl` });
        }
        if (isConsole) {
          const used = placeablesOf(entry);
          for (const v of used.selected) problems.push({ file, line, field: id, message: `the console fills { $${v} } itself: a selector on it cannot be used here` });
          vars.set(id, { file, line, vars: used.vars });
        }
      }
    }
    if (!sources.has(locale)) sources.set(locale, []);
    sources.get(locale)!.push(text);
    ids.set(locale, messageIds);
    consoleVars.set(locale, vars);
  }
  for (const file of ftlFiles) {
    const { locale, console: isConsole } = localeFileOf(file)!;
    if (isConsole && !ftlFiles.includes(`locales/${locale}.ftl`)) problems.push({ file, line: 1, message: `no locales/${locale}.ftl: a language has both files` });
  }
  const defaultIds = ids.get(DEFAULT_LOCALE);
  if (!defaultIds) {
    problems.push({ file: `locales/${DEFAULT_LOCALE}.ftl`, line: 1, message: 'the default locale file is missing' });
  } else {
    const needed = new Set<string>([...REQUIRED_MESSAGES, ...WEBCHAT_PAGE_MESSAGES, ...STUDIO_PAGE_MESSAGES, ...REPORTS_PAGE_MESSAGES, ...CONSOLE_PAGE_MESSAGES]);
    for (const step of Object.values(steps)) {
      needed.add(step.text);
      for (const b of step.buttons ?? []) needed.add(b.label);
    }
    for (const id of needed) {
      if (!defaultIds.includes(id)) {
        problems.push({ file: messageFile(DEFAULT_LOCALE, id), line: 1, message: `missing message "${id}"`, field: id });
      }
    }
    const defaultVars = consoleVars.get(DEFAULT_LOCALE)!;
    for (const [locale, list] of ids) {
      if (locale === DEFAULT_LOCALE) continue;
      for (const id of defaultIds) {
        if (!list.includes(id)) {
          problems.push({ file: messageFile(locale, id), line: 1, message: `missing translation of "${id}"`, field: id });
        }
      }
      // The console fills variables by name: a translation with other names would show "{$name}".
      for (const [id, own] of consoleVars.get(locale) ?? []) {
        const base = defaultVars.get(id);
        if (!base) continue;
        const same = own.vars.length === base.vars.length && own.vars.every((v) => base.vars.includes(v));
        if (!same) {
          const say = (vs: string[]) => (vs.length ? vs.map((v) => `{ $${v} }`).join(', ') : 'none');
          problems.push({ file: own.file, line: own.line, field: id, message: `"${id}" uses ${say(own.vars)}; ${base.file}:${base.line} uses ${say(base.vars)}` });
        }
      }
    }
  }

  // The CHI category tree: labels are checked against the default locale's messages.
  let categories: CategoryTree = DEFAULT_TREE;
  if (files[CATEGORIES_PATH] !== undefined) {
    const y = readYaml(files[CATEGORIES_PATH], CATEGORIES_PATH, problems);
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
    i18n: I18n.fromSources(sources, DEFAULT_LOCALE, ids, (locale) => factArgs(facts, locale)),
    version: hash.digest('hex').slice(0, 16),
    cues,
    categories,
  };
}
