import { createHash } from 'node:crypto';
import type { Content, Intent } from '../../content/load.js';
import { examplesOf } from '../../content/examples.js';
import type { Risk } from '../../core/taxonomy.js';
import { prepareText } from '../prepare.js';
import { detransliterate } from '../detranslit.js';
import { rng, shuffle, transliterate } from './augment.js';
import { bertWords } from './tokenizer.js';

/** Bump when training changes in a way that should retrain every stored model. */
export const TRAINER_VERSION = 'bag-of-wordpieces/5';

export interface Sample {
  text: string;
  lang: string;
  label: number;
  intent: string;
  /** The example's own risk level (the intent's when the file gives none). */
  risk: Risk;
}

/**
 * The version of the training data a model was made from: intent ids, topics, risks and
 * examples (not locales or scripts, which do not change the model).
 */
export function modelContentVersion(content: Pick<Content, 'intents'>): string {
  const h = createHash('sha256').update(TRAINER_VERSION);
  for (const intent of [...content.intents].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    h.update(JSON.stringify([intent.id, intent.topic, intent.risk, examplesOf(intent)]));
  }
  return h.digest('hex').slice(0, 16);
}

export function labelsOf(intents: Intent[]): string[] {
  return intents.map((i) => i.id).sort();
}

export function samplesOf(intents: Intent[], labels: string[]): Sample[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const out: Sample[] = [];
  for (const intent of [...intents].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    for (const ex of examplesOf(intent)) {
      out.push({ text: prepareText(ex.text), lang: ex.lang, label: index.get(intent.id)!, intent: intent.id, risk: ex.risk });
    }
  }
  return out;
}

/** Stratified split: about `fraction` of each intent's examples are held out (none for tiny intents). */
export function split(samples: Sample[], fraction: number, seed: number): { train: Sample[]; held: Sample[] } {
  const rand = rng(seed ^ 0x5eed);
  const byLabel = new Map<number, Sample[]>();
  for (const s of samples) {
    const list = byLabel.get(s.label) ?? [];
    list.push(s);
    byLabel.set(s.label, list);
  }
  const train: Sample[] = [];
  const held: Sample[] = [];
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const list = shuffle([...byLabel.get(label)!], rand);
    const k = list.length >= 5 ? Math.max(1, Math.round(list.length * fraction)) : 0;
    held.push(...list.slice(0, k));
    train.push(...list.slice(k));
  }
  return { train, held };
}

/** Word counts for the vocabulary: the examples, plus transliterated copies of Russian ones. */
export function wordCounts(samples: Sample[], seed: number, translitCopies: number): Map<string, number> {
  const rand = rng(seed ^ 0x7a11);
  const counts = new Map<string, number>();
  const addText = (t: string) => {
    for (const w of bertWords(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  for (const s of samples) {
    addText(s.text);
    if (s.lang === 'ru') for (let i = 0; i < translitCopies; i++) addText(detransliterate(transliterate(s.text, rand)));
  }
  return counts;
}
