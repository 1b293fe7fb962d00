import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Problem } from './problems.js';

/**
 * Content as files: relative path ("intents/scripts.yaml", "locales/ru.ftl") → text. The one
 * form every version of the content has — the seed folder on disk, a version in the store, a
 * draft applied to its base — so that one loader (load.ts) validates them all.
 */
export type ContentFiles = Record<string, string>;

/** The folders content lives in, relative to its root. */
export const CONTENT_FOLDERS = ['intents', 'locales'] as const;
/** The CHI category tree of the contact records: content too (its labels are messages). */
export const CATEGORIES_PATH = 'records/categories.yaml';

/**
 * The Fluent files of a language: locales/<locale>.ftl (the bot's and the pages' words) and
 * locales/console.<locale>.ftl (the counselor console's own, every id "console-…"). A new language
 * adds files, no code; the loader puts both files of a language into one bundle.
 */
const LOCALE_FILE = /^locales\/(console\.)?([a-z0-9_-]+)\.ftl$/i;
export const CONSOLE_PREFIX = 'console-';

/** The language and kind of a Fluent file; null for any other path. */
export function localeFileOf(path: string): { locale: string; console: boolean } | null {
  const m = LOCALE_FILE.exec(path);
  return m ? { locale: m[2]!, console: !!m[1] } : null;
}

/** The file a message of a language lives in (the console's ids in the console file). */
export function messageFile(locale: string, id: string): string {
  return id.startsWith(CONSOLE_PREFIX) ? `locales/console.${locale}.ftl` : `locales/${locale}.ftl`;
}

/** True for a path the loader reads: YAML under intents/, Fluent directly under locales/, the category tree. */
export function isContentPath(path: string): boolean {
  if (path === CATEGORIES_PATH) return true;
  return (/^intents\/([a-z0-9_.-]+\/)*[a-z0-9_.-]+\.ya?ml$/i.test(path) || LOCALE_FILE.test(path)) && !path.split('/').includes('..');
}

/** Orders paths as a folder walk in name order does (a folder's files where its name sorts). */
export function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

function walk(abs: string, rel: string, out: ContentFiles): void {
  for (const name of readdirSync(abs).sort()) {
    const a = join(abs, name);
    const r = `${rel}/${name}`;
    if (statSync(a).isDirectory()) walk(a, r, out);
    else if (isContentPath(r)) out[r] = readFileSync(a, 'utf8');
  }
}

/** Reads intents/ and locales/ under root; a folder that cannot be read is a problem, not a throw. */
export function readContentFiles(root: string): { files: ContentFiles; problems: Problem[] } {
  const files: ContentFiles = {};
  const problems: Problem[] = [];
  for (const folder of CONTENT_FOLDERS) {
    try {
      walk(join(root, folder), folder, files);
    } catch (e) {
      problems.push({ file: folder, line: 1, message: `cannot read folder: ${(e as Error).message}` });
    }
  }
  if (existsSync(join(root, CATEGORIES_PATH))) files[CATEGORIES_PATH] = readFileSync(join(root, CATEGORIES_PATH), 'utf8');
  return { files, problems };
}

/** Writes every file under dir (folders made as needed); returns how many were written. */
export function writeContentFiles(dir: string, files: ContentFiles): number {
  let n = 0;
  for (const [path, text] of Object.entries(files)) {
    if (!isContentPath(path)) throw new Error(`not a content path: ${path}`);
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    n++;
  }
  return n;
}
