/**
 * Trains the triage classifier from intents/ and writes a Hugging Face-layout folder:
 *   config.json (model_type bert, id2label, label2id, label_meta, triage: versions and report),
 *   tokenizer.json, tokenizer_config.json, onnx/model.onnx.
 * Pure TypeScript; deterministic for a given seed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve, basename } from 'node:path';
import type { Content, Intent } from '../../content/load.js';
import { RISKS, riskRank } from '../../core/taxonomy.js';
import type { LabelMeta } from '../labels.js';
import { detransliterate } from '../detranslit.js';
import { addTypos, rng, styleNoise, transliterate } from './augment.js';
import { labelsOf, modelContentVersion, samplesOf, split, TRAINER_VERSION, wordCounts, type Sample } from './dataset.js';
import { Net, softmaxInPlace, train, type Example, type NetData, type TrainOptions } from './net.js';
import { runInWorkers } from './workers.js';
import { exportOnnx } from './onnx-export.js';
import { FIRST_POOLED_ID, WordPiece, tokenizerConfigJson, type VocabOptions } from './tokenizer.js';

export interface TrainConfig extends TrainOptions {
  seed: number;
  dim: number;
  hidden: number;
  /** Share of each intent's examples held out to fit the temperature and report calibration. */
  holdout: number;
  /** Per word: chance of a random (stem + rest) segmentation instead of the greedy one. */
  segmentRate: number;
  /** Per example: chance of typos, and per word in such an example: chance of one typo. */
  typoExampleRate: number;
  typoWordRate: number;
  /** Per Russian example: chance of being transliterated to Latin script. */
  translitRate: number;
  /** Transliterated copies of each Russian example counted into the vocabulary. */
  translitVocabCopies: number;
  vocab: Partial<VocabOptions>;
  maxLength: number;
  /** Example weight ∝ (examples of its topic)^-balance: 0 = none, 1 = every topic weighs the same. */
  balance: number;
  /** Shared output weights per topic and per risk level, added to their intents' logits. */
  groupOutputs: boolean;
  /**
   * Prior-shift correction of the logits: 0 keeps the training set's mix of risk levels (half of
   * intents/ is high or imminent, far more than real traffic), 1 makes every risk level equally
   * likely a priori, so an unfamiliar message no longer leans towards crisis by default.
   */
  riskPrior: number;
  /** Linear models trained from successive seeds and averaged (their logits) into one. */
  members: number;
  /**
   * 'member': the calibration run (trained without the held-out split) is also the ensemble's
   * first member, so n members take n runs (in parallel, one round on two cores) instead of n + 1.
   * 'separate': every member sees all examples and the calibration run is extra.
   */
  calibration: 'member' | 'separate';
  /**
   * A second output trained on each example's own risk level; the decision rules read risk from
   * it. false: risk is the intents' risks summed (the model before per-example levels).
   */
  riskHead: boolean;
  /** Prior-shift correction of the risk output (as riskPrior for the intents). */
  riskHeadPrior: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  seed: 42,
  dim: 64,
  hidden: 0,
  epochs: 7,
  batch: 64,
  lr: 0.015,
  weightDecay: 1e-4,
  labelSmoothing: 0.1,
  tokenDropout: 0.1,
  holdout: 0.15,
  segmentRate: 0.3,
  typoExampleRate: 0.3,
  typoWordRate: 0.25,
  translitRate: 0.12,
  translitVocabCopies: 2,
  vocab: {},
  maxLength: 512,
  balance: 0,
  groupOutputs: true,
  riskPrior: 1,
  members: 2,
  calibration: 'member',
  riskHead: true,
  riskLoss: 1,
  riskHeadPrior: 1,
};

export interface Calibration {
  n: number;
  intent_accuracy: number;
  topic_accuracy: number;
  risk_accuracy: number;
  nll_before: number;
  nll_after: number;
  ece_before: number;
  ece_after: number;
  temperature: number;
  risk_temperature: number;
}

export interface TrainReport {
  trainer: string;
  trainer_fingerprint: string;
  content_version: string;
  seed: number;
  labels: number;
  examples: number;
  vocab_size: number;
  /** Held-out figures of the model trained without the held-out part (null if too little data). */
  heldout: Calibration | null;
  temperature: number;
  final_loss: number;
  seconds: number;
  model_bytes: number;
}

export type Log = (message: string) => void;

