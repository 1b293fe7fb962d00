import type { Risk, Topic } from '../core/taxonomy.js';
import { maxRisk, riskRank } from '../core/taxonomy.js';
import type { TriageResult } from '../core/types.js';
import type { Content } from '../content/load.js';

/** One scored label from a model, already mapped to an intent (or to a bare topic/risk). */
export interface ModelPrediction {
  label: string;
  score: number;
  intent?: string;
  topic: Topic;
  risk: Risk;
}

/** Below this model confidence the bot asks a clarifying question instead of guessing a topic. */
export const MIN_CONFIDENCE = 0.35;

/**
 * Combines the model's prediction (if any), the crisis lexicon and the conversation's earlier
 * risk into one result. Pure: the same inputs always give the same result.
 */
export function decide(text: string, prediction: ModelPrediction | null, content: Content, priorRisk: Risk): TriageResult {
  const reasons: string[] = [];
  let intent = 'unknown';
  let topic: Topic = 'other';
  let risk: Risk = 'none';
  let confidence = 0;
  let script: string | undefined;
  let safetyCheck = false;

  if (prediction) {
    confidence = prediction.score;
    reasons.push(`model: ${prediction.label} ${prediction.score.toFixed(2)}`);
    if (prediction.score >= MIN_CONFIDENCE || riskRank(prediction.risk) >= riskRank('high')) {
      intent = prediction.intent ?? prediction.label;
      topic = prediction.topic;
      risk = prediction.risk;
      const def = prediction.intent ? content.intentById.get(prediction.intent) : undefined;
      script = def?.script;
      safetyCheck = def?.safetyCheck ?? false;
    } else {
      reasons.push('low confidence');
    }
  }

  const matches = content.lexicon.match(text);
  const top = matches[0];
  if (top) {
    for (const m of matches.slice(0, 5)) reasons.push(`phrase: "${m.phrase}" → ${m.risk}`);
    if (riskRank(top.risk) > riskRank(risk)) {
      const def = content.intentById.get(top.intent);
      intent = top.intent;
      risk = top.risk;
      if (def) {
        topic = def.topic;
        script = def.script;
        safetyCheck = def.safetyCheck;
      }
      confidence = Math.max(confidence, 0.9);
    }
  }

  if (riskRank(priorRisk) > riskRank(risk)) {
    reasons.push(`earlier in conversation: ${priorRisk}`);
    risk = maxRisk(risk, priorRisk);
  }
  return { intent, topic, risk, confidence, reasons, script, safetyCheck };
}
