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
import type { Content } from '../content/load.js';
import type { TriageResult } from '../core/types.js';
import { ensureModel, inspectModel, stopTraining, type EnsureOptions } from './ensure-model.js';
import { LexiconTriage } from './lexicon-triage.js';
import { ModelTriage } from './model-triage.js';
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
   * The content the model is trained from and checked against (the files in `root`); default:
   * the content in use. They differ once a studio version is published: publishing does not
   * retrain (yet), so the model stays the one of the files.
   */
  trainingContent?: () => Content;
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

  /** Call when content reloads: retrains in the background if the model no longer matches it. */
  contentChanged(): void {
    const s = inspectModel(this.dir, this.trained(), this.options.config);
    if (s.state === 'stale' || s.state === 'missing' || (s.state === 'corrupt' && s.ours)) void this.start();
  }

  private trained(): Content {
    return (this.options.trainingContent ?? this.content)();
  }

  private async run(): Promise<void> {
    try {
      const before = inspectModel(this.dir, this.trained(), this.options.config);
      if (before.state !== 'ok') this.state = 'training';
      const ensured = await ensureModel(this.dir, this.trained(), this.log, this.options);
      this.state = 'loading';
      let next: ModelTriage;
      try {
        next = await ModelTriage.load(ensured.dir, this.content, this.options.onError);
      } catch (e) {
        // Our own folder that looks fine but does not load: train it again once.
        if (ensured.trained || !(before.state === 'ok' && before.ours)) throw e;
        this.log(`${(e as Error).message}; training again`);
        this.state = 'training';
        await ensureModel(this.dir, this.trained(), this.log, { ...this.options, force: true });
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