/** The label of a risk-output class in id2label ("risk:high"): never an intent id (ids have no colon). */
export function riskLabel(risk: string): string {
  return `risk:${risk}`;
}

/** Identifies the trainer and its settings (all but the seed): a model made otherwise is stale. */
export function trainerFingerprint(options: Partial<TrainConfig> = {}): string {
  const { seed: _seed, ...rest } = { ...DEFAULT_TRAIN_CONFIG, ...options };
  const sorted = JSON.stringify(rest, Object.keys(rest).sort());
  return createHash('sha256').update(TRAINER_VERSION).update(sorted).digest('hex').slice(0, 12);
}

interface Built {
  net: Net;
  loss: number;
}

function makeExamples(samples: Sample[], wp: WordPiece, cfg: TrainConfig, rand: () => number, topicOf: (s: Sample) => string): Example[] {
  const perTopic = new Map<string, number>();
  for (const s of samples) perTopic.set(topicOf(s), (perTopic.get(topicOf(s)) ?? 0) + 1);
  const mean = samples.length / Math.max(perTopic.size, 1);
  return samples.map((s) => ({
    label: s.label,
    risk: riskRank(s.risk),
    weight: cfg.balance > 0 ? Math.pow(mean / perTopic.get(topicOf(s))!, cfg.balance) : 1,
    ids: () => {
      let t = s.text;
      // As at inference (prepareText), translit that reads as Russian goes back to Cyrillic.
      if (s.lang === 'ru' && rand() < cfg.translitRate) t = detransliterate(transliterate(t, rand));
      if (rand() < cfg.typoExampleRate) t = addTypos(t, rand, cfg.typoWordRate);
      t = styleNoise(t, rand);
      return wp.encode(t, rand, cfg.segmentRate);
    },
  }));
}

function fit(
  samples: Sample[],
  labels: string[],
  wp: WordPiece,
  cfg: TrainConfig,
  log: Log,
  tag: string,
  intentOf: Map<string, Intent>,
): Built {
  const rand = rng(cfg.seed);
  const topics = [...new Set(labels.map((l) => intentOf.get(l)!.topic))].sort();
  // With a risk output, an intent's own risk says little about its examples: topic groups only.
  const byTopic = labels.map((l) => topics.indexOf(intentOf.get(l)!.topic));
  const byRisk = labels.map((l) => riskRank(intentOf.get(l)!.risk));
  const groups = cfg.groupOutputs ? (cfg.riskHead ? [byTopic] : [byTopic, byRisk]) : undefined;
  const risks = cfg.riskHead ? RISKS.length : 0;
  const net = new Net({ vocab: wp.size, dim: cfg.dim, hidden: cfg.hidden, labels: labels.length, groups, firstPooled: FIRST_POOLED_ID, risks }, rand);
  const topicOf = (s: Sample) => intentOf.get(s.intent)!.topic;
  const examples = makeExamples(samples, wp, cfg, rand, topicOf);
  const loss = train(net, examples, cfg, rand, (epoch, l) => {
    if (epoch === 1 || epoch % 4 === 0 || epoch === cfg.epochs) log(`${tag} epoch ${epoch}/${cfg.epochs} loss ${l.toFixed(3)}`);
  });
  net.fold();
  if (cfg.riskPrior > 0 || cfg.riskHeadPrior > 0) {
    const mass = new Map<string, number>();
    let total = 0;
    for (const ex of examples) {
      const r = intentOf.get(labels[ex.label]!)!.risk;
      mass.set(r, (mass.get(r) ?? 0) + ex.weight);
      total += ex.weight;
    }
    net.logitShift = new Float32Array(labels.map((l) => {
      const m = mass.get(intentOf.get(l)!.risk)! / total;
      return cfg.riskPrior * (Math.log(1 / mass.size) - Math.log(m));
    }));
    if (risks) {
      // The same correction for the risk output, from the examples' own levels.
      const byLevel = new Array<number>(risks).fill(0);
      for (const ex of examples) byLevel[ex.risk!]! += ex.weight;
      const present = byLevel.filter((m) => m > 0).length;
      net.riskShift = new Float32Array(byLevel.map((m) => (m > 0 ? cfg.riskHeadPrior * (Math.log(1 / present) - Math.log(m / total)) : 0)));
    }
  }
  return { net, loss };
}

