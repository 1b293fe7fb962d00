// Shared helpers for the triage tests: a small content built in memory, temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Content, Intent } from '../../src/content/load.js';
import { Lexicon, compilePhrase, type LexiconEntry } from '../../src/content/lexicon.js';
import type { Risk, Topic } from '../../src/core/taxonomy.js';

export interface MiniIntent {
  id: string;
  topic: Topic;
  risk: Risk;
  ru?: string[];
  en?: string[];
  lexicon?: string[];
  script?: string;
  safetyCheck?: boolean;
}

/** A Content with just what triage reads (intents, lexicon, optional cues). */
export function miniContent(list: MiniIntent[], cues?: Content['cues']): Content {
  const intents: Intent[] = list.map((i) => ({
    id: i.id,
    file: `intents/${i.topic}/${i.id}.yaml`,
    topic: i.topic,
    risk: i.risk,
    script: i.script,
    safetyCheck: i.safetyCheck ?? false,
    examples: { ...(i.ru ? { ru: i.ru } : {}), ...(i.en ? { en: i.en } : {}) } as Record<string, string[]>,
    lexicon: (i.lexicon ? { ru: i.lexicon } : {}) as Record<string, string[]>,
  }));
  const entries: LexiconEntry[] = intents.flatMap((i) =>
    (i.lexicon.ru ?? []).map((phrase) => ({ phrase, lang: 'ru', intent: i.id, risk: i.risk, parts: compilePhrase(phrase) })),
  );
  return {
    intents,
    intentById: new Map(intents.map((i) => [i.id, i])),
    steps: {},
    lexicon: new Lexicon(entries),
    i18n: undefined as unknown as Content['i18n'],
    version: 'test',
    cues,
  };
}

export function cueGroups(groups: Record<string, string[]>): Lexicon {
  return new Lexicon(
    Object.entries(groups).flatMap(([group, phrases]) =>
      phrases.map((phrase) => ({ phrase, lang: 'ru', intent: group, risk: 'none' as Risk, parts: compilePhrase(phrase) })),
    ),
  );
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A small, separable corpus: trains in about a second. */
export const SMALL_INTENTS: MiniIntent[] = [
  {
    id: 'greet',
    topic: 'greeting',
    risk: 'none',
    ru: ['привет', 'здравствуйте', 'добрый день', 'привет бот', 'хай', 'приветик как дела', 'доброе утро'],
    en: ['hello', 'hi there', 'good morning', 'hey bot'],
  },
  {
    id: 'school_marks',
    topic: 'school',
    risk: 'low',
    ru: ['получил двойку по математике', 'плохая оценка за контрольную', 'учительница поставила тройку', 'боюсь экзамена по физике', 'не сдал зачет', 'двойка в дневнике', 'завалил контрольную'],
    en: ['i got a bad grade', 'failed my math test', 'scared of the exam'],
  },
  {
    id: 'suicide_thoughts',
    topic: 'suicide',
    risk: 'high',
    ru: ['не хочу жить', 'хочу умереть', 'думаю покончить с собой', 'лучше бы меня не было', 'хочу исчезнуть навсегда', 'жить не хочется', 'мысли о смерти'],
    en: ['i want to die', 'i do not want to live', 'thinking about killing myself'],
    lexicon: ['не хоч* жить', 'поконч* с собой'],
  },
];
