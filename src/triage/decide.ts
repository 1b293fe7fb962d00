import type { Risk, Topic } from '../core/taxonomy.js';
import { RISKS, maxRisk, riskRank } from '../core/taxonomy.js';
import { compilePhrase } from '../content/lexicon.js';
import { words } from '../core/text.js';
import type { TriageResult } from '../core/types.js';
import type { Content } from '../content/load.js';
import type { TriageContext } from '../core/ports.js';

/** One scored label from a model, already mapped to an intent (or to a bare topic/risk). */
export interface ModelPrediction {
  label: string;
  score: number;
  intent?: string;
  topic: Topic;
  risk: Risk;
  /**
   * Every scored label (the top one included), when the model gives a full distribution.
   * Topic and risk are then decided from summed probabilities rather than the top label alone.
   */
  alternatives?: ModelPrediction[];
  /**
   * The model's own risk distribution (RISKS order), from an output trained on each example's
   * level. When present, risk is read from it instead of from the intents' risks.
   */
  riskScores?: number[];
}

export interface Thresholds {
  /** Below this topic probability the bot asks a clarifying question instead of guessing a topic. */
  minConfidence: number;
  /** P(high or imminent) at or above this escalates, even when another label is on top. */
  escalateAt: number;
  /** P(imminent) at or above this makes the risk imminent. */
  imminentAt: number;
  /** P(high or imminent) at or above this, without escalating, asks the safety question. */
  safetyCheckAt: number;
  /**
   * The model alone escalates only when its crisis topic is at least this likely; below, the
   * message is too unclear to call (risk medium) and the bot asks the safety question instead.
   */
  escalateMinTopic: number;
  /**
   * The model alone escalates only when its best intent is at least this likely: below, it has
   * not recognised the message (a typo-ridden or unfamiliar one spreads over dozens of intents)
   * and the bot asks the safety question instead. Lexicon phrases and cues still escalate.
   * Off (0): on the held-out split 0.15 cut false alarms 0.077 → 0.066 (challenge 0.047 → 0.037)
   * for escalation recall 0.935 → 0.932 (dev 1.000 → 0.986), 0.2 took it to 0.910; a missed
   * crisis costs more than a safety question, so the calm veto and topic rule stay the only ones.
   */
  escalateMinIntent: number;
  // Also measured and not kept: the model alone calling imminent only above a topic probability
  // (an unfamiliar "how do i make my insta private" got P(imminent) 0.40): 0.4 took held-out
  // imminent recall 0.938 → 0.906, 0.5 → 0.875, and removed no false alarm (they stay at high).
  /**
   * P(none or low) at or above this vetoes escalation by summed probability: the model is split
   * between "nothing wrong" and "crisis" (typically a short or unfamiliar message, where the
   * spread-out crisis mass is the prior, not evidence). The bot asks the safety question instead.
   * Lexicon phrases and cues still escalate.
   */
  calmVeto: number;
}

/**
 * Chosen with `npx tsx src/triage/train/experiment-cli.ts FILE.jsonl default --sweep`, which
 * shows each setting on the held-out part of intents/ next to a labelled file: lower escalation
 * thresholds buy recall with false alarms; these sit where escalation recall stays >= 0.94 on
 * the held-out split.
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  minConfidence: 0.25,
  escalateAt: 0.4,
  imminentAt: 0.3,
  safetyCheckAt: 0.25,
  escalateMinTopic: 0.2,
  escalateMinIntent: 0,
  // Held-out split (experiment-cli --sweep): false alarms 0.077 → 0.065 for escalation recall
  // 0.960 → 0.956 (the few crisis messages it stops get the safety question, where "yes" or
  // "don't know" escalates).
  calmVeto: 0.4,
};
/** Model topics at least this likely count for cue rules with `when_topic`. */
const CUE_TOPIC_AT = 0.2;
/** A service question this likely, with a `hypothetical` cue phrase, quotes crisis words rather than says them. */
const QUOTED_TOPIC_AT = 0.4;

interface ModelView {
  intent: string;
  topic: Topic;
  risk: Risk;
  confidence: number;
  safetyCheck: boolean;
  topics: Map<Topic, number>;
  reasons: string[];
}

function fmt(p: number): string {
  return p.toFixed(2);
}

