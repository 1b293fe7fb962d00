/**
 * Triage through a local text-classification model run by @xenova/transformers. Loads any
 * Hugging Face-layout folder (ours from `npm run train`, or one a helpline drops in), never
 * touches the network, and falls back to the lexicon for a message if the model fails.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Content } from '../content/load.js';
import type { TriageResult } from '../core/types.js';
import { decide, type ModelPrediction } from './decide.js';
import { mapLabels, type LabelInfo, type LabelMeta } from './labels.js';
import { RISKS, isRisk, riskRank, type Risk } from '../core/taxonomy.js';
import { hasKnownWord } from './known-words.js';
import { prepareText } from './prepare.js';
import type { Triage, TriageContext } from '../core/ports.js';

interface Scored {
  label: string;
  score: number;
}
type Classifier = ((texts: string | string[], options: { topk: number }) => Promise<Scored[] | Scored[][]>) & {
  dispose?: () => Promise<void>;
  model?: { session?: unknown };
};

export interface ModelInfo {
  dir: string;
  labels: number;
  /** Content version the model was trained from (our folders only). */
  contentVersion?: string;
  /** How many labels mapped to nothing we know (topic other / risk none). */
  unknownLabels: number;
  loadMs: number;
}

let loading: Promise<unknown> = Promise.resolve();

const WARM_UP = ['привет', 'мне очень плохо и страшно, не знаю что делать', 'hello, is this anonymous?', 'получил двойку 😭'];

/** Loads a folder through the library's ordinary local-model path: no hub, no remote files. */
async function loadPipeline(dir: string): Promise<Classifier> {
  const abs = resolve(dir);
  // env is global to the library: serialise loads so two folders cannot cross.
  const run = loading.then(async () => {
    const { env, pipeline } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dirname(abs) + sep;
    const classifier = (await pipeline('text-classification', basename(abs), { quantized: false })) as unknown as Classifier;
    await singleThreaded(classifier, join(abs, 'onnx', 'model.onnx'));
    return classifier;
  });
  loading = run.catch(() => undefined);
  return run;
}

/**
 * transformers.js 2.17 creates the session from a buffer and drops session options, so
 * onnxruntime uses a thread pool across all cores: for a model this small, waking threads costs
 * more than it saves and makes the latency tail long (p99 ≈ 1 ms vs 0.15 ms measured). The same
 * file is opened again with one thread; on any problem the library's own session stays.
 */
