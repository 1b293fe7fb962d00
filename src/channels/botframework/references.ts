import type { ConversationReference } from 'botbuilder';
import type { Button } from '../../core/types.js';
import type { Store } from '../../store/store.js';

/**
 * What the Bot Framework channel keeps in the shared store, so that any instance can reach a
 * child later: the conversation reference, and the quick replies last offered.
 *
 * Both are kept with a TTL (the transcript retention) rather than in a hash without one: a
 * reference names the child's platform account, so it must expire with the conversation.
 */
export class BotFrameworkRecords {
  constructor(
    private store: Store,
    private ttlMs: number,
  ) {}

  async saveReference(chatKey: string, ref: Partial<ConversationReference>): Promise<void> {
    await this.store.kvSet(`bf:ref:${chatKey}`, JSON.stringify(ref), this.ttlMs);
  }

  async reference(chatKey: string): Promise<Partial<ConversationReference> | null> {
    const raw = await this.store.kvGet(`bf:ref:${chatKey}`);
    return raw ? (JSON.parse(raw) as Partial<ConversationReference>) : null;
  }

  /** The buttons just shown replace the ones before (as quick replies do on screen). */
  async offerButtons(chatKey: string, buttons: Button[]): Promise<void> {
    const map: Record<string, string> = {};
    for (const b of buttons) {
      map[norm(b.value)] = b.value;
      map[norm(b.label)] = b.value;
    }
    await this.store.kvSet(`bf:buttons:${chatKey}`, JSON.stringify(map), this.ttlMs);
  }

  /**
   * The value of the offered button whose label (or value) the child's text is. A set of
   * buttons answers once: a later "yes" typed in other words is read as text again.
   */
  async takeButton(chatKey: string, text: string | undefined): Promise<string | undefined> {
    if (!text || text.length > 200) return undefined;
    const raw = await this.store.kvGet(`bf:buttons:${chatKey}`);
    if (!raw) return undefined;
    const map = JSON.parse(raw) as Record<string, string>;
    const key = norm(text);
    // Own keys only: "constructor" typed by a child is text, not Object.prototype.constructor.
    const value = Object.hasOwn(map, key) ? map[key] : undefined;
    if (value !== undefined) await this.store.kvDel(`bf:buttons:${chatKey}`);
    return value;
  }
}

function norm(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase();
}
