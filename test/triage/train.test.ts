import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelTriage } from '../../src/triage/model-triage.js';
import { prepareText } from '../../src/triage/prepare.js';
import { addTypos, rng, transliterate } from '../../src/triage/train/augment.js';
import { modelContentVersion } from '../../src/triage/train/dataset.js';
import { Net, softmaxInPlace, train } from '../../src/triage/train/net.js';
import { averageLogits, ece, fitModel, fitTemperature, trainFiles, trainModel } from '../../src/triage/train/train.js';
import { SMALL_INTENTS, miniContent, tempDir } from './helpers.js';

const content = miniContent(SMALL_INTENTS);
const FAST = { epochs: 40, holdout: 0 };

describe('trainer', () => {
  const dir = tempDir('triage-train');
  afterAll(() => dir.remove());

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await trainFiles(content, { ...FAST, seed: 7 });
    const b = await trainFiles(content, { ...FAST, seed: 7 });
    const c = await trainFiles(content, { ...FAST, seed: 8 });
    expect(Buffer.from(a.files['onnx/model.onnx'] as Uint8Array).equals(Buffer.from(b.files['onnx/model.onnx'] as Uint8Array))).toBe(true);
    expect(a.files['tokenizer.json']).toBe(b.files['tokenizer.json']);
    expect(Buffer.from(a.files['onnx/model.onnx'] as Uint8Array).equals(Buffer.from(c.files['onnx/model.onnx'] as Uint8Array))).toBe(false);
  });

  it('writes a Hugging Face folder that transformers.js runs with the same probabilities as training', async () => {
    const fitted = await fitModel(content, FAST);
    const report = await trainModel(content, dir.path, FAST);
    const config = JSON.parse(readFileSync(join(dir.path, 'config.json'), 'utf8'));
    expect(config.model_type).toBe('bert');
    // Intent labels first, then the risk output's five levels.
    expect(Object.values(config.id2label)).toEqual(['greet', 'school_marks', 'suicide_thoughts', 'risk:none', 'risk:low', 'risk:medium', 'risk:high', 'risk:imminent']);
    expect(config.label2id.suicide_thoughts).toBe(2);
    expect(config.risk_head).toEqual({ 'risk:none': 'none', 'risk:low': 'low', 'risk:medium': 'medium', 'risk:high': 'high', 'risk:imminent': 'imminent' });
    expect(config.label_meta.suicide_thoughts).toEqual({ topic: 'suicide', risk: 'high' });
    expect(config.triage.content_version).toBe(modelContentVersion(content));
    expect(report.content_version).toBe(modelContentVersion(content));
    const tokenizer = JSON.parse(readFileSync(join(dir.path, 'tokenizer.json'), 'utf8'));
    expect(tokenizer.normalizer.normalizers.map((n: { type: string }) => n.type)).toEqual(['Replace', 'BertNormalizer']);
    expect(tokenizer.pre_tokenizer.type).toBe('BertPreTokenizer');
    expect(tokenizer.model.type).toBe('WordPiece');
    expect(tokenizer.post_processor.type).toBe('TemplateProcessing');

    const model = await ModelTriage.load(dir.path, () => content);
    for (const text of ['не хочу жить', 'получил двойку', 'привет 😭 мне плохо', 'hello there', 'нечто совсем новое', 'ПРИВЕТ!!!']) {
      const [scored] = await model.scores([prepareText(text)]);
      const ids = fitted.wp.encode(prepareText(text));
      const probs = fitted.net.probs(ids);
      const prediction = model.toPrediction(scored!)!;
      expect(prediction.alternatives).toHaveLength(3);
      for (const s of prediction.alternatives!) {
        const k = fitted.labels.indexOf(s.label);
        expect(s.score, `${text} ${s.label}`).toBeCloseTo(probs[k]!, 4);
      }
      const riskProbs = fitted.net.riskProbs(ids);
      prediction.riskScores!.forEach((p, k) => expect(p, `${text} risk ${k}`).toBeCloseTo(riskProbs[k]!, 4));
    }
    const r = await model.classify('мне очень плохо, не хочу жить', { priorRisk: 'none' });
    expect(r.risk).toBe('high');
    expect(r.topic).toBe('suicide');
    await model.dispose();
  });

  it('trains the ensemble members on worker threads with exactly the result of one thread', async () => {
    const logs: string[] = [];
    const one = await fitModel(content, { ...FAST, members: 2 }, () => {}, true, 1);
    const two = await fitModel(content, { ...FAST, members: 2 }, (m) => logs.push(m), true, 2);
    expect(logs.some((m) => /2 runs on 2 threads/.test(m))).toBe(true);
    expect(logs.some((m) => /final run 2\/2: epoch 40\/40/.test(m))).toBe(true);
    expect(Buffer.from(two.net.emb.buffer).equals(Buffer.from(one.net.emb.buffer))).toBe(true);
    expect(Array.from(two.net.w2)).toEqual(Array.from(one.net.w2));
    expect(two.loss).toBe(one.loss);
  });

  it('learns: the training examples come back with their own intent', async () => {
    const { net, wp, labels } = await fitModel(content, { ...FAST, epochs: 14 });
    let right = 0;
    let n = 0;
    for (const intent of content.intents) {
      for (const text of [...(intent.examples.ru ?? []), ...(intent.examples.en ?? [])]) {
        const p = net.probs(wp.encode(prepareText(text)));
        right += labels[p.indexOf(Math.max(...p))] === intent.id ? 1 : 0;
        n++;
      }
    }
    expect(right / n).toBeGreaterThan(0.9);
  });
});