/** Reads a model's distribution as topic, risk and the intent that best fits both. */
function readModel(prediction: ModelPrediction, th: Thresholds): ModelView {
  const all = prediction.alternatives?.length ? prediction.alternatives : [prediction];
  const topics = new Map<Topic, number>();
  const folded = RISKS.map(() => 0);
  for (const p of all) {
    topics.set(p.topic, (topics.get(p.topic) ?? 0) + p.score);
    folded[riskRank(p.risk)]! += p.score;
  }
  const risks = prediction.riskScores?.length === RISKS.length ? prediction.riskScores : folded;
  const pHigh = risks[riskRank('high')]! + risks[riskRank('imminent')]!;
  const pImminent = risks[riskRank('imminent')]!;
  const reasons = [`model: ${prediction.label} ${fmt(prediction.score)}`];

  // Median risk: the lowest level whose cumulative probability reaches one half.
  let risk: Risk | undefined;
  let cumulative = 0;
  for (const r of RISKS) {
    cumulative += risks[riskRank(r)]!;
    if (cumulative >= 0.5) {
      risk = r;
      break;
    }
  }
  risk ??= prediction.risk;
  const pCalm = risks[riskRank('none')]! + risks[riskRank('low')]!;
  const crisis = riskRank(risk) >= riskRank('high') || pHigh >= th.escalateAt || pImminent >= th.imminentAt;
  const split = crisis && pCalm >= th.calmVeto;
  if (split) {
    risk = 'medium';
    reasons.push(`split between calm (${fmt(pCalm)}) and crisis (${fmt(pHigh)})`);
  } else {
    if (pHigh >= th.escalateAt && riskRank(risk) < riskRank('high')) {
      risk = 'high';
      reasons.push(`P(high or imminent) ${fmt(pHigh)}`);
    }
    if (pImminent >= th.imminentAt && risk !== 'imminent') {
      risk = 'imminent';
      reasons.push(`P(imminent) ${fmt(pImminent)}`);
    }
  }

  // Topic: the most probable one; when escalating on intents' risks, the most probable among
  // high-risk intents. With a risk output the intents say the subject only (an intent holds
  // examples at several levels), so the topic is the most probable one outright.
  const ownRisk = risks !== folded;
  const pool = !ownRisk && riskRank(risk) >= riskRank('high') ? all.filter((p) => riskRank(p.risk) >= riskRank('high')) : all;
  const poolTopics = new Map<Topic, number>();
  for (const p of pool.length ? pool : all) poolTopics.set(p.topic, (poolTopics.get(p.topic) ?? 0) + p.score);
  let topic: Topic = prediction.topic;
  let best = -1;
  for (const [t, s] of poolTopics) {
    if (s > best) {
      best = s;
      topic = t;
    }
  }
  const confidence = topics.get(topic) ?? prediction.score;
  let unsure = split;
  if (riskRank(risk) >= riskRank('high') && confidence < th.escalateMinTopic) {
    reasons.push(`too unclear to escalate (${topic} ${fmt(confidence)})`);
    risk = 'medium';
    unsure = true;
  }
  if (riskRank(risk) >= riskRank('high') && prediction.score < th.escalateMinIntent) {
    reasons.push(`not recognised (best intent ${fmt(prediction.score)}): asking`);
    risk = 'medium';
    unsure = true;
  }

  // Intent: the best label of that topic, preferring one whose risk matches the decided risk.
  const inTopic = all.filter((p) => p.topic === topic).sort((a, b) => b.score - a.score);
  const chosen = inTopic.find((p) => p.risk === risk) ?? inTopic[0] ?? prediction;
  const view: ModelView = {
    intent: chosen.intent ?? chosen.label,
    topic,
    risk,
    confidence,
    safetyCheck: unsure || (riskRank(risk) < riskRank('high') && pHigh >= th.safetyCheckAt),
    topics,
    reasons,
  };
  if (confidence < th.minConfidence && riskRank(risk) < riskRank('high')) {
    view.reasons.push(`low confidence (${topic} ${fmt(confidence)})`);
    view.intent = 'unknown';
    view.topic = 'other';
  } else {
    view.reasons.push(`topic: ${topic} ${fmt(confidence)}`);
  }
  return view;
}

/** The message is a closing phrase and at most two other words ("ладно, на сегодня всё, спасибо"). */
function isJustClosing(text: string, cueMatches: { phrase: string; intent: string }[]): boolean {
  const closing = cueMatches.filter((m) => m.intent === 'closing');
  if (!closing.length) return false;
  const longest = Math.max(...closing.map((m) => compilePhrase(m.phrase).length));
  return words(text).length - longest <= 2;
}

/**
 * Combines the model's prediction (if any), the crisis lexicon, the imminent-danger cues and the
 * conversation's earlier risk into one result. Pure: the same inputs always give the same result.
 */
