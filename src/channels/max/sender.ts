import { queueAsMessage } from '../queue-as-message.js';
import { MaxError, type Api } from '@maxhub/max-bot-api';
import type { ChannelSender, DeliveryTarget } from '../../core/ports.js';
import type { Outbound } from '../../core/types.js';
import type { ButtonCodec } from '../button-codec.js';
import type { DialogChats } from './chats.js';
import { assertSafe, inlineKeyboard } from './keyboard.js';
import { sleep } from '../sleep.js';
import { splitText } from '../split-text.js';

/** MAX takes at most 4000 characters a message; a little less leaves room for counting differences. */
export const MAX_MESSAGE_CHARS = 3900;

export interface RetryOptions {
  /** Attempts after the first for 429, 5xx, network failures and timeouts. */
  retries: number;
  /** First back-off (ms), doubled each time, at most maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** One request's timeout (ms). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, backoffMs: 1000, maxBackoffMs: 30_000, timeoutMs: 15_000 };

/** The child blocked the bot or left the dialog: nothing will get through. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof MaxError)) return false;
  if (err.status === 403) return true;
  return typeof err.code === 'string' && /blocked|chat\.denied|dialog\.(removed|suspended)/.test(err.code);
}

/**
 * Worth another try: MAX was busy (429), failed (5xx) or did not answer. A timeout may hide a
 * message that did go out: MAX has no idempotency key, and a doubled reply is better than a lost one.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof MaxError) return err.status === 429 || err.status >= 500;
  if (err instanceof Error) return err.name === 'TypeError' || err.name === 'TimeoutError' || err.name === 'AbortError';
  return false;
}

export function userIdOf(chatKey: string): number {
  if (!/^\d{1,16}$/.test(chatKey)) throw new RangeError('not a MAX user id');
  return Number(chatKey);
}

/**
 * Outbound → MAX API calls through the library's Api (which retries attachment.not.ready). 429,
 * 5xx and network failures are retried here with back-off; a blocked bot tells the core the
 * child is gone — not awaited, because the core may hold the conversation's lock while it sends.
 */
export class MaxSender implements ChannelSender {
  constructor(
    private api: Api,
    private codec: ButtonCodec,
    private chats: DialogChats,
    private onUnreachable: (chatKey: string) => void,
    private retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async send(target: DeliveryTarget, news: Outbound): Promise<void> {
    const out = queueAsMessage(news);
    const userId = userIdOf(target.chatKey);
    try {
      switch (out.type) {
        case 'message': {
          const kb = out.buttons?.length ? inlineKeyboard(await Promise.all(out.buttons.map(async (b) => ({ label: b.label, data: await this.codec.encode(b.value) })))) : undefined;
          const parts = splitText(out.text, MAX_MESSAGE_CHARS);
          for (let i = 0; i < parts.length; i++) {
            const attachments = i === parts.length - 1 && kb ? [kb] : [];
            await this.message(userId, parts[i]!, attachments);
          }
          return;
        }
        case 'queue':
          // No queue widget in MAX: the same news in words.
          for (const part of splitText(out.text, MAX_MESSAGE_CHARS)) await this.message(userId, part, []);
          return;
        case 'typing': {
          const chatId = await this.chats.get(target.chatKey);
          if (chatId !== null) await this.api.sendAction(chatId, 'typing_on');
          return;
        }
        default:
          return;
      }
    } catch (err) {
      if (isUnreachable(err)) this.onUnreachable(target.chatKey);
      throw err;
    }
  }

  private async message(userId: number, text: string, attachments: { type: 'inline_keyboard'; payload: unknown }[]): Promise<void> {
    assertSafe(attachments);
    // Plain text (no format): neither the bot's nor a counselor's words are read as markup.
    await this.withRetry(() => this.api.sendMessageToUser(userId, text, { ...(attachments.length ? { attachments: attachments as never } : {}), signal: AbortSignal.timeout(this.retry.timeoutMs) }));
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    let wait = this.retry.backoffMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= this.retry.retries || !isRetryable(err)) throw err;
        await sleep(wait);
        wait = Math.min(wait * 2, this.retry.maxBackoffMs);
      }
    }
  }
}
