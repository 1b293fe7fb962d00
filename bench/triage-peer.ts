/**
 * A peer for the classifier: fastText (Debian package `fasttext`: apt-get install -y fasttext),
 * supervised, word 1–3-grams and char 3–6-grams, trained on the same intents/ corpus (one model for
 * the topic, one for each example's risk), its epoch and learning rate tuned only on a held-out
 * split of intents/ (the split the trainer uses), then retrained on all of intents/. Both are then
 * measured side by side on the dev set and the challenge set, and on three robustness variants of
 * each (typos, Russian in Latin letters, no punctuation or capitals).
 *
 *   npx tsx bench/triage-peer.ts            # TRIAGE_MODEL_DIR or models/triage (trained if absent)
 *
 * fastText reads the same prepared text as the model (prepareText: translit back to Cyrillic,
 * stretched letters, repeated marks), so the comparison is of the learners, not of preparation.
 * fastText gets no lexicon or cues: a plain peer, as the issue measured it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadContent } from '../src/content/load.js';
import { RISKS, TOPICS, type Risk, type Topic } from '../src/core/taxonomy.js';
import type { TriageResult } from '../src/core/types.js';
import { ensureModel } from '../src/triage/ensure-model.js';
import { figures, parseEvalFile, runEval, type EvalOutcome, type EvalRow, type Figures } from '../src/triage/eval.js';
import { ModelTriage } from '../src/triage/model-triage.js';
import { prepareText } from '../src/triage/prepare.js';
import { labelsOf, samplesOf, split } from '../src/triage/train/dataset.js';

const FASTTEXT = process.env.FASTTEXT_BIN ?? '/usr/bin/fasttext';
const SETS = { dev: '../shared/eval/dev.jsonl', challenge: 'test/fixtures/triage-challenge.jsonl', unseen2: 'test/fixtures/triage-unseen-2.jsonl' };

if (!existsSync(FASTTEXT)) {
  console.log(`SKIPPED: fastText is not installed at ${FASTTEXT} (apt-get install -y fasttext, or set FASTTEXT_BIN)`);
  process.exit(0);
}

/** fastText's tokens: lower case, ё as е, every mark a token of its own. */
function ftText(text: string): string {
  return prepareText(text)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/([^\p{L}\p{N}\s])/gu, ' $1 ')
    .replace(/\s+/g, ' ')
    .trim();
}

function writeTrain(file: string, rows: { text: string; label: string }[]): void {
  writeFileSync(file, rows.map((r) => `__label__${r.label} ${ftText(r.text)}`).join('\n') + '\n');
}

interface FtParams {
  epoch: number;
  lr: number;
}