/** Expected calibration error of the top probability, 15 equal-width bins. */
export function ece(conf: number[], correct: boolean[], bins = 15): number {
  const sum = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  const cnt = new Array<number>(bins).fill(0);
  conf.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    sum[b]! += c;
    acc[b]! += correct[i] ? 1 : 0;
    cnt[b]!++;
  });
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]) e += Math.abs(acc[b]! - sum[b]!) ;
  return e / Math.max(conf.length, 1);
}

function evaluate(logits: Float32Array[], gold: number[], t: number): { nll: number; conf: number[]; pred: number[] } {
  let nll = 0;
  const conf: number[] = [];
  const pred: number[] = [];
  logits.forEach((l, i) => {
    const p = softmaxInPlace(l.map((v) => v / t));
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    nll -= Math.log(Math.max(p[gold[i]!]!, 1e-12));
    conf.push(p[best]!);
    pred.push(best);
  });
  return { nll: nll / Math.max(logits.length, 1), conf, pred };
}

/** Temperature that minimises held-out NLL (golden-section search on log T). */
export function fitTemperature(logits: Float32Array[], gold: number[]): number {
  const f = (logT: number) => evaluate(logits, gold, Math.exp(logT)).nll;
  let a = Math.log(0.25);
  let b = Math.log(8);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 40; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export interface Fitted {
  net: Net;
  wp: WordPiece;
  labels: string[];
  cfg: TrainConfig;
  heldout: Calibration | null;
  loss: number;
  examples: number;
}

/** One training run: the calibration run (on the training split) or one ensemble member (on everything). */
export type FitJob = { kind: 'calibration' } | { kind: 'member'; index: number };

export interface FitJobInput {
  intents: Intent[];
  vocab: string[];
  cfg: TrainConfig;
  job: FitJob;
}

export interface FitJobOutput {
  net: NetData;
  loss: number;
  /** The calibration run's report and fitted temperature. */
  heldout?: Calibration;
}

/**
 * Runs one job, synchronously. Pure and seeded: the same input gives the same net on any thread,
 * so running the jobs in parallel changes nothing but the time.
 */
export function runFitJob(input: FitJobInput, log: Log = () => {}): FitJobOutput {
  const { intents, cfg, job } = input;
  const wp = new WordPiece(input.vocab);
  const labels = labelsOf(intents);
  const samples = samplesOf(intents, labels);
  const intentOf = new Map(intents.map((i) => [i.id, i]));
  if (job.kind === 'member') {
    const tag = cfg.members > 1 ? `final run ${job.index + 1}/${cfg.members}:` : 'final run:';
    const { net, loss } = fit(samples, labels, wp, { ...cfg, seed: cfg.seed + job.index }, log, tag, intentOf);
    return { net: net.toData(), loss };
  }
  const { train: part, held } = split(samples, cfg.holdout, cfg.seed);
  const tag = cfg.calibration === 'member' && cfg.members > 1 ? `calibration run (member 1/${cfg.members}):` : 'calibration run:';
  const { net, loss } = fit(part, labels, wp, cfg, log, tag, intentOf);
  // Calibrate on the held-out split's own prior (the prior shift is applied on top).
  const shift = net.logitShift;
  net.logitShift = null;
  const logits = held.map((s) => net.logits(wp.encode(s.text)));
  net.logitShift = shift;
  const gold = held.map((s) => s.label);
  const temperature = fitTemperature(logits, gold);
  let riskTemperature = 1;
  let riskAccuracy: number | null = null;
  if (net.risks) {
    const rShift = net.riskShift;
    net.riskShift = null;
    const rLogits = held.map((s) => net.riskLogits(wp.encode(s.text)));
    net.riskShift = rShift;
    const rGold = held.map((s) => riskRank(s.risk));
    riskTemperature = fitTemperature(rLogits, rGold);
    riskAccuracy = evaluate(rLogits, rGold, riskTemperature).pred.filter((p, i) => p === rGold[i]).length / held.length;
  }
  const before = evaluate(logits, gold, 1);
  const after = evaluate(logits, gold, temperature);
  const ok = (p: number, i: number) => p === gold[i];
  const meta = (k: number) => intentOf.get(labels[k]!)!;
  const heldout: Calibration = {
    n: held.length,
    intent_accuracy: after.pred.filter(ok).length / held.length,
    topic_accuracy: after.pred.filter((p, i) => meta(p).topic === meta(gold[i]!).topic).length / held.length,
    // Per example: the risk output's level against the example's own level (else the intent's).
    risk_accuracy: riskAccuracy ?? after.pred.filter((p, i) => meta(p).risk === held[i]!.risk).length / held.length,
    nll_before: before.nll,
    nll_after: after.nll,
    ece_before: ece(before.conf, before.pred.map(ok)),
    ece_after: ece(after.conf, after.pred.map(ok)),
    temperature,
    risk_temperature: riskTemperature,
  };
  log(
    `held-out ${held.length}: intent acc ${heldout.intent_accuracy.toFixed(3)}, topic acc ${heldout.topic_accuracy.toFixed(3)}, ` +
      `risk acc ${heldout.risk_accuracy.toFixed(3)}, ECE ${heldout.ece_before.toFixed(3)} → ${heldout.ece_after.toFixed(3)} at T=${temperature.toFixed(2)}`,
  );
  return { net: net.toData(), loss, heldout };
}

/** Threads for training: as configured (TRIAGE_TRAIN_THREADS), else every core (the jobs are independent). */
export function trainThreads(configured?: number): number {
  return configured !== undefined && Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}

/**
 * Learns the vocabulary, fits the temperature on a held-out split (and reports calibration),
 * then trains on everything. The calibration run and the members run in parallel on `threads`
 * worker threads (1 = in this thread). `final: false` stops after the held-out run (experiments).
 */
export async function fitModel(
  content: Pick<Content, 'intents'>,
  options: Partial<TrainConfig> = {},
  log: Log = () => {},
  final = true,
  threads = trainThreads(),
): Promise<Fitted> {
  const cfg: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...options };
  const labels = labelsOf(content.intents);
  if (labels.length < 2) throw new Error('training needs at least two intents');
  const samples = samplesOf(content.intents, labels);
  const wp = WordPiece.learn(wordCounts(samples, cfg.seed, cfg.translitVocabCopies), cfg.vocab);
  log(`${samples.length} examples, ${labels.length} intents, vocabulary ${wp.size}`);

  const calibrate = cfg.holdout > 0 && split(samples, cfg.holdout, cfg.seed).held.length >= 20;
  const shared = calibrate && cfg.calibration === 'member';
  const jobs: FitJob[] = [];
  if (calibrate) jobs.push({ kind: 'calibration' });
  if (final || !calibrate) for (let m = shared ? 1 : 0; m < cfg.members; m++) jobs.push({ kind: 'member', index: m });
  const inputs = jobs.map((job) => ({ intents: content.intents, vocab: wp.vocab, cfg, job }));
  if (threads > 1 && jobs.length > 1) log(`${jobs.length} runs on ${Math.min(threads, jobs.length)} threads`);
  const outputs =
    threads > 1 && jobs.length > 1
      ? await runInWorkers<FitJobInput, FitJobOutput>(new URL('./fit-worker.ts', import.meta.url), inputs, threads, log)
      : inputs.map((input) => runFitJob(input, log));

  // Shared: the calibration run stays in `outputs` as the first member; separate: it is set apart.
  const calibration = calibrate ? (shared ? outputs[0]! : outputs.shift()!) : null;
  const heldout = calibration?.heldout ?? null;
  const temperature = heldout?.temperature ?? 1;
  const riskTemperature = heldout?.risk_temperature ?? 1;
  if (!final && calibration) {
    const heldNet = Net.fromData(calibration.net);
    heldNet.temperature = temperature;
    heldNet.riskTemperature = riskTemperature;
    return { net: heldNet, wp, labels, cfg, heldout, loss: calibration.loss, examples: samples.length };
  }
  const net = averageLogits(outputs.map((o) => Net.fromData(o.net)));
  net.temperature = temperature;
  net.riskTemperature = riskTemperature;
  const loss = outputs.reduce((a, o) => a + o.loss / outputs.length, 0);
  return { net, wp, labels, cfg, heldout, loss, examples: samples.length };
}

