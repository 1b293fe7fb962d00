import type { WebSocket } from 'ws';
import type { ChannelSender, DeliveryTarget, EventBus } from '../../core/ports.js';
import type { ConversationState, Outbound } from '../../core/types.js';

export const WEBCHAT = 'webchat';

/** The conversation's state, for the page (the bot's and counselors' words are Outbound messages). */
export interface StateFrame {
  type: 'state';
  state: ConversationState;
}

/**
 * Web chat sockets of this instance, by chat key. Messages for a child whose socket lives on
 * another instance travel as a 'deliver' event through the store.
 */
export class WebChatHub implements ChannelSender {
  private sockets = new Map<string, Set<WebSocket>>();
  /** Conversation id → chat key, and back, for the chats with a socket here: their state changes go to the page. */
  private watched = new Map<string, string>();
  private watching = new Map<string, string>();
  private unsubscribe: () => void;

  constructor(private bus: EventBus) {
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'deliver' && event.channel === WEBCHAT) this.local(event.chatKey, event.out);
      // The page shows the queue bar and the leave-queue button only while the child waits; it
      // hears of a counselor joining or the chat closing from here, on whichever instance did it.
      if (event.type === 'conversation') {
        const chatKey = this.watched.get(event.id);
        if (chatKey) this.local(chatKey, { type: 'state', state: event.state });
      }
    });
  }

  /** The page on chatKey follows this conversation's state from now on. */
  watch(conversationId: string, chatKey: string): void {
    const before = this.watching.get(chatKey);
    if (before === conversationId) return;
    if (before) this.watched.delete(before);
    this.watched.set(conversationId, chatKey);
    this.watching.set(chatKey, conversationId);
  }

  add(chatKey: string, socket: WebSocket): void {
    let set = this.sockets.get(chatKey);
    if (!set) this.sockets.set(chatKey, (set = new Set()));
    set.add(socket);
  }

  /** Returns how many sockets of that chat stay open here. */
  remove(chatKey: string, socket: WebSocket): number {
    const set = this.sockets.get(chatKey);
    set?.delete(socket);
    if (set && set.size === 0) {
      this.sockets.delete(chatKey);
      const id = this.watching.get(chatKey);
      if (id) this.watched.delete(id);
      this.watching.delete(chatKey);
    }
    return set?.size ?? 0;
  }

  /** Chats with a page open on this instance. */
  chatKeys(): string[] {
    return [...this.sockets.keys()];
  }

  get connections(): number {
    let n = 0;
    for (const s of this.sockets.values()) n += s.size;
    return n;
  }

  /** Sends to local sockets; returns how many got it. */
  local(chatKey: string, out: Outbound | StateFrame): number {
    const set = this.sockets.get(chatKey);
    if (!set) return 0;
    const frame = JSON.stringify(out);
    let n = 0;
    for (const ws of set) {
      if (ws.readyState === ws.OPEN) {
        ws.send(frame);
        n++;
      }
    }
    return n;
  }

  async send(conv: Pick<DeliveryTarget, 'chatKey' | 'id'>, out: Outbound): Promise<void> {
    if (this.local(conv.chatKey, out) > 0) return;
    // Not here: maybe on another instance. If the child is offline, the transcript keeps it for
    // the history replayed on reconnect.
    await this.bus.publish({ type: 'deliver', id: conv.id, channel: WEBCHAT, chatKey: conv.chatKey, out });
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const set of this.sockets.values()) for (const ws of set) ws.close(code, reason);
    this.sockets.clear();
    this.watched.clear();
    this.watching.clear();
    this.unsubscribe();
  }
}
