import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { Clock, ContentSource, ConversationStore } from '../ports.js';
import type { Conversation } from '../types.js';
import type { Exclusive } from './exclusive.js';

/** The one place that knows which conversation a platform chat is in. */
export class Conversations {
  constructor(
    private store: ConversationStore,
    private exclusive: Exclusive,
    private content: ContentSource,
    private now: Clock,
  ) {}

  async get(id: string): Promise<Conversation> {
    const conv = await this.store.getConversation(id);
    if (!conv) throw new NotFoundError('no such conversation');
    return conv;
  }

  /** The chat's current conversation, whatever its state (closed too: its feedback belongs to it). */
  async current(channel: string, chatKey: string): Promise<Conversation | null> {
    const id = await this.store.findChat(channel, chatKey);
    return id ? this.store.getConversation(id) : null;
  }

  /** Finds the chat's live conversation, or starts one (also after a closed one). */
  async open(channel: string, chatKey: string, localeHint?: string): Promise<{ conv: Conversation; created: boolean }> {
    // Fast path without a lock: almost every message belongs to a live conversation.
    const live = await this.current(channel, chatKey);
    if (live && live.state !== 'closed') return { conv: live, created: false };
    return this.exclusive.run(`chat:${channel}:${chatKey}`, async () => {
      const existing = await this.current(channel, chatKey);
      if (existing && existing.state !== 'closed') return { conv: existing, created: false };
      const at = this.now();
      const conv: Conversation = {
        id: newId(),
        channel,
        chatKey,
        locale: existing?.locale ?? this.content().i18n.resolve(localeHint),
        state: 'bot',
        risk: 'none',
        topic: 'other',
        createdAt: at,
        updatedAt: at,
        // A safety plan made in an earlier conversation stays the child's: "мой план" still finds it.
        meta: existing?.meta.safetyPlan ? { safetyPlan: existing.meta.safetyPlan } : {},
      };
      await this.store.saveConversation(conv);
      await this.store.bindChat(channel, chatKey, conv.id);
      return { conv, created: true };
    });
  }
}
