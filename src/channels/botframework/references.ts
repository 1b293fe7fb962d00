import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { ChannelState } from '../../core/ports.js';
import type { Button } from '../../core/types.js';

/** What referenceOf() keeps: enough for continueConversationAsync, nothing else. */
const reference = z.looseObject({
  channelId: z.string().optional(),
  serviceUrl: z.string().optional(),
  locale: z.string().optional(),
  conversation: z.looseObject({ id: z.string() }).optional(),
  user: z.looseObject({ id: z.string() }).optional(),
  bot: z.looseObject({ id: z.string() }).optional(),
});
const offered = z.record(z.string(), z.string());

/**
 * What the Bot Framework channel keeps in its state in the shared store, so that any instance can reach a
 * child later: the conversation reference, and the quick replies last offered.
 *
 * Both are kept with a TTL (the transcript retention) rather than in a hash without one: a
 * reference names the child's platform account, so it must expire with the conversation.
 */
export class BotFrameworkRecords {
  constructor(
    private state: ChannelState,
    private ttlMs: number,
  ) {}

  async saveReference(chatKey: string, ref: Partial<ConversationReference>): Promise<void> {
    await this.state.set(`ref:${chatKey}`, ref, this.ttlMs);
  }

  async reference(chatKey: string): Promise<Partial<ConversationReference> | null> {
    return (await this.state.get(`ref:${chatKey}`, reference)) as Partial<ConversationReference> | null;
  }

  /** The buttons just shown replace the ones before (as quick replies do on screen). */
  async offerButtons(chatKey: string, buttons: Button[]): Promise<void> {
    const map: Record<string, string> = {};
    for (const b of buttons) {
      map[norm(b.value)] = b.value;
      map[norm(b.label)] = b.value;
    }
    await this.state.set(`buttons:${chatKey}`, map, this.ttlMs);
  }

  /**
   * The value of the offered button whose label (or value) the child's text is. A set of
   * buttons answers once: a later "yes" typed in other words is read as text again.
   */
  async takeButton(chatKey: string, text: string | undefined): Promise<string | undefined> {
    if (!text || text.length > 200) return undefined;
    const map = await this.state.get(`buttons:${chatKey}`, offered);
    if (!map) return undefined;
    const key = norm(text);
    // Own keys only: "constructor" typed by a child is text, not Object.prototype.constructor.
    const value = Object.hasOwn(map, key) ? map[key] : undefined;
    if (value !== undefined) await this.state.del(`buttons:${chatKey}`);
    return value;
  }
}

function norm(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}