function trainFt(train: string, out: string, p: FtParams): void {
  execFileSync(FASTTEXT, ['supervised', '-input', train, '-output', out, '-epoch', String(p.epoch), '-lr', String(p.lr), '-wordNgrams', '3', '-minn', '3', '-maxn', '6', '-dim', '50', '-bucket', '500000', '-thread', '2', '-seed', '42', '-verbose', '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The top label of each line, in order. */
function predictFt(model: string, texts: string[]): string[] {
  const r = spawnSync(FASTTEXT, ['predict', `${model}.bin`, '-', '1'], { input: texts.map(ftText).join('\n') + '\n', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`fasttext predict failed: ${r.stderr}`);
  return r.stdout.toString().trim().split('\n').map((l) => l.replace('__label__', '').trim());
}

// ---- robustness variants (deterministic) ----
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
function typos(text: string, seed: number): string {
  const r = rng(seed);
  return text.replace(/\p{L}{4,}/gu, (w) => {
    if (r() > 0.35) return w;
    const i = 1 + Math.floor(r() * (w.length - 2));
    return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  });
}
const LAT: Record<string, string> = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya' };
function translit(text: string): string {
  return text.toLowerCase().replace(/[а-яё]/g, (c) => LAT[c] ?? c);
}
function noPunct(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
}
const VARIANTS: Record<string, (rows: EvalRow[]) => EvalRow[]> = {
  original: (rows) => rows,
  typos: (rows) => rows.map((r, i) => ({ ...r, text: typos(r.text, i + 1) })),
  translit: (rows) => rows.filter((r) => r.lang === 'ru').map((r) => ({ ...r, text: translit(r.text) })),
  no_punct: (rows) => rows.map((r) => ({ ...r, text: noPunct(r.text) })),
};

function asOutcomes(rows: EvalRow[], topics: string[], risks: string[]): EvalOutcome[] {
  return rows.map((row, i) => {
    const topic = (TOPICS as readonly string[]).includes(topics[i]!) ? (topics[i] as Topic) : 'other';
    const risk = (RISKS as readonly string[]).includes(risks[i]!) ? (risks[i] as Risk) : 'none';
    const result: TriageResult = { intent: topic, topic, risk, confidence: 1, reasons: [], safetyCheck: false };
    return { row, result, ms: 0 };
  });
}

function line(f: Figures): string {
  const n = (x: number | null) => (x === null ? '  -  ' : x.toFixed(3));
  return `${n(f.escalation_recall)}  ${n(f.imminent_recall)}  ${n(f.false_alarm_rate)}  ${n(f.topic_accuracy)}  ${n(f.risk_accuracy)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const content = loadContent('.');
  const dir = mkdtempSync(join(tmpdir(), 'triage-peer-'));
  try {
    const labels = labelsOf(content.intents);
    const samples = samplesOf(content.intents, labels);
    const topicOf = new Map(content.intents.map((i) => [i.id, i.topic]));
    const asRows = (ss: typeof samples, key: 'topic' | 'risk') => ss.map((s) => ({ text: s.text, label: key === 'topic' ? topicOf.get(s.intent)! : s.risk }));
    const { train, held } = split(samples, 0.15, 42);

    // Tuning on the held-out split of intents/ only.
    const grid: FtParams[] = [
      { epoch: 10, lr: 0.5 },
      { epoch: 25, lr: 0.5 },
      { epoch: 25, lr: 1.0 },
    ];
    const chosen: Record<'topic' | 'risk', FtParams> = { topic: grid[0]!, risk: grid[0]! };
    for (const key of ['topic', 'risk'] as const) {
      writeTrain(join(dir, `${key}-split.txt`), asRows(train, key));
      const truth = asRows(held, key).map((r) => r.label);
      let best = -1;
      for (const p of grid) {
        trainFt(join(dir, `${key}-split.txt`), join(dir, `${key}-split`), p);
        const got = predictFt(join(dir, `${key}-split`), held.map((s) => s.text));
        const acc = got.filter((g, i) => g === truth[i]).length / truth.length;
        process.stderr.write(`[peer] fastText ${key} epoch ${p.epoch} lr ${p.lr}: held-out accuracy ${acc.toFixed(3)}\n`);
        if (acc > best) {
          best = acc;
          chosen[key] = p;
        }
      }
      writeTrain(join(dir, `${key}.txt`), asRows(samples, key));
      trainFt(join(dir, `${key}.txt`), join(dir, key), chosen[key]);
    }

    const modelDir = resolve(process.env.TRIAGE_MODEL_DIR ?? 'models/triage');
    const ensured = await ensureModel(modelDir, content, (m) => process.stderr.write(`[peer] ${m}\n`), { train: 'in-process' });
    const ours = await ModelTriage.load(ensured.dir, () => content);

    console.log(`triage peer bench: ours (${ensured.dir}) vs fastText (topic epoch ${chosen.topic.epoch} lr ${chosen.topic.lr}; risk epoch ${chosen.risk.epoch} lr ${chosen.risk.lr})`);
    console.log('set        variant     n    | ours: esc    imm    FA     topic  risk   | fastText: esc    imm    FA     topic  risk');
    const out: Record<string, unknown> = {};
    for (const [name, file] of Object.entries(SETS)) {
      if (!existsSync(file)) {
        console.log(`${name}: SKIPPED (${file} is absent)`);
        continue;
      }
      const base = parseEvalFile(readFileSync(file, 'utf8'));
      for (const [variant, make] of Object.entries(VARIANTS)) {
        const rows = make(base);
        const a = figures(await runEval(ours, rows));
        const texts = rows.map((r) => r.text);
        const b = figures(asOutcomes(rows, predictFt(join(dir, 'topic'), texts), predictFt(join(dir, 'risk'), texts)));
        console.log(`${name.padEnd(10)} ${variant.padEnd(10)} ${String(rows.length).padStart(4)} | ${line(a)} | ${line(b)}`);
        out[`${name}/${variant}`] = { ours: a, fasttext: b };
      }
    }
    await ours.dispose();
    console.log(`(figures: escalation recall, imminent recall, false alarms, topic accuracy, risk accuracy; ${Math.round((Date.now() - started) / 1000)} s)`);
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).stack);
  process.exit(1);
});
