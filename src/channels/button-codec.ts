import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChannelState } from '../core/ports.js';

/** A value longer than this travels as a short key (Telegram's callback_data holds 64 bytes; VK payloads 255 bytes of JSON). */
export const INLINE_VALUE_MAX_BYTES = 64;
const KEYED = '~';
const asString = z.string();

/**
 * Button values go to the platform inside the button (Telegram callback_data, a VK payload, a MAX
 * callback). They are short ('goto:selfhelp_menu'), but a content editor may name a step long:
 * such a value travels as '~' + its hash and the value is kept in the channel's state, so the
 * button still works instead of the whole message being refused.
 */
export class ButtonCodec {
  constructor(
    private state: ChannelState,
    private ttlMs: number,
    private maxBytes = INLINE_VALUE_MAX_BYTES,
  ) {}

  fits(value: string): boolean {
    const n = Buffer.byteLength(value, 'utf8');
    return n >= 1 && n <= this.maxBytes && !value.startsWith(KEYED);
  }

  async encode(value: string): Promise<string> {
    if (this.fits(value)) return value;
    const key = KEYED + createHash('sha256').update(value).digest('base64url').slice(0, 22);
    await this.state.set(`btn:${key}`, value, this.ttlMs);
    return key;
  }

  /** The button value; null when a keyed value has expired (or was never ours). */
  async decode(data: string): Promise<string | null> {
    if (!data.startsWith(KEYED)) return data;
    return this.state.get(`btn:${data}`, asString);
  }
}
