// npm run content:export -- DIR [--version N] — writes a studio version (default: the latest) back
// as files under DIR/intents and DIR/locales (for git); `npm run content:check DIR` validates them.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../config.js';
import type { Files } from '../core/content-versions.js';
import { CONTENT_FOLDERS, isContentPath, readContentFiles, writeContentFiles } from '../content/files.js';
import { RedisStore } from '../store/redis-store.js';

function usage(): never {
  console.error('usage: npm run content:export -- DIR [--version N]');
  process.exit(2);
}

/** Content files under dir that the version does not have: deleted in the studio, so deleted here too. */
function stale(dir: string, keep: Files): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch {
      return;
    }
    for (const name of names) {
      const a = join(abs, name);
      if (statSync(a).isDirectory()) walk(a);
      else {
        const rel = relative(dir, a).split('\\').join('/');
        if (isContentPath(rel) && !Object.hasOwn(keep, rel)) out.push(a);
      }
    }
  };
  for (const f of [...CONTENT_FOLDERS, 'records']) walk(join(dir, f));
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--version');
  const wanted = at >= 0 ? Number(args[at + 1]) : null;
  if (at >= 0) args.splice(at, 2);
  const dir = args[0];
  if (!dir || (wanted !== null && (!Number.isInteger(wanted) || wanted < 1))) usage();
  const config = loadConfig(process.env);
  let files: Files;
  let what: string;
  if (!config.REDIS_URL) {
    if (wanted !== null) {
      console.error('content:export: versions live in the store: set REDIS_URL (and REDIS_PREFIX) to export one');
      process.exit(1);
    }
    files = readContentFiles(resolve(config.CONTENT_DIR)).files;
    what = `the files in ${config.CONTENT_DIR} (no REDIS_URL: no versions)`;
  } else {
    const store = await RedisStore.connect({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, retention: { botMs: 1, handledMs: 1 }, commandTimeoutMs: 10_000 });
    try {
      const number = wanted ?? (await store.contentVersions.latestNumber());
      if (number === 0) {
        files = readContentFiles(resolve(config.CONTENT_DIR)).files;
        what = `the files in ${config.CONTENT_DIR} (nothing published yet)`;
      } else {
        const v = await store.contentVersions.getVersion(number);
        if (!v) {
          console.error(`content:export: there is no version ${number} (the latest is ${await store.contentVersions.latestNumber()})`);
          process.exit(1);
        }
        files = v.files;
        what = `version ${number} (${v.author}, ${new Date(v.at).toISOString()}: ${v.comment})`;
      }
    } finally {
      await store.close();
    }
  }
  const target = resolve(dir);
  const removed = stale(target, files);
  for (const f of removed) rmSync(f);
  const n = writeContentFiles(target, files);
  console.log(`exported ${what}: ${n} files to ${target}${removed.length ? `, ${removed.length} removed` : ''}`);
}

void main().catch((err: unknown) => {
  console.error(`content:export failed: ${(err as Error).message}`);
  process.exit(1);
});
