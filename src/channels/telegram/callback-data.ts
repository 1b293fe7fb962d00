import type { InlineKeyboardMarkup } from 'grammy/types';
import type { ChannelState } from '../../core/ports.js';
import type { Button } from '../../core/types.js';
import { ButtonCodec } from '../button-codec.js';

/** Telegram refuses callback_data longer than 64 bytes (BUTTON_DATA_INVALID). */
export const CALLBACK_DATA_MAX_BYTES = 64;

/**
 * Button values as Telegram callback_data: short values travel as they are, long ones as a
 * short key kept in the channel's state (the shared ButtonCodec), so the button still works
 * instead of the whole message being refused.
 */
export class CallbackData extends ButtonCodec {
  constructor(state: ChannelState, ttlMs: number) {
    super(state, ttlMs, CALLBACK_DATA_MAX_BYTES);
  }

  /** One button per row: labels are sentences in some languages. */
  async keyboard(buttons: Button[]): Promise<InlineKeyboardMarkup> {
    const rows = await Promise.all(buttons.map(async (b) => [{ text: b.label, callback_data: await this.encode(b.value) }]));
    return { inline_keyboard: rows };
  }
}
