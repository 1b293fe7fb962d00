import { z } from 'zod';
import type { ChannelState } from '../../core/ports.js';

const ID = z.number().int();
const CACHE_MAX = 10_000;

/**
 * The dialog's chat id of each child (messages go to user_id; "typing…" needs the chat id), from
 * the updates, kept in the channel's state so another instance can show typing too.
 */
export class DialogChats {
  private cache = new Map<string, number>();

  constructor(
    private state: ChannelState,
    private ttlMs: number,
  ) {}

  async remember(chatKey: string, chatId: number): Promise<void> {
    if (this.cache.get(chatKey) === chatId) return;
    this.keep(chatKey, chatId);
    await this.state.set(`chat:${chatKey}`, chatId, this.ttlMs);
  }

  async get(chatKey: string): Promise<number | null> {
    const cached = this.cache.get(chatKey);
    if (cached !== undefined) return cached;
    const stored = await this.state.get(`chat:${chatKey}`, ID).catch(() => null);
    if (stored !== null) this.keep(chatKey, stored);
    return stored;
  }

  private keep(chatKey: string, chatId: number): void {
    this.cache.delete(chatKey);
    this.cache.set(chatKey, chatId);
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
  }
}
