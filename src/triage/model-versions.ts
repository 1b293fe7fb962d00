/**
 * Models kept per content version (the studio's publish and rollback): one folder per trained
 * corpus, named by its content hash, under TRIAGE_MODEL_DIR + "-versions". A published version
 * whose examples are those of a kept model switches to it in the time a load takes (~0.3 s here)
 * instead of a retrain (~50 s); a rollback finds the old model still there.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Content } from '../content/load.js';
import { modelContentVersion } from './train/dataset.js';

/** How many kept models stay (13 MB each here); the oldest go first, never the one asked to keep. */
export const KEPT_MODELS = 8;

export const versionsRootOf = (modelDir: string): string => `${modelDir.replace(/[/\\]+$/, '')}-versions`;

export const versionDir = (root: string, content: Pick<Content, 'intents'>): string => join(root, modelContentVersion(content));

/** Copies a trained folder in as the model of `content` (atomically: a half-copied folder is never seen). */
export function keepModel(root: string, from: string, content: Pick<Content, 'intents'>): string {
  const to = versionDir(root, content);
  mkdirSync(root, { recursive: true });
  const tmp = `${to}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(from, tmp, { recursive: true });
  rmSync(to, { recursive: true, force: true });
  renameSync(tmp, to);
  prune(root, to);
  return to;
}

/** Keeps the newest KEPT_MODELS folders (and `keep`). */
export function prune(root: string, keep?: string): void {
  if (!existsSync(root)) return;
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.includes('.partial-'))
    .map((d) => ({ path: join(root, d.name), at: statSync(join(root, d.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const d of dirs.slice(KEPT_MODELS)) if (d.path !== keep) rmSync(d.path, { recursive: true, force: true });
}
