/**
 * Evaluation of a Triage on labelled lines {"text","lang","risk","topic"}: the figures of the
 * `npm run eval` contract plus confusion tables for people.
 */
import { RISKS, TOPICS, isEscalation, isRisk, isTopic, riskRank, type Risk, type Topic } from '../core/taxonomy.js';
import type { TriageResult } from '../core/types.js';
import type { Triage } from '../core/ports.js';

export interface EvalRow {
  text: string;
  lang: string;
  risk: Risk;
  topic: Topic;
}

export interface Figures {
  n: number;
  escalation_recall: number | null;
  imminent_recall: number | null;
  false_alarm_rate: number | null;
  topic_accuracy: number;
  risk_accuracy: number;
  /** Predicted risk below the true one, among true high/imminent. */
  under_triage_rate: number | null;
  /** Risk off by at most one level. */
  risk_within_one: number;
  /** Share of none/low messages for which the bot would ask the safety question. */
  safety_check_rate_low: number | null;
  /** Calibration of the reported confidence against topic correctness (15 bins). */
  topic_ece: number;
  latency_ms_p50: number;
  latency_ms_p99: number;
}

export interface EvalOutcome {
  row: EvalRow;
  result: TriageResult;
  ms: number;
}

export interface EvalReport extends Figures {
  by_lang: Record<string, Figures>;
}

/** Parses JSONL; throws with the line number on a bad line. */
export function parseEvalFile(text: string): EvalRow[] {
  const rows: EvalRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: Partial<EvalRow>;
    try {
      o = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    if (typeof o.text !== 'string' || !isRisk(o.risk) || !isTopic(o.topic)) throw new Error(`line ${i + 1}: needs text, risk, topic`);
    rows.push({ text: o.text, lang: typeof o.lang === 'string' ? o.lang : 'unknown', risk: o.risk, topic: o.topic });
  });
  return rows;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

const ratio = (a: number, b: number): number | null => (b ? a / b : null);

export function figures(outcomes: EvalOutcome[]): Figures {
  const esc = outcomes.filter((o) => isEscalation(o.row.risk));
  const imm = outcomes.filter((o) => o.row.risk === 'imminent');
  const calm = outcomes.filter((o) => riskRank(o.row.risk) <= riskRank('low'));
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const bins = 15;
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  for (const o of outcomes) {
    const c = Math.min(1, Math.max(0, o.result.confidence));
    const b = Math.min(bins - 1, Math.floor(c * bins));
    conf[b]! += c;
    acc[b]! += o.result.topic === o.row.topic ? 1 : 0;
  }
  const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);
  return {
    n: outcomes.length,
    escalation_recall: r4(ratio(esc.filter((o) => isEscalation(o.result.risk)).length, esc.length)),
    imminent_recall: r4(ratio(imm.filter((o) => o.result.risk === 'imminent').length, imm.length)),
    false_alarm_rate: r4(ratio(calm.filter((o) => isEscalation(o.result.risk)).length, calm.length)),
    topic_accuracy: r4(ratio(outcomes.filter((o) => o.result.topic === o.row.topic).length, outcomes.length) ?? 0)!,
    risk_accuracy: r4(ratio(outcomes.filter((o) => o.result.risk === o.row.risk).length, outcomes.length) ?? 0)!,
    under_triage_rate: r4(ratio(esc.filter((o) => riskRank(o.result.risk) < riskRank(o.row.risk)).length, esc.length)),
    risk_within_one: r4(
      ratio(outcomes.filter((o) => Math.abs(riskRank(o.result.risk) - riskRank(o.row.risk)) <= 1).length, outcomes.length) ?? 0,
    )!,
    safety_check_rate_low: r4(ratio(calm.filter((o) => o.result.safetyCheck && !isEscalation(o.result.risk)).length, calm.length)),
    topic_ece: r4(conf.reduce((e, c, b) => e + Math.abs(acc[b]! - c), 0) / Math.max(outcomes.length, 1))!,
    latency_ms_p50: Math.round(quantile(ms, 0.5) * 1000) / 1000,
    latency_ms_p99: Math.round(quantile(ms, 0.99) * 1000) / 1000,
  };
}

/** Classifies every row one at a time (as messages arrive), timing each. */
export async function runEval(triage: Triage, rows: EvalRow[]): Promise<EvalOutcome[]> {
  const out: EvalOutcome[] = [];
  for (const row of rows) {
    const t0 = performance.now();
    const result = await triage.classify(row.text, { priorRisk: 'none', locale: row.lang });
    out.push({ row, result, ms: performance.now() - t0 });
  }
  return out;
}

export function report(outcomes: EvalOutcome[]): EvalReport {
  const langs = [...new Set(outcomes.map((o) => o.row.lang))].sort();
  return {
    ...figures(outcomes),
    by_lang: Object.fromEntries(langs.map((l) => [l, figures(outcomes.filter((o) => o.row.lang === l))])),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length);
}

/** Human-readable tables: risk confusion, per-topic accuracy, worst topic confusions, misses. */
export function tables(outcomes: EvalOutcome[], verbose = false): string {
  const lines: string[] = [];
  lines.push('risk confusion (rows: true, columns: predicted)');
  lines.push(pad('', 10) + RISKS.map((r) => pad(r, 9)).join(''));
  for (const t of RISKS) {
    const row = RISKS.map((p) => String(outcomes.filter((o) => o.row.risk === t && o.result.risk === p).length));
    lines.push(pad(t, 10) + row.map((c) => pad(c, 9)).join(''));
  }
  lines.push('', 'topic accuracy');
  for (const t of TOPICS) {
    const mine = outcomes.filter((o) => o.row.topic === t);
    if (!mine.length) continue;
    const ok = mine.filter((o) => o.result.topic === t).length;
    lines.push(`  ${pad(t, 14)} ${ok}/${mine.length}`);
  }
  const pairs = new Map<string, number>();
  for (const o of outcomes) {
    if (o.result.topic !== o.row.topic) {
      const k = `${o.row.topic} → ${o.result.topic}`;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
  }
  lines.push('', 'most frequent topic confusions (true → predicted)');
  for (const [k, n] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${n}× ${k}`);
  const misses = outcomes.filter(
    (o) => (isEscalation(o.row.risk) && riskRank(o.result.risk) < riskRank(o.row.risk)) || (!isEscalation(o.row.risk) && isEscalation(o.result.risk) && riskRank(o.row.risk) <= 1),
  );
  if (misses.length) {
    lines.push('', 'escalation misses and false alarms (true → predicted)');
    for (const o of misses) {
      lines.push(`  ${o.row.topic}/${o.row.risk} → ${o.result.topic}/${o.result.risk}  ${JSON.stringify(o.row.text.slice(0, 90))}  [${o.result.reasons.slice(0, 3).join('; ')}]`);
    }
  }
  const wrong = outcomes.filter((o) => o.result.topic !== o.row.topic || o.result.risk !== o.row.risk);
  if (verbose && wrong.length) {
    lines.push('', `every wrong topic or risk (${wrong.length}; true → predicted)`);
    for (const o of wrong) {
      lines.push(`  ${o.row.topic}/${o.row.risk} → ${o.result.topic}/${o.result.risk}  ${JSON.stringify(o.row.text.slice(0, 90))}  [${o.result.reasons.slice(0, 3).join('; ')}]`);
    }
  }
  return lines.join('\n');
}
