/**
 * npm run eval -- FILE.jsonl [--lexicon] [--verbose]
 * Classifies every line of FILE with the model in TRIAGE_MODEL_DIR (default models/triage; trained from CONTENT_DIR
 * first when missing or stale) and prints ONE JSON object as the last stdout line. Tables → stderr.
 * --lexicon evaluates the lexicon-only triage instead (the baseline); --verbose lists every wrong line.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { ContentError } from '../content/problems.js';
import { ensureModel } from './ensure-model.js';
import { parseEvalFile, report, runEval, tables } from './eval.js';
import { LexiconTriage } from './lexicon-triage.js';
import { ModelTriage } from './model-triage.js';
import type { Triage } from '../core/ports.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: npm run eval -- FILE.jsonl [--lexicon] [--verbose]');
    process.exit(2);
  }
  const env = loadConfig(process.env);
  const rows = parseEvalFile(readFileSync(file, 'utf8'));
  let content;
  try {
    content = loadContent(resolve(env.CONTENT_DIR));
  } catch (e) {
    if (e instanceof ContentError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const current = content;
  let triage: Triage;
  const extra: Record<string, unknown> = {};
  if (args.includes('--lexicon')) {
    triage = new LexiconTriage(() => current);
  } else {
    const dir = env.TRIAGE_MODEL_DIR;
    const ensured = await ensureModel(dir, current, (m) => console.error(`[eval] ${m}`), { train: 'in-process', root: resolve(env.CONTENT_DIR) });
    const model = await ModelTriage.load(ensured.dir, () => current);
    extra.model = { dir: model.info.dir, labels: model.info.labels, load_ms: model.info.loadMs, content_version: model.info.contentVersion };
    triage = model;
  }
  const outcomes = await runEval(triage, rows);
  console.error(tables(outcomes, args.includes('--verbose')));
  console.log(JSON.stringify({ ...report(outcomes), triage: triage.name, ...extra }));
}

main().catch((e: unknown) => {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exit(1);
});
