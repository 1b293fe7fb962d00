import { z } from 'zod';
import type { ChannelState } from '../../core/ports.js';
import { DEFAULT_CAPS, type ClientCaps } from './inbound.js';

const CAPS = z.string().regex(/^[01]{3}$/);
const CACHE_MAX = 10_000;

const encode = (c: ClientCaps) => `${+c.callback}${+c.inline}${+c.keyboard}`;
const decode = (s: string): ClientCaps => ({ callback: s[0] === '1', inline: s[1] === '1', keyboard: s[2] === '1' });

/**
 * What each child's VK client can show (from client_info of their last message), so that a reply
 * sent later — by a counselor, from another instance — uses buttons the client has. Kept in the
 * channel's state; this process remembers recent ones to write only on a change.
 */
export class ClientCapsStore {
  private cache = new Map<string, string>();

  constructor(
    private state: ChannelState,
    private ttlMs: number,
  ) {}

  async remember(chatKey: string, caps: ClientCaps): Promise<void> {
    const s = encode(caps);
    if (this.cache.get(chatKey) === s) return;
    this.keep(chatKey, s);
    await this.state.set(`client:${chatKey}`, s, this.ttlMs);
  }

  async get(chatKey: string): Promise<ClientCaps> {
    const cached = this.cache.get(chatKey);
    if (cached) return decode(cached);
    const stored = await this.state.get(`client:${chatKey}`, CAPS).catch(() => null);
    if (!stored) return DEFAULT_CAPS;
    this.keep(chatKey, stored);
    return decode(stored);
  }

  private keep(chatKey: string, s: string): void {
    this.cache.delete(chatKey);
    this.cache.set(chatKey, s);
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
  }
}
