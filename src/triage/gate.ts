/**
 * The safety gate for a content change that retrains the model (issue 16 item 8): a candidate
 * model is trained from the changed content (in a child process: the server keeps answering with
 * the model it has), measured on the project's own labelled sets next to the current model, and
 * refused when escalation or imminent recall falls under a floor or drops by more than a point.
 * The lines whose outcome got worse are listed, so an editor sees what the edit broke.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadContentFiles, type Content } from '../content/load.js';
import { riskRank } from '../core/taxonomy.js';
import { ensureModel } from './ensure-model.js';
import { figures, runEval, type EvalOutcome, type EvalRow, type Figures } from './eval.js';
import { keepModel } from './model-versions.js';
import { ModelTriage } from './model-triage.js';
import type { TrainConfig } from './train/train.js';

export interface GateFloors {
  escalation_recall: number;
  imminent_recall: number;
  /** Largest allowed fall of either recall against the current model (0.01: one point). */
  max_drop: number;
}

/** The defaults; GATE_* settings override them. */
export const DEFAULT_GATE_FLOORS: GateFloors = { escalation_recall: 0.97, imminent_recall: 0.9, max_drop: 0.01 };

export interface LabelledSet {
  name: string;
  rows: EvalRow[];
}

export interface ChangedLine {
  set: string;
  text: string;
  truth: { topic: string; risk: string };
  before: { topic: string; risk: string };
  after: { topic: string; risk: string };
}

export interface SetVerdict {
  set: string;
  before: Figures | null;
  after: Figures;
  problems: string[];
}

export interface GateReport {
  ok: boolean;
  sets: SetVerdict[];
  /** Lines that were escalated correctly before and are not now (or were imminent and are not). */
  worse: ChangedLine[];
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** Pure: the verdict on one set from the figures before (null: no current model) and after. */
export function judge(before: Figures | null, after: Figures, floors: GateFloors = DEFAULT_GATE_FLOORS): string[] {
  const problems: string[] = [];
  const check = (key: 'escalation_recall' | 'imminent_recall', floor: number, words: string) => {
    const now = after[key];
    if (now === null) return;
    if (now < floor) problems.push(`${words} ${fmt(now)} is under the floor ${fmt(floor)}`);
    const was = before?.[key];
    if (was !== null && was !== undefined && was - now > floors.max_drop + 1e-9) problems.push(`${words} falls ${fmt(was)} → ${fmt(now)} (more than ${Math.round(floors.max_drop * 100)} point)`);
  };
  check('escalation_recall', floors.escalation_recall, 'escalation recall');
  check('imminent_recall', floors.imminent_recall, 'imminent recall');
  return problems;
}

/** Pure: lines a counselor would now miss that the current model caught. */
export function worseLines(set: string, before: EvalOutcome[], after: EvalOutcome[]): ChangedLine[] {
  const out: ChangedLine[] = [];
  after.forEach((a, i) => {
    const b = before[i];
    if (!b) return;
    if (riskRank(a.row.risk) < riskRank('high')) return;
    const caught = (o: EvalOutcome) => riskRank(o.result.risk) >= riskRank('high');
    const imminentKept = (o: EvalOutcome) => a.row.risk !== 'imminent' || o.result.risk === 'imminent';
    if ((caught(b) && !caught(a)) || (imminentKept(b) && !imminentKept(a))) {
      out.push({
        set,
        text: a.row.text,
        truth: { topic: a.row.topic, risk: a.row.risk },
        before: { topic: b.result.topic, risk: b.result.risk },
        after: { topic: a.result.topic, risk: a.result.risk },
      });
    }
  });
  return out;
}

/** Pure: the whole verdict from both models' outcomes on every set. */
export function verdict(results: { set: string; before: EvalOutcome[] | null; after: EvalOutcome[] }[], floors: GateFloors = DEFAULT_GATE_FLOORS): GateReport {
  const sets = results.map((r) => {
    const before = r.before ? figures(r.before) : null;
    const after = figures(r.after);
    return { set: r.set, before, after, problems: judge(before, after, floors) };
  });
  const worse = results.flatMap((r) => (r.before ? worseLines(r.set, r.before, r.after) : []));
  return { ok: sets.every((s) => s.problems.length === 0), sets, worse };
}

export interface GateOptions {
  /** The changed content, and where its files are (the trainer reads them in a child process). */
  candidate: Content;
  candidateRoot: string;
  /** Where the candidate model is written (kept when accepted: it ships with the content version). */
  candidateDir: string;
  /** The model serving now, read with the content it was trained from; absent: judged on floors only. */
  current?: { dir: string; content: Content };
  sets: LabelledSet[];
  floors?: GateFloors;
  log?: (line: string) => void;
  /** Tests train small corpora in-process; the server trains in a child process. */
  train?: 'child' | 'in-process';
  config?: Partial<TrainConfig>;
}

export async function gateCandidate(opts: GateOptions): Promise<GateReport & { candidateDir: string; trainSeconds: number }> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  log('training the candidate model from the changed content');
  const ensured = await ensureModel(opts.candidateDir, opts.candidate, log, { train: opts.train ?? 'child', root: opts.candidateRoot, force: true, config: opts.config });
  const trainSeconds = Math.round((Date.now() - started) / 100) / 10;
  const candidate = await ModelTriage.load(ensured.dir, () => opts.candidate);
  const current = opts.current ? await ModelTriage.load(opts.current.dir, () => opts.current!.content) : null;
  try {
    const results: { set: string; before: EvalOutcome[] | null; after: EvalOutcome[] }[] = [];
    for (const set of opts.sets) {
      log(`measuring on ${set.name} (${set.rows.length} lines)`);
      results.push({ set: set.name, before: current ? await runEval(current, set.rows) : null, after: await runEval(candidate, set.rows) });
    }
    return { ...verdict(results, opts.floors), candidateDir: ensured.dir, trainSeconds };
  } finally {
    await candidate.dispose();
    await current?.dispose();
  }
}

