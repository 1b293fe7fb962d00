import { writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareText } from '../../src/triage/prepare.js';
import { CLS, SEP, WordPiece, bertNormalize, bertWords, tokenizerConfigJson } from '../../src/triage/train/tokenizer.js';
import { tempDir } from './helpers.js';

const words = new Map<string, number>();
for (const w of 'мама папа бьет бьют меня не хочу жить хочется живу таблетки таблетку школа школе школу привет помогите ёлка йогурт hello help me please kill myself'.split(' ')) {
  words.set(w, 3);
}
const wp = WordPiece.learn(new Map([...words].map(([w]) => [bertNormalize(w), 3])));

describe('WordPiece tokenizer', () => {
  const dir = tempDir('triage-tok');
  afterAll(() => dir.remove());

  it('gives exactly the ids transformers.js gives for the saved tokenizer.json', async () => {
    writeFileSync(join(dir.path, 'tokenizer.json'), JSON.stringify(wp.toTokenizerJson()));
    writeFileSync(join(dir.path, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(512)));
    writeFileSync(join(dir.path, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    const { env, AutoTokenizer } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = dirname(dir.path) + sep;
    const tok = await AutoTokenizer.from_pretrained(basename(dir.path));
    const samples = [
      'Мама бьёт меня',
      'НЕ ХОЧУ ЖИТЬ!!!',
      'помогитеееее',
      'ёлка и йогурт',
      'пpивeт (latin look-alikes)',
      'hello, help me please',
      '😭😭😭',
      'школе… школу? школа!',
      'таблетки\tтаблетку\nживу',
      '漢字 и русский',
      'a\u0000b\u200bc\ufffd',
      'x'.repeat(150),
      'мне 12, 9 этаж, t887x0, 2х+5=17, ２０',
      '',
    ];
    for (const text of samples) {
      const ours = [wp.id(CLS), ...wp.encode(text), wp.id(SEP)];
      const theirs = Array.from((tok(text) as { input_ids: { data: BigInt64Array } }).input_ids.data, Number);
      expect(theirs, text).toEqual(ours);
    }
  });

  it('normalises like BertNormalizer: lower case, accents stripped (ё→е, й→и)', () => {
    expect(bertNormalize('ЁЛКА Йод Café')).toBe('елка иод cafe');
    expect(bertWords('Привет, мир!')).toEqual(['привет', ',', 'мир', '!']);
  });

  it('folds every run of digits into one "0" word, so a number alone carries no meaning', () => {
    expect(bertWords('мне 12 и 9 этаж')).toEqual(['мне', '0', 'и', '0', 'этаж']);
    expect(bertWords('t887x0')).toEqual(['t', '0', 'x', '0']);
    expect(bertWords('im 17')).toEqual(bertWords('im 9'));
  });

  it('splits an unseen word form into a known stem and an ending', () => {
    const learned = WordPiece.learn(
      new Map(['таблетки', 'таблетку', 'таблетками', 'школа', 'школу', 'школой'].map((w) => [w, 2])),
    );
    const pieces = learned.encodeWord('таблеткам');
    expect(pieces[0]).toMatch(/^таблетк/);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(1).every((p) => p.startsWith('##'))).toBe(true);
    expect(learned.encode('😭')).toEqual([learned.id('[UNK]')]);
  });

  it('learns the same vocabulary from the same words', () => {
    const a = WordPiece.learn(new Map(words));
    const b = WordPiece.learn(new Map([...words].reverse()));
    expect(a.vocab).toEqual(b.vocab);
  });

  it('random segmentation only produces in-vocabulary pieces that spell the word', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50; i++) {
      const pieces = wp.encodeWordRandom('таблетки', rand);
      expect(pieces.map((p) => p.replace(/^##/, '')).join('')).toBe('таблетки');
      for (const p of pieces) expect(wp.ids.has(p)).toBe(true);
    }
  });
});

describe('prepareText', () => {
  it('folds stretched letters, fixes look-alike letters in Cyrillic words, keeps other text', () => {
    expect(prepareText('помогитеееее')).toBe('помогите');
    expect(prepareText('пpивeт')).toBe('привет');
    expect(prepareText('hello  world')).toBe('hello world');
    expect(prepareText('cool')).toBe('cool');
    expect(prepareText('что делать????')).toBe('что делать?');
    expect(prepareText('серьёзно?!?! ну...  ок))))')).toBe('серьёзно? ну. ок)');
  });

  it('cuts very long text and survives odd input', () => {
    expect(prepareText('а'.repeat(10) + ' б'.repeat(10_000)).length).toBeLessThanOrEqual(2000);
    expect(prepareText(undefined as unknown as string)).toBe('');
    expect(prepareText('')).toBe('');
  });
});
