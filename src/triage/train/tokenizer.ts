/**
 * A BERT-style WordPiece tokenizer that we learn from intents/ and save as a Hugging Face
 * `tokenizer.json`. The normaliser and pre-tokeniser here mirror what @xenova/transformers does
 * with that file (digit runs → " 0 ", then BertNormalizer with lowercase + strip accents, BertPreTokenizer, greedy
 * longest-match WordPiece), so that training sees exactly the token ids inference will see.
 */

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const SEP = '[SEP]';
export const MASK = '[MASK]';
/** Special tokens take the first ids in this order; ids >= FIRST_POOLED_ID are real text. */
export const SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK] as const;
export const FIRST_POOLED_ID = SPECIAL_TOKENS.length;
export const CONT = '##';
const MAX_CHARS_PER_WORD = 100;

// --- BertNormalizer (clean_text, handle_chinese_chars, lowercase, strip_accents) ------------
// Mirrors transformers.js 2.17.2 exactly, including its quirks: it tests "Chinese" on the first
// UTF-16 unit, so only the BMP ranges ever apply; \t \n \r count as whitespace, not control.

// eslint-disable-next-line no-control-regex -- NUL is dropped on purpose, as BertNormalizer does
const DROP = /[\u0000\uFFFD]/g;
const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
const WHITESPACE = /\s/g;
const CHINESE = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/g;
const COMBINING = /[\u0300-\u036f]/g;

// Runs of ASCII digits become one " 0 " word: ages, grades, floors and pill counts all look the
// same to the model, so a number alone ("im 12", "t887x0") is no crisis cue.
// Measured (experiment-cli, 85 % split): dev false alarms 0.093 → 0.065, held-out imminent
// recall 0.89 → 0.96, held-out topic accuracy −0.9 pt.
const DIGITS = /\d+/g;
const DIGITS_REPLACE = { type: 'Replace', pattern: { Regex: '\\d+' }, content: ' 0 ' };

export function bertNormalize(text: string): string {
  return text
    .replace(DIGITS, ' 0 ')
    .replace(DROP, '')
    .replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : ''))
    .replace(WHITESPACE, ' ')
    .replace(CHINESE, ' $& ')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING, '');
}

const BERT_NORMALIZER = {
  type: 'BertNormalizer',
  clean_text: true,
  handle_chinese_chars: true,
  strip_accents: null,
  lowercase: true,
};

// --- BertPreTokenizer -----------------------------------------------------------------------

const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');

export function preTokenize(normalized: string): string[] {
  return normalized.trim().match(PRE_TOKEN) ?? [];
}

/** Normalised words of a text, as the tokenizer sees them. */
export function bertWords(text: string): string[] {
  return preTokenize(bertNormalize(text));
}

// --- WordPiece ------------------------------------------------------------------------------

export interface VocabOptions {
  /** Upper bound on the vocabulary size (special tokens included). */
  maxSize: number;
  /** Whole words need this many occurrences; rarer words are left to stems and endings. */
  minWordCount: number;
  /** Word-start pieces (stems) of at least this many characters... */
  minPrefix: number;
  /** ...shared by at least this many distinct words. */
  minPrefixWords: number;
  /** `##` pieces (endings and inner n-grams) up to this many characters... */
  maxSuffix: number;
  /** ...shared by at least this many distinct words. */
  minSuffixWords: number;
}

export const DEFAULT_VOCAB_OPTIONS: VocabOptions = {
  maxSize: 24000,
  minWordCount: 1,
  minPrefix: 3,
  minPrefixWords: 2,
  maxSuffix: 5,
  minSuffixWords: 2,
};

export class WordPiece {
  readonly ids = new Map<string, number>();
  private cache = new Map<string, number[]>();
  /** Longest piece (in code points), to bound the greedy search. */
  private maxLen = 1;

  constructor(readonly vocab: string[]) {
    vocab.forEach((tok, i) => {
      this.ids.set(tok, i);
      const len = [...(tok.startsWith(CONT) ? tok.slice(CONT.length) : tok)].length;
      if (len > this.maxLen) this.maxLen = len;
    });
  }

  get size(): number {
    return this.vocab.length;
  }

  id(token: string): number {
    return this.ids.get(token) ?? this.ids.get(UNK)!;
  }

  /**
   * Learns a vocabulary from words: every character (alone and as `##c`), every word, stems
   * shared by several words, and endings / inner n-grams shared by several words. Deterministic.
   */
  static learn(wordCounts: Map<string, number>, options: Partial<VocabOptions> = {}): WordPiece {
    const opt = { ...DEFAULT_VOCAB_OPTIONS, ...options };
    const chars = new Set<string>();
    const prefixWords = new Map<string, number>();
    const suffixWords = new Map<string, number>();
    for (const word of wordCounts.keys()) {
      const cs = [...word];
      if (cs.length > MAX_CHARS_PER_WORD) continue;
      for (const c of cs) chars.add(c);
      const seenP = new Set<string>();
      for (let k = opt.minPrefix; k < cs.length; k++) seenP.add(cs.slice(0, k).join(''));
      for (const p of seenP) prefixWords.set(p, (prefixWords.get(p) ?? 0) + 1);
      const seenS = new Set<string>();
      for (let start = 1; start < cs.length; start++) {
        for (let len = 2; len <= opt.maxSuffix && start + len <= cs.length; len++) {
          seenS.add(cs.slice(start, start + len).join(''));
        }
      }
      for (const s of seenS) suffixWords.set(s, (suffixWords.get(s) ?? 0) + 1);
    }
    const byFreq = (m: Map<string, number>, min: number) =>
      [...m.entries()]
        .filter(([, n]) => n >= min)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([t]) => t);

