import type { Risk } from '../core/taxonomy.js';
import type { TriageResult } from '../core/types.js';

export interface TriageContext {
  /** The conversation's risk so far: a floor, since risk never goes down by itself. */
  priorRisk: Risk;
  locale?: string;
}

/** Turns a child's text into topic, risk and reasons. Implementations never throw for any text. */
export interface Triage {
  classify(text: string, ctx: TriageContext): Promise<TriageResult>;
  /** A short name for health checks and logs ("lexicon", "model"). */
  readonly name: string;
}
