/**
 * Text preparation applied before the tokenizer, identically in training and at inference
 * (it is harmless for any other Hugging Face model too). The tokenizer's own BertNormalizer
 * then lower-cases and strips accents (ё→е, й→и).
 */

import { detransliterate } from './detranslit.js';

/** Longer messages are cut before the model sees them (the lexicon still reads all of it). */
export const MAX_MODEL_CHARS = 2000;

const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т',
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
};
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** In a word that mixes scripts and is mostly Cyrillic, Latin look-alikes become Cyrillic ("пpивeт"). */
function fixHomoglyphs(word: string): string {
  let cyr = 0;
  let lat = 0;
  for (const ch of word) {
    if (CYRILLIC.test(ch)) cyr++;
    else if (LATIN.test(ch)) lat++;
  }
  if (cyr === 0 || lat === 0 || lat > cyr) return word;
  let out = '';
  for (const ch of word) out += LATIN_TO_CYRILLIC[ch] ?? ch;
  return out;
}

export function prepareText(text: string): string {
  let t = typeof text === 'string' ? text : String(text ?? '');
  if (t.length > MAX_MODEL_CHARS * 2) t = t.slice(0, MAX_MODEL_CHARS * 2);
  t = detransliterate(t.normalize('NFC'))
    // "помогитеееее", "нееет" → one letter; keeps ordinary double letters.
    .replace(/(\p{L})\1{2,}/gu, '$1')
    // "что делать????", "?!?!", "...", "))))" → one mark: every mark is a token of its own, and
    // four of them outweighed the words of a short message (a crisis read as a service question).
    .replace(/[!?.…]{2,}/g, (m) => (m.includes('?') ? '?' : m.includes('!') ? '!' : '.'))
    .replace(/(\p{P})\1+/gu, '$1')
    .replace(/[\p{L}]+/gu, fixHomoglyphs)
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > MAX_MODEL_CHARS ? t.slice(0, MAX_MODEL_CHARS) : t;
}
