import { queueAsMessage } from '../queue-as-message.js';
import { GrammyError, type Api } from 'grammy';
import type { ChannelSender, DeliveryTarget } from '../../core/ports.js';
import type { Outbound } from '../../core/types.js';
import { splitText } from '../split-text.js';
import type { CallbackData } from './callback-data.js';

/** Telegram's limit is 4096 characters a message; a little less leaves room for counting differences. */
export const MAX_MESSAGE_CHARS = 4000;

type Target = DeliveryTarget;

/** 403: the child blocked the bot, deleted the account, or never started it. Nothing will get through. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 403;
}

export function chatIdOf(chatKey: string): number | string {
  return /^-?\d{1,16}$/.test(chatKey) ? Number(chatKey) : chatKey;
}

/**
 * Outbound → Bot API calls. Errors are thrown to the engine, which records a failed delivery for
 * the counselor; a 403 also tells the channel that the child has gone (onUnreachable), which must
 * not be awaited here because the engine may hold the conversation's lock while it sends.
 */
export class TelegramSender implements ChannelSender {
  constructor(
    private api: Api,
    private callbacks: CallbackData,
    private onUnreachable: (target: Target) => void,
  ) {}

  async send(target: Target, news: Outbound): Promise<void> {
    const out = queueAsMessage(news);
    const chatId = chatIdOf(target.chatKey);
    try {
      switch (out.type) {
        case 'message': {
          const parts = splitText(out.text, MAX_MESSAGE_CHARS);
          if (parts.length === 0) return;
          const markup = out.buttons?.length ? await this.callbacks.keyboard(out.buttons) : undefined;
          for (let i = 0; i < parts.length; i++) {
            const last = i === parts.length - 1;
            await this.api.sendMessage(chatId, parts[i]!, {
              link_preview_options: { is_disabled: true },
              ...(last && markup ? { reply_markup: markup } : {}),
            });
          }
          return;
        }
        case 'queue':
          // No queue widget in Telegram: the same news in words.
          if (out.text.trim()) await this.api.sendMessage(chatId, out.text);
          return;
        case 'typing':
          await this.api.sendChatAction(chatId, 'typing');
          return;
      }
    } catch (err) {
      if (isUnreachable(err)) this.onUnreachable(target);
      throw err;
    }
  }
}
