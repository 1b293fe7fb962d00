import type { Content } from '../content/load.js';
import type { TriageResult } from '../core/types.js';
import { decide } from './decide.js';
import type { Triage, TriageContext } from '../core/ports.js';

/** The crisis lexicon alone: the safety net that works before (and without) a model. */
export class LexiconTriage implements Triage {
  readonly name = 'lexicon';
  constructor(private content: () => Content) {}

  async classify(text: string, ctx: TriageContext): Promise<TriageResult> {
    return decide(text, null, this.content(), ctx.priorRisk, undefined, ctx.asked);
  }
}
