/**
 * Compares training settings: npx tsx src/triage/train/experiment-cli.ts [LABELLED.jsonl] [variant ...]
 * Each variant trains on the training split only and reports held-out figures (and, if a labelled
 * file is given, the eval figures on it, for measuring only: never train on it). --sweep also
 * tries decision thresholds; --extra FILE.jsonl adds a second labelled file to the sweep.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { loadContent } from '../../content/load.js';
import { DEFAULT_THRESHOLDS, decide, type Thresholds } from '../decide.js';
import { figures, parseEvalFile, runEval, type EvalRow } from '../eval.js';
import { labelsOf, samplesOf, split } from './dataset.js';
import { NetTriage } from './net-triage.js';
import { fitModel, type TrainConfig } from './train.js';

export const VARIANTS: Record<string, Partial<TrainConfig>> = {
  default: {},
  one_member: { members: 1 },
  hidden96: { hidden: 96, members: 1 },
  no_groups: { groupOutputs: false },
  train_prior: { riskPrior: 0 },
  no_aug: { segmentRate: 0, typoExampleRate: 0, translitRate: 0, tokenDropout: 0 },
  no_segment: { segmentRate: 0 },
  no_typos: { typoExampleRate: 0 },
  no_translit: { translitRate: 0, translitVocabCopies: 0 },
  dim32: { dim: 32 },
  balance: { balance: 0.5 },
  small_vocab: { vocab: { maxSize: 12000 } },
  min_word_2: { vocab: { minWordCount: 2 } },
  no_risk_head: { riskHead: false },
  risk_head_prior_half: { riskHeadPrior: 0.5 },
  risk_head_prior_0: { riskHeadPrior: 0 },
  risk_loss_half: { riskLoss: 0.5 },
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => a.endsWith('.jsonl'));
  const sweep = args.includes('--sweep');
  const names = args.filter((a) => !a.endsWith('.jsonl') && !a.startsWith('--'));
  const env = loadConfig(process.env);
  const content = loadContent(resolve(env.CONTENT_DIR));
  const rows = file ? parseEvalFile(readFileSync(file, 'utf8')) : [];
  for (const name of names.length ? names : Object.keys(VARIANTS)) {
    const variant = name.startsWith('{') ? (JSON.parse(name) as Partial<TrainConfig>) : VARIANTS[name];
    if (!variant) throw new Error(`unknown variant ${name}`);
    const t0 = performance.now();
    const fitted = await fitModel(content, variant, () => {}, false);
    const secs = (performance.now() - t0) / 1000;
    const h = fitted.heldout!;
    const out: Record<string, unknown> = {
      variant: name,
      secs: +secs.toFixed(1),
      held_intent: +h.intent_accuracy.toFixed(3),
      held_topic: +h.topic_accuracy.toFixed(3),
      held_risk: +h.risk_accuracy.toFixed(3),
      ece: +h.ece_after.toFixed(3),
      T: +h.temperature.toFixed(2),
    };
    if (rows.length) {
      const f = figures(await runEval(new NetTriage(fitted, () => content), rows));
      Object.assign(out, {
        esc: f.escalation_recall,
        imm: f.imminent_recall,
        fa: f.false_alarm_rate,
        topic: f.topic_accuracy,
        risk: f.risk_accuracy,
      });
    }
    console.log(JSON.stringify(out));
    if (sweep) sweepThresholds(content, fitted, rows);
  }
}

/** Decision thresholds against the held-out split (for choosing) and the labelled file (for measuring). */
function sweepThresholds(content: ReturnType<typeof loadContent>, fitted: Awaited<ReturnType<typeof fitModel>>, rows: EvalRow[]): void {
  const labels = labelsOf(content.intents);
  const { held } = split(samplesOf(content.intents, labels), fitted.cfg.holdout, fitted.cfg.seed);
  const heldRows: EvalRow[] = held.map((s) => {
    const i = content.intentById.get(s.intent)!;
    return { text: s.text, lang: s.lang, risk: s.risk, topic: i.topic };
  });
  const net = new NetTriage(fitted, () => content);
  const args = process.argv.slice(2);
  const extraAt = args.indexOf('--extra');
  const extraFile = extraAt >= 0 ? args[extraAt + 1] : undefined;
  const extra = extraFile ? parseEvalFile(readFileSync(extraFile, 'utf8')) : [];
  const sets = { held: heldRows, dev: rows, extra };
  const preds = Object.fromEntries(Object.entries(sets).map(([k, rs]) => [k, rs.map((r) => net.predict(r.text))]));
  for (const escalateAt of [0.3, 0.4, 0.5]) {
    for (const calmVeto of [1, 0.5, 0.4, 0.3]) {
      for (const escalateMinTopic of [0.2, 0.3]) {
       for (const escalateMinIntent of [0, 0.15]) {
        const th: Thresholds = { ...DEFAULT_THRESHOLDS, escalateAt, calmVeto, escalateMinTopic, escalateMinIntent };
        const line: Record<string, unknown> = { escalateAt, calmVeto, escalateMinTopic, escalateMinIntent };
        for (const [k, rs] of Object.entries(sets)) {
          if (!rs.length) continue;
          const f = figures(rs.map((row, i) => ({ row, result: decide(row.text, preds[k]![i]!, content, 'none', th), ms: 0 })));
          line[k] = [f.escalation_recall, f.imminent_recall, f.false_alarm_rate, f.topic_accuracy, f.risk_accuracy].join(' ');
        }
        console.log(JSON.stringify(line));
       }
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).stack);
  process.exit(1);
});
