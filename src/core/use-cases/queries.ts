import type { ActiveStore, ChildPresence, ChildPresenceStore, ConversationStore, EventBus, QueueStore, TranscriptStore, Unsubscribe, WellbeingStore } from '../ports.js';
import type { Conversation, QueueItem, StoreEvent, TranscriptEntry } from '../types.js';

export interface QueueEntry {
  item: QueueItem;
  conv: Conversation;
  /** null: the channel cannot tell whether the child is there. */
  presence: ChildPresence | null;
}

/** What staff read: the queue, live chats, a conversation and its transcript, the live events. */
export class StaffQueries {
  constructor(private store: ConversationStore & QueueStore & ActiveStore & TranscriptStore & EventBus & ChildPresenceStore & WellbeingStore) {}

  /** High or imminent chats each counselor closed since `since` (ms). */
  heavyChats(counselorIds: string[], since: number): Promise<Map<string, number>> {
    return this.store.heavyChats(counselorIds, since);
  }

  get(id: string): Promise<Conversation | null> {
    return this.store.getConversation(id);
  }

  transcript(id: string, afterSeq?: number): Promise<TranscriptEntry[]> {
    return this.store.getTranscript(id, afterSeq);
  }

  /**
   * The queue, most urgent first, with positions counted over live entries only. An entry whose
   * conversation has expired is removed: nobody can be helped through it.
   */
  async queue(limit = 200, offset = 0): Promise<{ total: number; entries: QueueEntry[] }> {
    const queue = await this.store.listQueue();
    const head = queue.slice(offset, offset + limit);
    const convs = await Promise.all(head.map((q) => this.store.getConversation(q.id)));
    const entries: QueueEntry[] = [];
    // Presence is a nicety on the card: a store hiccup shows "unknown", not an empty queue.
    const presence = await this.store.childPresence(head.map((q) => q.id)).catch(() => new Map<string, ChildPresence>());
    for (let i = 0; i < head.length; i++) {
      const q = head[i]!;
      const conv = convs[i];
      if (!conv || conv.state !== 'queued') {
        if (!conv) await this.store.takeFromQueue(q.id).catch(() => undefined);
        continue;
      }
      const p = presence.get(q.id);
      entries.push({ item: { ...q, position: offset + entries.length + 1 }, conv, presence: p && p.lastSeen !== null ? p : null });
    }
    return { total: queue.length - (head.length - entries.length), entries };
  }

  /** Conversations with a counselor now. */
  async live(): Promise<Conversation[]> {
    const convs = await Promise.all((await this.store.listActive()).map((id) => this.store.getConversation(id)));
    return convs.filter((c): c is Conversation => !!c && c.state === 'with_counselor');
  }

  subscribe(handler: (event: StoreEvent) => void): Unsubscribe {
    return this.store.subscribe(handler);
  }
}
