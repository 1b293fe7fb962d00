import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_FACTS, type ServiceFacts } from '../core/service-facts.js';
import { loadContentFiles, type Content } from './load.js';
import { readContentFiles, type ContentFiles } from './files.js';
import { ContentError, type Problem } from './problems.js';

function sameFiles(a: ContentFiles, b: ContentFiles): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** Where content in use came from: the folder (the seed) or a version published in the studio. */
export type ContentOrigin = 'files' | 'store';

/**
 * Holds the content in use. A reload that fails validation is refused with its problems and
 * the bot keeps the last good content. The files in intents/ and locales/ are the seed: they are
 * in use until a version is published in the studio (kept in the store), and from then on that
 * version is, whatever the files say (a file edit still reloads the seed, for the model and the
 * next seeding, but does not replace a published version).
 */
export class ContentManager {
  private content: Content;
  private seedContent: Content;
  private seedFilesRead: ContentFiles;
  private publishedFilesUsed: ContentFiles | null = null;
  private publishedNumber: number | null = null;
  /** One watcher per directory, by path. */
  private watchers = new Map<string, FSWatcher>();
  private watching = false;
  private timer: NodeJS.Timeout | null = null;
  private listeners = new Set<(c: Content, origin: ContentOrigin) => void>();

  /** Throws ContentError when the content at start-up is unusable. */
  constructor(
    private root: string,
    private log: Logger,
    /** The service's facts every message may use (retention from configuration). */
    private facts: ServiceFacts = DEFAULT_FACTS,
  ) {
    const { files, problems } = readContentFiles(root);
    this.content = this.seedContent = loadContentFiles(files, problems, facts);
    this.seedFilesRead = files;
  }

  get current(): Content {
    return this.content;
  }

  /** The content of the files (what the model is trained from). */
  get seed(): Content {
    return this.seedContent;
  }

  /** The files of the last good seed. */
  get seedFiles(): ContentFiles {
    return this.seedFilesRead;
  }

  /** The studio version in use; null while the files are. */
  get published(): number | null {
    return this.publishedNumber;
  }

  /** The files of the studio version in use (the model of a published version trains from them); null while the seed files are in use. */
  get publishedFiles(): ContentFiles | null {
    return this.publishedFilesUsed;
  }

  /**
   * Switches to a published version. Refused (problems returned, the current content kept) when
   * it does not validate — it did when it was published, but the code may have changed since.
   */
  usePublished(number: number, files: ContentFiles): { ok: true } | { ok: false; problems: Problem[] } {
    if (this.publishedNumber !== null && number <= this.publishedNumber) return { ok: true };
    let next: Content;
    try {
      // The seed published as version 1 (or restored by a rollback) is the content already loaded.
      next = sameFiles(files, this.seedFilesRead) ? this.seedContent : loadContentFiles(files, [], this.facts);
    } catch (err) {
      if (err instanceof ContentError) {
        this.log.error({ version: number, problems: err.problems.length }, 'published content version refused; keeping the content in use');
        return { ok: false, problems: err.problems };
      }
      throw err;
    }
    this.content = next;
    this.publishedNumber = number;
    this.publishedFilesUsed = files;
    this.log.info({ published: number, version: next.version }, 'content version in use');
    for (const l of this.listeners) l(next, 'store');
    return { ok: true };
  }

  onChange(listener: (c: Content, origin: ContentOrigin) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reload(): { ok: true; version: string } | { ok: false; problems: Problem[] } {
    try {
      const { files, problems } = readContentFiles(this.root);
      const next = loadContentFiles(files, problems, this.facts);
      if (next.version !== this.seedContent.version) {
        this.seedContent = next;
        this.seedFilesRead = files;
        if (this.publishedNumber === null) this.content = next;
        this.log.info({ version: next.version, intents: next.intents.length, inUse: this.publishedNumber === null }, 'content reloaded');
        for (const l of this.listeners) l(next, 'files');
      }
      return { ok: true, version: next.version };
    } catch (err) {
      if (err instanceof ContentError) {
        for (const p of err.problems.slice(0, 20)) this.log.error({ file: p.file, line: p.line, problem: p.message }, 'content problem');
        this.log.error({ problems: err.problems.length, version: this.content.version }, 'content reload refused; keeping the last good content');
        return { ok: false, problems: err.problems };
      }
      throw err;
    }
  }

  /**
   * Reloads shortly after files in intents/ or locales/ change. Directories are watched, not
   * files: an editor that saves by writing a new file and renaming it over the old one (most do,
   * and so do sed -i and git) replaces the file's inode, and a watch on the old inode — which is
   * what Node's recursive watch on Linux sets up per file — hears nothing after the first save.
   * A directory's watch sees every create, rename and write inside it; new subfolders are picked
   * up on the next event.
   */
  watch(): void {
    this.watching = true;
    for (const dir of ['intents', 'locales']) this.watchTree(join(this.root, dir));
  }

  private watchTree(dir: string): void {
    if (!this.watching) return;
    if (!this.watchers.has(dir)) {
      try {
        const w = watch(dir, () => {
          this.watchTree(dir);
          this.schedule();
        });
        w.on('error', () => {
          // The folder went away (deleted or renamed): stop watching it; a parent sees it come back.
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch (err) {
        this.log.warn({ dir, err: (err as Error).message }, 'cannot watch content folder; reload with SIGHUP');
        return;
      }
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) this.watchTree(join(dir, e.name));
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
    }, 300);
    this.timer.unref();
  }

  close(): void {
    this.watching = false;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.timer) clearTimeout(this.timer);
  }
}