export function decide(
  text: string,
  prediction: ModelPrediction | null,
  content: Content,
  priorRisk: Risk,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  asked?: TriageContext['asked'],
): TriageResult {
  const reasons: string[] = [];
  let intent = 'unknown';
  let topic: Topic = 'other';
  let risk: Risk = 'none';
  let confidence = 0;
  let script: string | undefined;
  let safetyCheck = false;
  const topicsInPlay = new Set<Topic>();

  const adopt = (intentId: string) => {
    const def = content.intentById.get(intentId);
    intent = intentId;
    script = def?.script;
    if (def) {
      topic = def.topic;
      safetyCheck = safetyCheck || def.safetyCheck;
    }
  };

  if (prediction) {
    const m = readModel(prediction, thresholds);
    reasons.push(...m.reasons);
    risk = m.risk;
    confidence = m.confidence;
    safetyCheck = m.safetyCheck;
    if (m.intent !== 'unknown') adopt(m.intent);
    topic = m.topic;
    for (const [t, p] of m.topics) if (p >= CUE_TOPIC_AT) topicsInPlay.add(t);
  }

  const cues = content.cues;
  const cueMatches = cues ? cues.groups.match(text) : [];
  const groups = new Set(cueMatches.map((m) => m.intent));
  const matches = content.lexicon.match(text);
  const top = matches[0];
  // "на сегодня всё", "im going to sleep": everyday ways to end a chat that a bag of words reads
  // as a plan for tonight. The model alone does not escalate them; the bot asks the safety
  // question instead (a lexicon phrase or a cue still escalates).
  if (prediction && !top && riskRank(risk) >= riskRank('high') && isJustClosing(text, cueMatches)) {
    reasons.push('an everyday closing phrase: asking, not escalating');
    risk = 'medium';
    intent = 'unknown';
    topic = 'other';
    script = undefined;
    safetyCheck = true;
  }
  // "что будет если человек напишет что хочет умереть? вы звоните родителям?": a crisis phrase
  // quoted in a question about the service. The model reads it as a service question; the phrase
  // is no floor then, but the bot still asks the safety question (it may be the child's own test).
  const quoted = !!top && prediction !== null && topic === 'service_info' && confidence >= QUOTED_TOPIC_AT && groups.has('hypothetical');
  if (top && quoted) {
    for (const m of matches.slice(0, 5)) reasons.push(`phrase: "${m.phrase}" (in a question about the service)`);
    risk = maxRisk(risk, 'medium');
    safetyCheck = true;
  } else if (top) {
    for (const m of matches.slice(0, 5)) reasons.push(`phrase: "${m.phrase}" → ${m.risk}`);
    for (const m of matches) {
      const t = content.intentById.get(m.intent)?.topic;
      if (t) topicsInPlay.add(t);
    }
    if (riskRank(top.risk) > riskRank(risk) || (intent === 'unknown' && riskRank(top.risk) >= riskRank(risk))) {
      adopt(top.intent);
      risk = maxRisk(risk, top.risk);
      confidence = Math.max(confidence, 0.9);
    }
  }
  topicsInPlay.add(topic);

  if (cues && cues.rules.length) {
    for (const rule of cues.rules) {
      if (!rule.all.every((g) => groups.has(g))) continue;
      if (rule.unless?.some((g) => groups.has(g))) continue;
      if (rule.when_topic && !rule.when_topic.some((t) => topicsInPlay.has(t))) continue;
      if (rule.when_risk && riskRank(risk) < riskRank(rule.when_risk)) continue;
      if (riskRank(rule.risk) <= riskRank(risk)) continue;
      reasons.push(`cue: ${rule.name} → ${rule.risk}`);
      risk = rule.risk;
      if (rule.intent) adopt(rule.intent);
      if (rule.topic) topic = rule.topic;
      confidence = Math.max(confidence, 0.9);
    }
  }

  // Read with the bot's question. Only what the model alone concluded gives way: a crisis phrase
  // or cue still counts, and the earlier risk below is a floor (risk never falls).
  const firm = !!top || reasons.some((r) => r.startsWith('cue: '));
  if (asked === 'safety' && !firm) {
    if (groups.has('figurative')) {
      // "не буквально": the figure of speech explained. The safety question is answered "no".
      reasons.push('answers the safety question: a figure of speech');
      risk = riskRank(risk) > riskRank('medium') ? 'medium' : risk;
      safetyCheck = false;
      const r = finish();
      r.safetyAnswer = 'no';
      return r;
    }
    if (riskRank(risk) >= riskRank('high')) {
      // "нет", "не знаю что сказать": words the model links to the question's subject.
      reasons.push('an answer to the safety question: the model alone does not escalate it');
      risk = 'medium';
    }
    safetyCheck = false;
  }
  if ((asked === 'age' || asked === 'about') && !firm && words(text).length <= 3) {
    // "14", "про себя", "для подруги": an answer, not a subject.
    reasons.push(`an answer to the ${asked} question`);
    intent = 'unknown';
    topic = 'other';
    script = undefined;
    risk = riskRank(risk) > riskRank('low') ? 'none' : risk;
    safetyCheck = false;
  }
  return finish();

  function finish(): TriageResult {
    if (riskRank(priorRisk) > riskRank(risk)) {
      reasons.push(`earlier in conversation: ${priorRisk}`);
      risk = maxRisk(risk, priorRisk);
    }
    if (riskRank(risk) >= riskRank('high')) safetyCheck = false;
    return { intent, topic, risk, confidence, reasons, script, safetyCheck };
  }
}
