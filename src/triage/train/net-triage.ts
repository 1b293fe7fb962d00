/**
 * A Triage that runs a freshly trained Net in TypeScript, without ONNX: for experiments and
 * tests. Its results equal ModelTriage on the exported folder (test/triage checks that).
 */
import type { Content } from '../../content/load.js';
import type { TriageResult } from '../../core/types.js';
import { decide, type ModelPrediction } from '../decide.js';
import { mapLabel } from '../labels.js';
import { prepareText } from '../prepare.js';
import type { Triage, TriageContext } from '../../core/ports.js';
import type { Net } from './net.js';
import type { WordPiece } from './tokenizer.js';

export class NetTriage implements Triage {
  readonly name = 'net';
  constructor(
    private model: { net: Net; wp: WordPiece; labels: string[] },
    private content: () => Content,
  ) {}

  predict(text: string): ModelPrediction | null {
    const prepared = prepareText(text);
    if (!/[\p{L}\p{N}]/u.test(prepared)) return null;
    const ids = this.model.wp.encode(prepared);
    const probs = this.model.net.probs(ids);
    const content = this.content();
    const alternatives = this.model.labels
      .map((label, k) => {
        const l = mapLabel(label, undefined, content);
        return { label, score: probs[k]!, intent: l.intent, topic: l.topic, risk: l.risk };
      })
      .sort((a, b) => b.score - a.score);
    const riskScores = this.model.net.risks ? [...this.model.net.riskProbs(ids)] : undefined;
    return { ...alternatives[0]!, alternatives, riskScores };
  }

  async classify(text: string, ctx: TriageContext): Promise<TriageResult> {
    return decide(text, this.predict(text), this.content(), ctx.priorRisk, undefined, ctx.asked);
  }
}