    const vocab: string[] = [...SPECIAL_TOKENS];
    const seen = new Set<string>(vocab);
    const add = (t: string) => {
      if (!seen.has(t) && vocab.length < opt.maxSize) {
        seen.add(t);
        vocab.push(t);
      }
    };
    const sortedChars = [...chars].sort();
    for (const c of sortedChars) add(c);
    for (const c of sortedChars) add(CONT + c);
    // Interleave the three kinds so that a size cap trims the rarest of each.
    const words = byFreq(wordCounts, opt.minWordCount).filter((w) => [...w].length <= MAX_CHARS_PER_WORD);
    const prefixes = byFreq(prefixWords, opt.minPrefixWords);
    const suffixes = byFreq(suffixWords, opt.minSuffixWords).map((s) => CONT + s);
    const n = Math.max(words.length, prefixes.length, suffixes.length);
    for (let i = 0; i < n && vocab.length < opt.maxSize; i++) {
      if (i < words.length) add(words[i]!);
      if (i < prefixes.length) add(prefixes[i]!);
      if (i < suffixes.length) add(suffixes[i]!);
    }
    return new WordPiece(vocab);
  }

  /** Greedy longest-match-first, exactly as transformers.js WordPieceTokenizer.encode. */
  encodeWord(word: string): string[] {
    const cs = [...word];
    if (cs.length > MAX_CHARS_PER_WORD) return [UNK];
    const out: string[] = [];
    let start = 0;
    while (start < cs.length) {
      let end = Math.min(cs.length, start + this.maxLen);
      let found: string | null = null;
      while (start < end) {
        let sub = cs.slice(start, end).join('');
        if (start > 0) sub = CONT + sub;
        if (this.ids.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === null) return [UNK];
      out.push(found);
      start = end;
    }
    return out;
  }

  /**
   * A random segmentation: a random in-vocabulary stem, then the rest (itself greedy or random).
   * Teaches stems and endings, so unseen word forms (greedy stem + ending) land near seen ones.
   */
  encodeWordRandom(word: string, rand: () => number): string[] {
    const cs = [...word];
    if (cs.length > MAX_CHARS_PER_WORD) return [UNK];
    const out: string[] = [];
    let start = 0;
    while (start < cs.length) {
      const options: number[] = [];
      for (let end = Math.min(cs.length, start + this.maxLen); end > start; end--) {
        let sub = cs.slice(start, end).join('');
        if (start > 0) sub = CONT + sub;
        if (this.ids.has(sub)) options.push(end);
      }
      if (options.length === 0) return [UNK];
      // Prefer longer pieces, but not always the longest.
      const pick = options.length === 1 || rand() < 0.4 ? 0 : 1 + Math.floor(rand() * Math.min(3, options.length - 1));
      const end = options[Math.min(pick, options.length - 1)]!;
      let piece = cs.slice(start, end).join('');
      if (start > 0) piece = CONT + piece;
      out.push(piece);
      start = end;
    }
    return out;
  }

  /** Token ids of a text without [CLS]/[SEP] (those are never pooled). */
  encode(text: string, rand?: () => number, segmentRate = 0): number[] {
    const ids: number[] = [];
    for (const w of bertWords(text)) {
      if (rand && segmentRate > 0 && rand() < segmentRate) {
        for (const p of this.encodeWordRandom(w, rand)) ids.push(this.id(p));
        continue;
      }
      let cached = this.cache.get(w);
      if (!cached) {
        cached = this.encodeWord(w).map((p) => this.id(p));
        if (this.cache.size > 200_000) this.cache.clear();
        this.cache.set(w, cached);
      }
      for (const id of cached) ids.push(id);
    }
    return ids;
  }

  /** The Hugging Face tokenizers JSON that transformers.js (and the Rust library) load. */
  toTokenizerJson(): object {
    const vocab: Record<string, number> = {};
    this.vocab.forEach((t, i) => (vocab[t] = i));
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL_TOKENS.map((content) => ({
        id: this.id(content),
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: { type: 'Sequence', normalizers: [DIGITS_REPLACE, BERT_NORMALIZER] },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: CLS, type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: SEP, type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: CLS, type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: SEP, type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: SEP, type_id: 1 } },
        ],
        special_tokens: {
          [CLS]: { id: CLS, ids: [this.id(CLS)], tokens: [CLS] },
          [SEP]: { id: SEP, ids: [this.id(SEP)], tokens: [SEP] },
        },
      },
      decoder: { type: 'WordPiece', prefix: CONT, cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: UNK,
        continuing_subword_prefix: CONT,
        max_input_chars_per_word: MAX_CHARS_PER_WORD,
        vocab,
      },
    };
  }
}

export function tokenizerConfigJson(maxLength: number): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: maxLength,
    padding_side: 'right',
    truncation_side: 'right',
    unk_token: UNK,
    sep_token: SEP,
    pad_token: PAD,
    cls_token: CLS,
    mask_token: MASK,
    clean_up_tokenization_spaces: true,
  };
}
