import { watch, type FSWatcher } from 'node:fs';
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
  private watchers: FSWatcher[] = [];
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

  /** Reloads shortly after files in intents/ or locales/ change. */
  watch(): void {
    for (const dir of ['intents', 'locales']) {
      try {
        const w = watch(join(this.root, dir), { recursive: true }, () => this.schedule());
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch (err) {
        this.log.warn({ dir, err: (err as Error).message }, 'cannot watch content folder; reload with SIGHUP');
      }
    }
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
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
  }
}