/** The report as lines for a terminal, a log or a page. */
export function describeGate(r: GateReport): string[] {
  const lines: string[] = [];
  for (const s of r.sets) {
    const b = s.before;
    lines.push(
      `${s.set}: escalation recall ${fmt(b?.escalation_recall ?? null)} → ${fmt(s.after.escalation_recall)}, imminent recall ${fmt(b?.imminent_recall ?? null)} → ${fmt(s.after.imminent_recall)}, false alarms ${fmt(b?.false_alarm_rate ?? null)} → ${fmt(s.after.false_alarm_rate)}, topic ${fmt(b?.topic_accuracy ?? null)} → ${fmt(s.after.topic_accuracy)}, risk ${fmt(b?.risk_accuracy ?? null)} → ${fmt(s.after.risk_accuracy)}`,
    );
    for (const p of s.problems) lines.push(`  REFUSED: ${p}`);
  }
  for (const w of r.worse.slice(0, 50)) lines.push(`  now missed (${w.set}): "${w.text}" — ${w.truth.topic}/${w.truth.risk}, was ${w.before.risk}, now ${w.after.risk}`);
  lines.push(r.ok ? 'gate: passed' : 'gate: refused');
  return lines;
}

/**
 * The gate on a studio draft's files (as a version holds them: repository-relative paths): the
 * files go to a temporary folder for the trainer, the candidate is judged, the folder removed.
 * With `keepIn`, the candidate model is kept there as the model of its content (model-versions.ts),
 * so publishing the draft switches every instance that has it without a retrain.
 */
export async function gateFiles(opts: {
  files: Record<string, string>;
  current?: { dir: string; content: Content };
  sets: LabelledSet[];
  floors?: GateFloors;
  log?: (line: string) => void;
  config?: Partial<TrainConfig>;
  keepIn?: string;
}): Promise<GateReport & { trainSeconds: number }> {
  const root = mkdtempSync(join(tmpdir(), 'studio-gate-'));
  try {
    for (const [path, text] of Object.entries(opts.files)) {
      if (path.includes('..') || path.startsWith('/')) throw new Error(`a content path outside the folder: ${path}`);
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const candidate = loadContentFiles(opts.files);
    const { candidateDir, ...report } = await gateCandidate({ candidate, candidateRoot: root, candidateDir: join(root, '.model'), current: opts.current, sets: opts.sets, floors: opts.floors, log: opts.log, config: opts.config });
    // Kept whatever the verdict: an admin may still publish over a refusal, with a written reason.
    if (opts.keepIn) keepModel(opts.keepIn, candidateDir, candidate);
    return report;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
