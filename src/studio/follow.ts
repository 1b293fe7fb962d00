import type { ContentVersionStore, Files } from '../core/content-versions.js';
import { errInfo } from '../core/errors.js';
import type { Log } from '../core/ports.js';

/** What follows the published versions: the content manager (src/content/manager.ts). */
export interface VersionUser {
  readonly published: number | null;
  usePublished(number: number, files: Files): { ok: boolean };
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
        if (v) user.usePublished(latest, v.files);
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
