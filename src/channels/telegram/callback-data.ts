import { createHash } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { z } from 'zod';
import type { ChannelState } from '../../core/ports.js';
import type { Button } from '../../core/types.js';

/** Telegram refuses callback_data longer than 64 bytes (BUTTON_DATA_INVALID). */
export const CALLBACK_DATA_MAX_BYTES = 64;
const HASHED = '~';
const stored = z.string();

/**
 * Button values go to Telegram as callback_data. Values are short ('goto:selfhelp_menu'), but a
 * content editor may name a step long: such a value travels as '~' + its hash and the value is
 * kept in the channel's state, so the button still works instead of the whole message being refused.
 */
export class CallbackData {
  constructor(
    private state: ChannelState,
    private ttlMs: number,
  ) {}

  static fits(value: string): boolean {
    const n = Buffer.byteLength(value, 'utf8');
    return n >= 1 && n <= CALLBACK_DATA_MAX_BYTES && !value.startsWith(HASHED);
  }

  async encode(value: string): Promise<string> {
    if (CallbackData.fits(value)) return value;
    const data = HASHED + createHash('sha256').update(value).digest('base64url').slice(0, 32);
    await this.state.set(`cb:${data}`, value, this.ttlMs);
    return data;
  }

  /** The button value; null when a hashed value has expired. */
  async decode(data: string): Promise<string | null> {
    if (!data.startsWith(HASHED)) return data;
    return this.state.get(`cb:${data}`, stored);
  }

  /** One button per row: labels are sentences in some languages. */
  async keyboard(buttons: Button[]): Promise<InlineKeyboardMarkup> {
    const rows = await Promise.all(buttons.map(async (b) => [{ text: b.label, callback_data: await this.encode(b.value) }]));
    return { inline_keyboard: rows };
  }
}