/**
 * An ensemble of linear members as one linear model: the members' embeddings side by side and
 * their output weights stacked (divided by their number) give exactly the mean of their logits.
 */
export function averageLogits(members: Net[]): Net {
  if (members.length === 1) return members[0]!;
  const first = members[0]!;
  const { vocab, dim, labels, hidden } = first.shape;
  if (hidden > 0) throw new Error('only linear members can be merged into one model');
  const k = members.length;
  const net = new Net({ ...first.shape, dim: dim * k, groups: undefined }, () => 0.5);
  for (let v = 0; v < vocab; v++) {
    members.forEach((m, i) => net.emb.set(m.emb.subarray(v * dim, (v + 1) * dim), v * dim * k + i * dim));
  }
  members.forEach((m, i) => {
    for (let j = 0; j < m.w2.length; j++) net.w2[i * dim * labels + j] = m.w2[j]! / k;
  });
  for (let l = 0; l < labels; l++) net.b2[l] = members.reduce((a, m) => a + m.b2[l]!, 0) / k;
  net.logitShift = first.logitShift;
  const r = first.risks;
  members.forEach((m, i) => {
    for (let j = 0; j < m.wr.length; j++) net.wr[i * dim * r + j] = m.wr[j]! / k;
  });
  for (let l = 0; l < r; l++) net.br[l] = members.reduce((a, m) => a + m.br[l]!, 0) / k;
  // The risk output reads the intent probabilities: of the merged model here, of each member in
  // training. Their mean weights are close, not exact (the members agree on most messages).
  for (let j = 0; j < net.ur.length; j++) net.ur[j] = members.reduce((a, m) => a + m.ur[j]!, 0) / k;
  net.riskShift = first.riskShift;
  return net;
}

