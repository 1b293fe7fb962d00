/**
 * Makes sure a usable model folder exists: trains one from intents/ when the folder is missing,
 * corrupt, or was trained from other content than the current intents/.
 *
 *   const r = await ensureModel(dir, content.current, (m) => log.info(m));
 *   const triage = await ModelTriage.load(r.dir, () => content.current);
 *
 * A folder that someone else made (a Hugging Face model a helpline dropped in) is never
 * retrained or overwritten: it is used as it is, or refused with one clear error when broken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Content } from '../content/load.js';
import { modelContentVersion, TRAINER_VERSION } from './train/dataset.js';
import { trainModel, trainerFingerprint, type TrainConfig, type TrainReport } from './train/train.js';

export type ModelStatus =
  | { state: 'ok'; ours: boolean; contentVersion?: string }
  | { state: 'missing' }
  | { state: 'stale'; have: string; want: string }
  | { state: 'corrupt'; ours: boolean; reason: string };

const TRAINER_FAMILY = TRAINER_VERSION.split('/')[0]!;

/**
 * Looks at a folder without loading it. Ours is stale when intents/ or the trainer's settings
 * (`config`: what ensureModel would train with) differ from what made it.
 */
export function inspectModel(dir: string, content: Pick<Content, 'intents'>, config: Partial<TrainConfig> = {}): ModelStatus {
  if (!existsSync(dir)) return { state: 'missing' };
  let folder: { id2label?: Record<string, string>; triage?: { trainer?: string; trainer_fingerprint?: string; content_version?: string } };
  try {
    folder = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { state: 'corrupt', ours: true, reason: code === 'ENOENT' ? 'no config.json' : 'config.json is not valid JSON' };
  }
  const ours = typeof folder.triage?.trainer === 'string' && folder.triage.trainer.startsWith(TRAINER_FAMILY);
  if (!folder.id2label || Object.keys(folder.id2label).length < 2) return { state: 'corrupt', ours, reason: 'config.json has no id2label' };
  try {
    JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
  } catch {
    return { state: 'corrupt', ours, reason: 'tokenizer.json is missing or not valid JSON' };
  }
  const onnx = join(dir, 'onnx', 'model.onnx');
  if (!existsSync(onnx) || statSync(onnx).size < 64) return { state: 'corrupt', ours, reason: 'onnx/model.onnx is missing or empty' };
  if (!ours) return { state: 'ok', ours: false };
  const want = modelContentVersion(content);
  const have = folder.triage?.content_version ?? '';
  if (have !== want) return { state: 'stale', have, want };
  const wantTrainer = trainerFingerprint(config);
  const haveTrainer = folder.triage?.trainer_fingerprint ?? '';
  if (folder.triage?.trainer !== TRAINER_VERSION || haveTrainer !== wantTrainer) {
    return { state: 'stale', have: `trainer ${haveTrainer || folder.triage?.trainer}`, want: `trainer ${wantTrainer}` };
  }
  return { state: 'ok', ours: true, contentVersion: have };
}

export interface EnsureOptions {
  /**
   * How to train when needed: 'child' (default) runs `npm run train` in a child process so the
   * event loop stays free (the lexicon keeps answering); 'in-process' blocks; false refuses.
   */
  train?: 'child' | 'in-process' | false;
  /** Retrain even when the folder looks fine (e.g. it failed to load). Never applies to foreign folders. */
  force?: boolean;
  /** The content folder (where intents/ is) the model is trained from. Default: the current directory. */
  root?: string;
  config?: Partial<TrainConfig>;
}

export interface EnsureResult {
  dir: string;
  /** What the folder was before anything was done. */
  before: ModelStatus;
  trained: boolean;
  report?: TrainReport;
}

function describe(s: ModelStatus): string {
  switch (s.state) {
    case 'ok':
      return s.ours ? `up to date (content ${s.contentVersion})` : 'a model from elsewhere';
    case 'missing':
      return 'missing';
    case 'stale':
      return `trained from other content (${s.have || 'unknown'}, now ${s.want})`;
    case 'corrupt':
      return `corrupt: ${s.reason}`;
  }
}

/** Resolves once `dir` holds a loadable model; trains it when needed. Throws one clear line when it cannot. */
export async function ensureModel(
  dir: string,
  content: Pick<Content, 'intents'>,
  log: (message: string) => void = () => {},
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const abs = resolve(dir);
  const before = inspectModel(abs, content, options.config);
  const foreign = (before.state === 'ok' || before.state === 'corrupt') && !before.ours;
  if (foreign) {
    if (before.state === 'corrupt') throw new Error(`triage model at ${abs} is not usable (${before.reason}) and was not made here; fix or remove it`);
    return { dir: abs, before, trained: false };
  }
  if (before.state === 'ok' && !options.force) return { dir: abs, before, trained: false };

  const mode = options.train ?? 'child';
  if (mode === false) throw new Error(`triage model at ${abs} is ${describe(before)}; run npm run train`);
  log(`triage model ${describe(before)}: training from intents/ into ${abs}`);
  if (mode === 'in-process') {
    const report = await trainModel(content, abs, options.config ?? {}, log);
    return { dir: abs, before, trained: true, report };
  }
  const report = await trainInChild(abs, options.root ?? process.cwd(), options.config ?? {}, log);
  const after = inspectModel(abs, content, options.config);
  if (after.state !== 'ok') log(`triage model after training: ${describe(after)} (intents/ changed meanwhile?)`);
  return { dir: abs, before, trained: true, report };
}

/** Training processes under way, so that shutdown can stop them. */
const trainers = new Set<ChildProcess>();

/** Stops every training child of this process (on shutdown: a half-trained model is never written). */
export function stopTraining(): void {
  for (const child of trainers) child.kill('SIGTERM');
  trainers.clear();
}

function trainInChild(dir: string, root: string, config: Partial<TrainConfig>, log: (m: string) => void): Promise<TrainReport> {
  const cli = fileURLToPath(new URL('./train/cli.ts', import.meta.url));
  // The TypeScript loader, resolved from here so that any working directory works.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  // Everything the trainer needs goes on its command line: the content folder above all (a
  // CONTENT_DIR elsewhere must not train on the repository's own intents/).
  const args = ['--import', tsx, cli, dir, '--content', root, '--config', JSON.stringify(config), '--parent'];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      // --parent: the trainer exits when this process dies (even by kill -9).
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trainers.add(child);
    child.on('exit', () => trainers.delete(child));
    let stdout = '';
    let errTail = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      errTail = (errTail + d).slice(-2000);
      for (const line of d.split('\n')) if (line.trim()) log(line.replace(/^\[train\] /, 'train: '));
    });
    child.on('error', (e) => reject(new Error(`cannot start training: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`training failed (exit ${code}): ${errTail.trim().split('\n').slice(-1)[0] ?? ''}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '') as TrainReport);
      } catch {
        reject(new Error('training finished without a report'));
      }
    });
  });
}
