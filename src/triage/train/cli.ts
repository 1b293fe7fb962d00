/**
 * npm run train [-- DIR] [--seed N]
 * Trains the triage model from the intents/ of CONTENT_DIR into DIR (default: TRIAGE_MODEL_DIR).
 * Progress goes to stderr; the last stdout line is the training report as JSON.
 * A server that trains in a child process passes --content ROOT, --config JSON and --parent.
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../config.js';
import { loadContent } from '../../content/load.js';
import { ContentError } from '../../content/problems.js';
import { trainModel, trainThreads, type TrainConfig } from './train.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let seed: number | undefined;
  let root: string | undefined;
  let json: string | undefined;
  let fromParent = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') seed = Number(args[++i]);
    else if (args[i] === '--content') root = args[++i];
    else if (args[i] === '--config') json = args[++i];
    else if (args[i] === '--parent') fromParent = true;
    else rest.push(args[i]!);
  }
  let env;
  try {
    env = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`config error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const dir = rest[0] ?? env.TRIAGE_MODEL_DIR;
  root ??= resolve(env.CONTENT_DIR);
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
  const orphaned = () => fromParent && process.ppid !== parent;
  const log = (m: string) => {
    if (orphaned()) process.exit(1);
    console.error(`[train] ${m}`);
  };
  const config: Partial<TrainConfig> = json ? JSON.parse(json) : {};
  if (seed !== undefined && Number.isFinite(seed)) config.seed = seed;
  const report = await trainModel(content, dir, config, log, trainThreads(env.TRIAGE_TRAIN_THREADS));
  console.log(JSON.stringify(report));
}

main().catch((e: unknown) => {
  console.error(`training failed: ${(e as Error).message}`);
  process.exit(1);
});
