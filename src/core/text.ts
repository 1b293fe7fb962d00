/**
 * Text normalisation shared by the lexicon and the classifier: lower case, ё→е, letters
 * repeated three or more times folded to one, punctuation to spaces.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/[^\p{L}\p{N}*\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function words(text: string): string[] {
  const n = normalizeText(text).replace(/\*/g, '');
  return n ? n.split(' ') : [];
}
