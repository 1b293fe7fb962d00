import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadContent, type Content } from './load.js';
import { ContentError, type Problem } from './problems.js';

/**
 * Holds the content in use. A reload that fails validation is refused with its problems and
 * the bot keeps the last good content.
 */
export class ContentManager {
  private content: Content;
  /** One watcher per directory, by path. */
  private watchers = new Map<string, FSWatcher>();
  private watching = false;
  private timer: NodeJS.Timeout | null = null;
  private listeners = new Set<(c: Content) => void>();

  /** Throws ContentError when the content at start-up is unusable. */
  constructor(
    private root: string,
    private log: Logger,
  ) {
    this.content = loadContent(root);
  }

  get current(): Content {
    return this.content;
  }

  onChange(listener: (c: Content) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reload(): { ok: true; version: string } | { ok: false; problems: Problem[] } {
    try {
      const next = loadContent(this.root);
      if (next.version !== this.content.version) {
        this.content = next;
        this.log.info({ version: next.version, intents: next.intents.length }, 'content reloaded');
        for (const l of this.listeners) l(next);
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
