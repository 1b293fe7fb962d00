import type { ContentVersionStore, Files } from '../core/content-versions.js';
import { errInfo } from '../core/errors.js';
import type { Log } from '../core/ports.js';
import type { Problem } from '../content/problems.js';
import { fillFromSeed } from './items.js';

/** What follows the published versions: the content manager (src/content/manager.ts). */
export interface VersionUser {
  readonly published: number | null;
  /** The files deployed with the code. */
  readonly seedFiles: Files;
  usePublished(number: number, files: Files): { ok: true } | { ok: false; problems: Problem[] };
}

/** Uses a version; one made before the code required some messages gets them from the seed. */
export function usePublished(user: VersionUser, number: number, files: Files, log: Log): boolean {
  const first = user.usePublished(number, files);
  if (first.ok) return true;
  const filled = fillFromSeed(files, user.seedFiles, first.problems);
  if (!filled || !user.usePublished(number, filled).ok) return false;
  log.warn({ published: number, messages: first.problems.length }, 'the published content version lacks messages this code needs; they come from the files');
  return true;
}

/**
 * Keeps this instance on the newest published version: at start (a restarted instance starts
 * on it), on every publish anywhere (store pub/sub: publish → a child on another instance gets
 * the new text in 0.6 s here, most of it validating the version), and every `pollMs` in case a
 * notice was missed while the store was away.
 */
export async function followPublished(versions: ContentVersionStore, user: VersionUser, log: Log, pollMs = 15_000): Promise<() => void> {
  let chain = Promise.resolve();
  const catchUp = () => {
    chain = chain
      .then(async () => {
        const latest = await versions.latestNumber();
        if (latest === 0 || (user.published !== null && latest <= user.published)) return;
        const v = await versions.getVersion(latest);
        if (v) usePublished(user, latest, v.files, log);
      })
      .catch((err: unknown) => log.warn({ err: errInfo(err) }, 'could not read the published content version; keeping the content in use'));
    return chain;
  };
  const unsubscribe = versions.onVersionPublished(() => void catchUp());
  const timer = setInterval(() => void catchUp(), pollMs);
  timer.unref();
  await catchUp();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
