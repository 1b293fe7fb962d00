/**
 * The triage the rest of the app talks to: the lexicon at once, the model as soon as it is
 * loaded (trained first when missing or stale), retrained in the background when intents/
 * change. classify() never throws and never waits for training.
 *
 *   const triage = new TriageService(config.TRIAGE_MODEL_DIR, () => content.current, (m) => log.info(m), { root, onError });
 *   void triage.start();                                // lexicon answers until the model is ready
 *   content.onChange(() => triage.contentChanged());    // retrain when intents/ change
 *   triage.status()                                     // for /healthz: { ready, state, reason }
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeContentFiles, type ContentFiles } from '../content/files.js';
import type { Content } from '../content/load.js';
import type { TriageResult } from '../core/types.js';
import { ensureModel, inspectModel, stopTraining, type EnsureOptions } from './ensure-model.js';
import { LexiconTriage } from './lexicon-triage.js';
import { ModelTriage } from './model-triage.js';
import { prune, versionDir } from './model-versions.js';
import type { Triage, TriageContext } from '../core/ports.js';

export interface TriageStatus {
  /** True once the model answers. */
  ready: boolean;
  state: 'starting' | 'training' | 'loading' | 'model' | 'lexicon-only';
  reason?: string;
  model?: ModelTriage['info'];
}

export interface TriageServiceOptions extends EnsureOptions {
  /** A failure the lexicon covered for: counted and logged by the caller (no text). */
  onError?: (stage: 'model' | 'decide', err: unknown) => void;
  /**
   * Models per published studio version (model-versions.ts): when set, the model follows the
   * content in use — the folder `dir` while it fits, else `root`/<content hash>, loaded when kept
   * (the safety gate keeps its candidate there) or trained from the version's files.
   * `files` gives the files of the content in use, or null while the seed files are in use.
   */
  versions?: { root: string; files: () => ContentFiles | null };
}

export class TriageService implements Triage {
  private readonly lexicon: LexiconTriage;
  private model: ModelTriage | null = null;
  private state: TriageStatus['state'] = 'starting';
  private reason: string | undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    readonly dir: string,
    private content: () => Content,
    private log: (message: string) => void = () => {},
    private options: TriageServiceOptions = {},
  ) {
    this.lexicon = new LexiconTriage(content);
  }

  get name(): string {
    return this.model ? this.model.name : this.lexicon.name;
  }

  status(): TriageStatus {
    return { ready: this.model !== null, state: this.state, reason: this.reason, model: this.model?.info };
  }

  /** Trains if needed and loads the model. Resolves when done (or failed: then lexicon only). */
  start(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.start();
      }
    });
    return this.running;
  }

  /** Call when content reloads or a version is published: loads or retrains in the background when the model no longer matches it. */
  contentChanged(): void {
    const c = this.trained();
    const dir = this.dirFor(c);
    const s = inspectModel(dir, c, this.options.config);
    if (s.state === 'stale' || s.state === 'missing' || (s.state === 'corrupt' && s.ours) || (s.state === 'ok' && this.model !== null && resolve(this.model.info.dir) !== resolve(dir))) void this.start();
  }

  /** Whether a model that fits the content in use is on disk (start-up then waits the load, not a training). */
  isFresh(): boolean {
    const c = this.trained();
    return inspectModel(this.dirFor(c), c, this.options.config).state === 'ok';
  }

  /** The folder of the model serving now (null: the lexicon alone). */
  modelDir(): string | null {
    return this.model?.info.dir ?? null;
  }

  /** The model always fits the content in use (with `versions`, also a published one). */
  private trained(): Content {
    return this.content();
  }

  /** Where the model of this content lives: `dir` while it fits (or is not ours), else its version folder. */
  private dirFor(c: Content): string {
    const v = this.options.versions;
    if (!v || v.files() === null) return this.dir;
    const main = inspectModel(this.dir, c, this.options.config);
    if (main.state === 'ok') return this.dir;
    return versionDir(v.root, c);
  }

  private async run(): Promise<void> {
    let scratch: string | null = null;
    try {
      const content = this.trained();
      const dir = this.dirFor(content);
      const before = inspectModel(dir, content, this.options.config);
      let options = this.options;
      if (dir !== this.dir && before.state !== 'ok') {
        // A published version nobody kept a model for here: train from its files, in a scratch folder.
        const files = this.options.versions?.files();
        if (!files) throw new Error('the files of the content in use are not known');
        scratch = mkdtempSync(join(tmpdir(), 'triage-version-'));
        writeContentFiles(scratch, files);
        options = { ...this.options, root: scratch };
        this.log(`training the model of the published content (${content.intents.length} intents)`);
      }
      if (before.state !== 'ok') this.state = 'training';
      const ensured = await ensureModel(dir, content, this.log, options);
      if (dir !== this.dir) prune(this.options.versions!.root, dir);
      this.state = 'loading';
      let next: ModelTriage;
      try {
        next = await ModelTriage.load(ensured.dir, this.content, this.options.onError);
      } catch (e) {
        // Our own folder that looks fine but does not load: train it again once.
        if (ensured.trained || !(before.state === 'ok' && before.ours)) throw e;
        this.log(`${(e as Error).message}; training again`);
        this.state = 'training';
        await ensureModel(dir, content, this.log, { ...options, force: true });
        next = await ModelTriage.load(ensured.dir, this.content, this.options.onError);
      }
      const old = this.model;
      this.model = next;
      this.state = 'model';
      this.reason = undefined;
      this.log(`triage model ready: ${next.info.labels} labels, loaded in ${next.info.loadMs} ms from ${next.info.dir}`);
      if (old && old !== next) void old.dispose().catch(() => undefined);
    } catch (e) {
      this.reason = (e as Error).message.split('\n')[0];
      this.state = this.model ? 'model' : 'lexicon-only';
      this.log(`triage model unavailable (${this.reason}); ${this.model ? 'keeping the previous model' : 'lexicon only'}`);
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  }

  async classify(text: string, ctx: TriageContext): Promise<TriageResult> {
    return this.classifyWith(text, ctx);
  }

  /**
   * The current model read with this content's lexicon, cues and intents (a draft in the studio:
   * "what would the bot do with this message?"); the live content when omitted.
   */
  async classifyWith(text: string, ctx: TriageContext, content?: Content): Promise<TriageResult> {
    const model = this.model;
    if (model) {
      try {
        return await model.classify(text, ctx, content);
      } catch (err) {
        // ModelTriage does not throw; this is the last guard, and it is counted.
        this.options.onError?.('model', err);
      }
    }
    return content ? new LexiconTriage(() => content).classify(text, ctx) : this.lexicon.classify(text, ctx);
  }

  async close(): Promise<void> {
    stopTraining();
    await this.running?.catch(() => undefined);
    await this.model?.dispose().catch(() => undefined);
    this.model = null;
  }
}