async function singleThreaded(classifier: Classifier, file: string): Promise<void> {
  const model = classifier.model;
  if (!model?.session) return;
  try {
    const ort = (await import('onnxruntime-node')).default;
    model.session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch {
    // keep the library's session
  }
}

export class ModelTriage implements Triage {
  readonly name = 'model';
  private labelsFor: Content | null = null;
  private byLabel = new Map<string, LabelInfo>();

  private constructor(
    private classifier: Classifier,
    private id2label: Record<string, string>,
    private meta: LabelMeta | undefined,
    /** Labels of the risk output ("risk:high" → high); empty for a model without one. */
    private riskHead: Map<string, Risk>,
    private content: () => Content,
    readonly info: ModelInfo,
    private onError: (stage: 'model' | 'decide', err: unknown) => void,
  ) {}

  /**
   * Loads the model in `dir` and warms it with one message. Throws (one clear message) when the
   * folder cannot be loaded; classify() itself never throws.
   */
  static async load(dir: string, content: () => Content, onError: (stage: 'model' | 'decide', err: unknown) => void = () => {}): Promise<ModelTriage> {
    const started = performance.now();
    let config: { id2label?: Record<string, string>; label_meta?: LabelMeta; risk_head?: Record<string, string>; triage?: { content_version?: string } };
    try {
      config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    } catch (e) {
      throw new Error(`triage model at ${dir}: cannot read config.json (${(e as Error).message})`, { cause: e });
    }
    if (!config.id2label || Object.keys(config.id2label).length < 2) {
      throw new Error(`triage model at ${dir}: config.json has no id2label with at least two labels`);
    }
    let classifier: Classifier;
    try {
      classifier = await loadPipeline(dir);
    } catch (e) {
      throw new Error(`triage model at ${dir}: cannot load (${(e as Error).message.split('\n')[0]})`, { cause: e });
    }
    const riskHead = new Map<string, Risk>();
    for (const [label, r] of Object.entries(config.risk_head ?? {})) if (isRisk(r)) riskHead.set(label, r);
    const intentLabels = Object.fromEntries(Object.entries(config.id2label).filter(([, l]) => !riskHead.has(l)));
    const labels = mapLabels(intentLabels, config.label_meta, content());
    const t = new ModelTriage(classifier, intentLabels, config.label_meta, riskHead, content, {
      dir: resolve(dir),
      labels: labels.length,
      contentVersion: config.triage?.content_version,
      unknownLabels: labels.filter((l) => l.via === 'unknown').length,
      loadMs: 0,
    }, onError);
    // Warm up: the first runs compile the tokenizer, graph and decision paths.
    for (let i = 0; i < 3; i++) await t.classifyMany(WARM_UP, { priorRisk: 'none' });
    for (const text of WARM_UP) await t.classify(text, { priorRisk: 'none' });
    t.info.loadMs = Math.round(performance.now() - started);
    return t;
  }

  private labelInfo(label: string): LabelInfo {
    const c = this.content();
    if (c !== this.labelsFor) {
      this.byLabel = new Map(mapLabels(this.id2label, this.meta, c).map((l) => [l.label, l]));
      this.labelsFor = c;
    }
    return this.byLabel.get(label) ?? { label, topic: 'other', risk: 'none', via: 'unknown' };
  }

  /** Raw label scores for prepared texts (every label, highest first). */
  async scores(texts: string[]): Promise<Scored[][]> {
    const out = await this.classifier(texts, { topk: 0 });
    return (texts.length === 1 && !Array.isArray(out[0]) ? [out] : out) as Scored[][];
  }

  /**
   * One distribution per output: the intents' scores and the risk output's scores each sum to
   * one half of the pipeline's softmax (onnx-export.ts), so each is renormalised on its own.
   */
  toPrediction(scored: Scored[]): ModelPrediction | null {
    const intents = scored.filter((s) => !this.riskHead.has(s.label));
    if (!intents.length) return null;
    const sum = intents.reduce((a, s) => a + s.score, 0) || 1;
    const alternatives: ModelPrediction[] = intents.map((s) => {
      const l = this.labelInfo(s.label);
      return { label: s.label, score: s.score / sum, intent: l.intent, topic: l.topic, risk: l.risk };
    });
    let riskScores: number[] | undefined;
    if (this.riskHead.size) {
      riskScores = RISKS.map(() => 0);
      for (const s of scored) {
        const r = this.riskHead.get(s.label);
        if (r) riskScores[riskRank(r)]! += s.score;
      }
      const total = riskScores.reduce((a, b) => a + b, 0) || 1;
      riskScores = riskScores.map((p) => p / total);
    }
    return { ...alternatives[0]!, alternatives, riskScores };
  }

  /** `content`: decide with this content's lexicon and rules instead of the live one (the studio's draft). */
  async classify(text: string, ctx: TriageContext, content?: Content): Promise<TriageResult> {
    return (await this.classifyMany([text], ctx, content))[0]!;
  }

  /** Several messages in one model call (throughput); each result as classify() would give. */
  async classifyMany(texts: string[], ctx: TriageContext, override?: Content): Promise<TriageResult[]> {
    const raw = texts.map((t) => (typeof t === 'string' ? t : String(t ?? '')));
    const prepared = raw.map(prepareText);
    const predictions: (ModelPrediction | null)[] = raw.map(() => null);
    let failed = false;
    const content = override ?? this.content();
    const unknown = prepared.map((p) => !hasKnownWord(p, content));
    const todo = prepared.map((p, i) => [p, i] as const).filter(([p, i]) => /[\p{L}\p{N}]/u.test(p) && !unknown[i]);
    if (todo.length) {
      try {
        const scored = await this.scores(todo.map(([p]) => p));
        todo.forEach(([, i], k) => (predictions[i] = this.toPrediction(scored[k] ?? [])));
      } catch (err) {
        failed = true;
        this.onError('model', err);
      }
    }
    return raw.map((t, i) => {
      try {
        const r = decide(t, predictions[i] ?? null, content, ctx.priorRisk, undefined, ctx.asked);
        if (failed) r.reasons.push('model unavailable: lexicon only');
        else if (unknown[i]) r.reasons.push('no word the corpus knows: not read by the model');
        return r;
      } catch (err) {
        this.onError('decide', err);
        return { intent: 'unknown', topic: 'other', risk: ctx.priorRisk, confidence: 0, reasons: ['triage error'] };
      }
    });
  }

  async dispose(): Promise<void> {
    await this.classifier.dispose?.();
  }
}
