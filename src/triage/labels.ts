/**
 * Maps the labels of any Hugging Face text-classification folder to our topics and risks:
 *   - an intent id of ours ("suicide_ideation") → that intent's topic and risk;
 *   - the folder's own `label_meta` (written by our trainer) → topic and risk;
 *   - "topic/risk", "topic:risk", "topic|risk", "topic_risk" ("suicide/high", "self_harm:medium");
 *   - a bare topic ("bullying") → the topic's default risk below;
 *   - a bare risk ("high") → topic other with that risk;
 *   - anything else ("LABEL_3", "neutral") → other / none.
 */
import { RISKS, isRisk, isTopic, type Risk, type Topic } from '../core/taxonomy.js';
import type { Content } from '../content/load.js';

export interface LabelInfo {
  label: string;
  /** Our intent id when the label names one. */
  intent?: string;
  topic: Topic;
  risk: Risk;
  /** How the label was understood (for logs and health checks). */
  via: 'intent' | 'label_meta' | 'topic+risk' | 'topic' | 'risk' | 'unknown';
}

export type LabelMeta = Record<string, { topic: Topic; risk: Risk }>;

/** The risk a topic carries when a model names only the topic (taxonomy.md, typical case). */
export const DEFAULT_TOPIC_RISK: Record<Topic, Risk> = {
  greeting: 'none',
  service_info: 'none',
  suicide: 'high',
  self_harm: 'high',
  violence: 'high',
  sexual_abuse: 'high',
  online_safety: 'medium',
  bullying: 'medium',
  family: 'low',
  school: 'low',
  peers: 'low',
  love: 'low',
  emotions: 'low',
  body_health: 'low',
  substances: 'medium',
  runaway: 'medium',
  parent: 'low',
  other: 'none',
};

const ALIASES: Record<string, string> = {
  selfharm: 'self_harm',
  self_injury: 'self_harm',
  abuse: 'violence',
  sexual_violence: 'sexual_abuse',
  cyberbullying: 'bullying',
  grooming: 'online_safety',
  drugs: 'substances',
  alcohol: 'substances',
  anxiety: 'emotions',
  depression: 'emotions',
  hello: 'greeting',
  low_risk: 'low',
  medium_risk: 'medium',
  high_risk: 'high',
  crisis: 'imminent',
  emergency: 'imminent',
};

function canon(s: string): string {
  const c = s.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return ALIASES[c] ?? c;
}

function asTopic(s: string): Topic | undefined {
  const c = canon(s);
  return isTopic(c) ? c : undefined;
}

function asRisk(s: string): Risk | undefined {
  const c = canon(s);
  return isRisk(c) ? c : undefined;
}

export function mapLabel(label: string, meta: LabelMeta | undefined, content: Content | undefined): LabelInfo {
  const intent = content?.intentById.get(label);
  if (intent) return { label, intent: intent.id, topic: intent.topic, risk: intent.risk, via: 'intent' };
  const m = meta?.[label];
  if (m && isTopic(m.topic) && isRisk(m.risk)) return { label, intent: label, topic: m.topic, risk: m.risk, via: 'label_meta' };

  const parts = label.split(/[/:|]/);
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    const topic = asTopic(a) ?? asTopic(b);
    const risk = asRisk(b) ?? asRisk(a);
    if (topic && risk) return { label, topic, risk, via: 'topic+risk' };
  }
  // "self_harm_high", "suicide-imminent"
  const c = canon(label);
  for (const r of RISKS) {
    if (c.endsWith(`_${r}`)) {
      const topic = asTopic(c.slice(0, -r.length - 1));
      if (topic) return { label, topic, risk: r, via: 'topic+risk' };
    }
  }
  const topic = asTopic(label);
  if (topic) return { label, topic, risk: DEFAULT_TOPIC_RISK[topic], via: 'topic' };
  const risk = asRisk(label);
  if (risk) return { label, topic: 'other', risk, via: 'risk' };
  return { label, topic: 'other', risk: 'none', via: 'unknown' };
}

/** Every label of a model, in id order. */
export function mapLabels(id2label: Record<string, string>, meta: LabelMeta | undefined, content: Content | undefined): LabelInfo[] {
  return Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b)
    .map((id) => mapLabel(id2label[String(id)]!, meta, content));
}
