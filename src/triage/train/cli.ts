/**
 * npm run train [-- DIR] [--seed N]
 * Trains the triage model from intents/ into DIR (default: TRIAGE_MODEL_DIR or models/triage).
 * Progress goes to stderr; the last stdout line is the training report as JSON.
 * TRIAGE_TRAIN_CONFIG may hold JSON settings (see TrainConfig); CONTENT_ROOT the repository root.
 */
import { loadContent } from '../../content/load.js';
import { ContentError } from '../../content/problems.js';
import { trainModel, type TrainConfig } from './train.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let seed: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') seed = Number(args[++i]);
    else rest.push(args[i]!);
  }
  const dir = rest[0] ?? process.env.TRIAGE_MODEL_DIR ?? 'models/triage';
  const root = process.env.CONTENT_ROOT ?? process.cwd();
  let content;
  try {
    content = loadContent(root);
  } catch (e) {
    if (e instanceof ContentError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  // Started by a server: stop when it is gone (it was killed; nobody will load this model).
  const parent = process.ppid;
  const orphaned = () => process.env.TRIAGE_TRAIN_PARENT === '1' && process.ppid !== parent;
  const log = (m: string) => {
    if (orphaned()) process.exit(1);
    console.error(`[train] ${m}`);
  };
  const config: Partial<TrainConfig> = process.env.TRIAGE_TRAIN_CONFIG ? JSON.parse(process.env.TRIAGE_TRAIN_CONFIG) : {};
  if (seed !== undefined && Number.isFinite(seed)) config.seed = seed;
  const report = await trainModel(content, dir, config, log);
  console.log(JSON.stringify(report));
}

main().catch((e: unknown) => {
  console.error(`training failed: ${(e as Error).message}`);
  process.exit(1);
});
