/**
 * Whether a message holds any word the corpus knows. A message of only unknown words ("фывапр
 * олдж", a keyboard mash, a language the corpus lacks) gives the model nothing to read: its output
 * is then the prior, and a prior spread over crisis labels must not escalate. Such a message is
 * read as no topic (the bot asks what the child means); the lexicon still reads it.
 *
 * A word is known when it or its first four letters start a word of intents/ (after the same
 * preparation as the model's input): typos keep their stem ("умиреть" → "умир…"), translit is
 * Cyrillic by then.
 */
import type { Content } from '../content/load.js';
import { prepareText } from './prepare.js';

const PREFIX = 4;
const cache = new WeakMap<Content['intents'], Set<string>>();

/** Words of a text already through prepareText (what the model reads). */
function wordsOf(prepared: string): string[] {
  return prepared.toLowerCase().replace(/ё/g, 'е').match(/\p{L}{2,}/gu) ?? [];
}

function vocabulary(intents: Content['intents']): Set<string> {
  let known = cache.get(intents);
  if (known) return known;
  known = new Set<string>();
  for (const intent of intents) {
    for (const text of Object.values(intent.examples).flat()) {
      for (const w of wordsOf(prepareText(text))) {
        known.add(w);
        if (w.length > PREFIX) known.add(w.slice(0, PREFIX) + '…');
      }
    }
  }
  cache.set(intents, known);
  return known;
}

/**
 * True when at least one word of two letters or more is known to the corpus, or there is none.
 * `prepared`: the message after prepareText, as the model gets it.
 */
export function hasKnownWord(prepared: string, content: Pick<Content, 'intents'>): boolean {
  const words = wordsOf(prepared);
  if (!words.length) return true;
  const known = vocabulary(content.intents);
  return words.some((w) => known.has(w) || (w.length > PREFIX && known.has(w.slice(0, PREFIX) + '…')));
}
