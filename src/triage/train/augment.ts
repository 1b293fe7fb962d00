/**
 * Training-time noise that children's messages carry: transliterated Russian, typos, repeated
 * letters. All functions take a seeded random source, so training stays deterministic.
 */

/** Mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// Variants children actually type; the first is the most common.
const TRANSLIT: Record<string, string[]> = {
  а: ['a'], б: ['b'], в: ['v', 'w'], г: ['g'], д: ['d'], е: ['e', 'ye'], ё: ['e', 'yo', 'jo'],
  ж: ['zh', 'j', 'g'], з: ['z'], и: ['i'], й: ['y', 'i', 'j'], к: ['k'], л: ['l'], м: ['m'],
  н: ['n'], о: ['o'], п: ['p'], р: ['r'], с: ['s'], т: ['t'], у: ['u'], ф: ['f'],
  х: ['h', 'kh', 'x'], ц: ['c', 'ts'], ч: ['ch', '4'], ш: ['sh', 'w'], щ: ['sch', 'shch', 'sh'],
  ъ: ['', "'"], ы: ['y', 'i'], ь: ['', "'"], э: ['e'], ю: ['yu', 'ju', 'u'], я: ['ya', 'ja', 'a'],
};

/** Russian → Latin script, with one spelling habit chosen per message. */
export function transliterate(text: string, rand: () => number): string {
  const habit = new Map<string, string>();
  let out = '';
  for (const ch of text.toLowerCase()) {
    const options = TRANSLIT[ch];
    if (!options) {
      out += ch;
      continue;
    }
    let v = habit.get(ch);
    if (v === undefined) {
      v = rand() < 0.7 ? options[0]! : options[Math.floor(rand() * options.length)]!;
      habit.set(ch, v);
    }
    out += v;
  }
  return out;
}

const NEIGHBOURS: Record<string, string> = {
  // ЙЦУКЕН rows
  й: 'цф', ц: 'йуы', у: 'цкв', к: 'уеа', е: 'кнп', н: 'гер', г: 'ншо', ш: 'гщл', щ: 'шзд', з: 'щхж', х: 'зъэ',
  ф: 'йыя', ы: 'фвцч', в: 'ыасу', а: 'впкм', п: 'арие', р: 'поен', о: 'рлгт', л: 'одшь', д: 'лжщб', ж: 'дэзю', э: 'жх',
  я: 'фч', ч: 'ясы', с: 'чмв', м: 'сиа', и: 'мтп', т: 'иьр', ь: 'тбл', б: 'ьюд', ю: 'бж',
  // QWERTY rows
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'awdz', d: 'sefx', f: 'drgc', g: 'fthv', h: 'gyjb', j: 'hukn', k: 'jilm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

/** One typo per chosen word: a neighbouring key, a dropped, doubled or swapped letter. */
export function addTypos(text: string, rand: () => number, rate: number): string {
  return text.replace(/\p{L}{3,}/gu, (word) => {
    if (rand() >= rate) return word;
    const cs = [...word];
    // Mostly inside the word: first letters are typed most carefully.
    const i = 1 + Math.floor(rand() * (cs.length - 1));
    const kind = rand();
    if (kind < 0.35) {
      const near = NEIGHBOURS[cs[i]!.toLowerCase()];
      if (near) cs[i] = near[Math.floor(rand() * near.length)]!;
    } else if (kind < 0.6) cs.splice(i, 1);
    else if (kind < 0.8) cs.splice(i, 0, cs[i]!);
    else if (i < cs.length - 1) [cs[i], cs[i + 1]] = [cs[i + 1]!, cs[i]!];
    return cs.join('');
  });
}

/** Messages in capitals, without punctuation, or with stretched letters. */
export function styleNoise(text: string, rand: () => number): string {
  const r = rand();
  if (r < 0.08) return text.toUpperCase();
  if (r < 0.25) return text.replace(/[.,!?;:]+/g, ' ');
  return text;
}