describe('network and calibration', () => {
  it('gradient steps lower the loss of a tiny problem', () => {
    const rand = rng(1);
    const net = new Net({ vocab: 10, dim: 8, hidden: 0, labels: 2, groups: [[0, 1]] }, rand);
    const examples = [
      { ids: () => [5, 6], label: 0, weight: 1 },
      { ids: () => [7, 8], label: 1, weight: 1 },
    ];
    const opt = { epochs: 1, batch: 2, lr: 0.05, weightDecay: 0, labelSmoothing: 0, tokenDropout: 0 };
    const first = train(net, examples, opt, rand);
    const later = train(net, examples, { ...opt, epochs: 30 }, rand);
    expect(later).toBeLessThan(first);
    const before = net.probs([5, 6]);
    net.fold();
    const after = net.probs([5, 6]);
    expect(after[0]).toBeCloseTo(before[0]!, 5);
  });

  it('merges linear members into one model whose logits are their mean', () => {
    const members = [1, 2, 3].map((seed) => {
      const net = new Net({ vocab: 12, dim: 4, hidden: 0, labels: 3, firstPooled: 2 }, rng(seed));
      net.b2.set([0.1 * seed, -0.2, 0.3]);
      return net;
    });
    const merged = averageLogits(members);
    expect(merged.shape.dim).toBe(12);
    for (const ids of [[2, 3, 4], [5], [0, 1, 7, 11]]) {
      const mean = members.map((m) => m.logits(ids)).reduce((a, l) => a.map((v, i) => v + l[i]! / 3), new Float32Array(3));
      const got = merged.logits(ids);
      for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(mean[i]!, 5);
    }
  });

  it('temperature scaling cools over-confident logits and ECE measures it', () => {
    const rand = rng(3);
    const logits: Float32Array[] = [];
    const gold: number[] = [];
    for (let i = 0; i < 400; i++) {
      const g = Math.floor(rand() * 3);
      // right 70% of the time, always ~99% sure
      const pred = rand() < 0.7 ? g : (g + 1) % 3;
      const l = new Float32Array(3);
      l[pred] = 6;
      logits.push(l);
      gold.push(g);
    }
    const t = fitTemperature(logits, gold);
    expect(t).toBeGreaterThan(1.5);
    const conf = (temp: number) => logits.map((l) => Math.max(...softmaxInPlace(l.map((v) => v / temp))));
    const correct = logits.map((l, i) => l.indexOf(6) === gold[i]);
    expect(ece(conf(t), correct)).toBeLessThan(ece(conf(1), correct));
  });
});

describe('augmentation', () => {
  it('transliterates Russian and makes typos, deterministically', () => {
    expect(transliterate('привет', rng(1))).toMatch(/^pri[vw](e|ye)t$/);
    const a = addTypos('мама бьет меня каждый день', rng(5), 1);
    const b = addTypos('мама бьет меня каждый день', rng(5), 1);
    expect(a).toBe(b);
    expect(a).not.toBe('мама бьет меня каждый день');
  });
});