export interface TrainResult {
  report: TrainReport;
  files: Record<string, Uint8Array | string>;
}

/** Trains and returns the folder's files (nothing written). */
export async function trainFiles(content: Pick<Content, 'intents'>, options: Partial<TrainConfig> = {}, log: Log = () => {}, threads = trainThreads()): Promise<TrainResult> {
  const started = performance.now();
  const { net, wp, labels, cfg, heldout, loss, examples } = await fitModel(content, options, log, true, threads);
  const temperature = net.temperature;
  const intentOf = new Map(content.intents.map((i) => [i.id, i]));
  const version = modelContentVersion(content);
  const onnx = exportOnnx(net, FIRST_POOLED_ID, `${TRAINER_VERSION} content ${version}`);

  const outLabels = net.risks ? [...labels, ...RISKS.map(riskLabel)] : labels;
  const labelMeta: LabelMeta = {};
  for (const l of labels) labelMeta[l] = { topic: intentOf.get(l)!.topic, risk: intentOf.get(l)!.risk };
  const report: TrainReport = {
    trainer: TRAINER_VERSION,
    trainer_fingerprint: trainerFingerprint(cfg),
    content_version: version,
    seed: cfg.seed,
    labels: labels.length,
    examples,
    vocab_size: wp.size,
    heldout,
    temperature,
    final_loss: loss,
    seconds: Math.round(performance.now() - started) / 1000,
    model_bytes: onnx.byteLength,
  };
  const config = {
    _name_or_path: 'helpline-triage',
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    problem_type: 'single_label_classification',
    vocab_size: wp.size,
    hidden_size: net.shape.dim,
    max_position_embeddings: cfg.maxLength,
    id2label: Object.fromEntries(outLabels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(outLabels.map((l, i) => [l, i])),
    label_meta: labelMeta,
    // The risk output's labels (the last ones in id2label), each with its level: see riskHead in
    // ModelTriage. A folder without this key has intent labels only (risk follows the intents).
    ...(net.risks ? { risk_head: Object.fromEntries(RISKS.map((r) => [riskLabel(r), r])) } : {}),
    triage: { ...report, config: { ...cfg } },
  };
  return {
    report,
    files: {
      'config.json': JSON.stringify(config, null, 2) + '\n',
      'tokenizer.json': JSON.stringify(wp.toTokenizerJson()),
      'tokenizer_config.json': JSON.stringify(tokenizerConfigJson(cfg.maxLength), null, 2) + '\n',
      'onnx/model.onnx': onnx,
    },
  };
}

/**
 * Writes the files into a fresh sibling folder, then swaps it in, so that a reader never sees a
 * half-written model and a crash leaves the old one in place.
 */
export function writeModelFolder(dir: string, files: Record<string, Uint8Array | string>): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${stamp}`);
  const old = join(dirname(target), `.${basename(target)}.old-${stamp}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    const path = join(tmp, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}

export async function trainModel(content: Pick<Content, 'intents'>, dir: string, options: Partial<TrainConfig> = {}, log: Log = () => {}, threads = trainThreads()): Promise<TrainReport> {
  const { report, files } = await trainFiles(content, options, log, threads);
  writeModelFolder(dir, files);
  log(`wrote ${resolve(dir)} (${(report.model_bytes / 1e6).toFixed(1)} MB) in ${report.seconds.toFixed(1)} s`);
  return report;
}
