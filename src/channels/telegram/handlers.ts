import { Composer, type Context, type MiddlewareFn } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { encodeButton } from '../../core/buttons.js';
import { errInfo } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';
import type { Inbound } from '../../core/types.js';
import type { ChannelDeps } from '../channel.js';
import type { CallbackData } from './callback-data.js';
import { TELEGRAM, baseOf, commandOf, editOf, inboundsOf } from './inbound.js';
import type { TelegramSender } from './sender.js';

/** One goodbye per group, even if several people write at once. */
const GROUP_GOODBYE_TTL_MS = 10 * 60_000;

export interface UpdateStats {
  updates: number;
  duplicates: number;
  failed: number;
}

export function updateKind(update: Update): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

/**
 * Counts updates and logs a failed one (without its content). Processing each message once is
 * the core's: it de-duplicates by the platform message id, so a redelivered update (a webhook
 * answer that got lost, a poller that crashed before confirming) does nothing twice.
 */
export function accounting(log: Log, stats: UpdateStats): MiddlewareFn<Context> {
  return async (ctx, next) => {
    stats.updates++;
    try {
      await next();
    } catch (err) {
      stats.failed++;
      log.error({ err: errInfo(err), update: updateKind(ctx.update) }, 'telegram: update failed; a redelivery will be processed');
      throw err;
    }
  };
}

/** Updates of one chat one after another, in order; chats side by side. */
export function chatConstraint(ctx: Context): string {
  return String(ctx.chatId ?? ctx.from?.id ?? '');
}

/** The core could only send the fallback reply: the update is failed so that a webhook redelivery stores it. */
export class InboundNotStoredError extends Error {
  constructor() {
    super('the message got the fallback reply but was not processed');
    this.name = 'InboundNotStoredError';
  }
}

export interface HandlerDeps extends ChannelDeps {
  sender: TelegramSender;
  callbacks: CallbackData;
  stats: UpdateStats;
  /** Processing that takes longer shows "typing…" to the child. */
  typingDelayMs: number;
  /** The child blocked the bot: close the conversation (not awaited by callers holding locks). */
  unreachable: (chatKey: string) => void;
}

/** What the bot does with each kind of update. No helpline rule lives here: the core decides. */
export function handlers(deps: HandlerDeps): Composer<Context> {
  const { core, dedupe, content, log, sender, callbacks } = deps;
  const c = new Composer<Context>();

  /** The core handles it, with "typing…" shown if the answer takes a while. */
  const handle = async (ctx: Context, inb: Inbound) => {
    let timer: NodeJS.Timeout | undefined;
    const typing = () => {
      void ctx.api.sendChatAction(inb.chatKey, 'typing').catch(() => undefined);
      // Telegram shows the action for about five seconds.
      timer = setTimeout(typing, 4500);
    };
    timer = setTimeout(typing, deps.typingDelayMs);
    let outcome;
    try {
      outcome = await core.handle(inb);
    } finally {
      clearTimeout(timer);
    }
    if (outcome === 'duplicate') deps.stats.duplicates++;
    if (outcome === 'failed') throw new InboundNotStoredError();
  };

  // A child's conversation is private: in a group the bot says one polite line and leaves.
  c.filter(
    (ctx) => ctx.chat !== undefined && ctx.chat.type !== 'private',
    async (ctx) => {
      const chat = ctx.chat!;
      const status = ctx.myChatMember?.new_chat_member?.status;
      if (status === 'left' || status === 'kicked') return; // the bot is already out
      // The line once per group (several people may write at once); leaving every time.
      const first = await dedupe.markOnce(`group:telegram:${chat.id}`, GROUP_GOODBYE_TTL_MS).catch(() => true);
      if (first && chat.type !== 'channel') {
        log.info({ chatType: chat.type }, 'telegram: added to a non-private chat; leaving');
        const i18n = content().i18n;
        const locale = i18n.resolve(ctx.from?.language_code);
        await ctx.api.sendMessage(chat.id, i18n.t(locale, 'tg-group-leave')).catch((err) => log.warn({ err: errInfo(err) }, 'telegram: group goodbye failed'));
      }
      await ctx.api.leaveChat(chat.id).catch((err) => log.debug({ err: errInfo(err) }, 'telegram: leaveChat failed'));
    },
  );

  // The child blocked the bot (or unblocked it: nothing to do, their next message opens a chat).
  c.on('my_chat_member', async (ctx) => {
    if (ctx.myChatMember.new_chat_member?.status === 'kicked') deps.unreachable(String(ctx.myChatMember.chat.id));
  });

  c.on('callback_query:data', async (ctx) => {
    const q = ctx.callbackQuery;
    // Stop the button's spinner first; the answer itself comes as messages.
    await ctx.answerCallbackQuery().catch((err) => log.warn({ err: errInfo(err) }, 'telegram: answerCallbackQuery failed'));
    const msg = q.message;
    if (msg && 'reply_markup' in msg && msg.reply_markup?.inline_keyboard.length) {
      // Used buttons go away, so an old choice is not pressed again by mistake.
      await ctx.api
        .editMessageReplyMarkup(msg.chat.id, msg.message_id, { reply_markup: { inline_keyboard: [] } })
        .catch((err) => log.debug({ err: errInfo(err) }, 'telegram: could not remove the keyboard'));
    }
    // An expired long value is a button the core no longer knows: it shows the menu.
    const value = (await callbacks.decode(q.data).catch(() => null)) ?? encodeButton({ kind: 'action', action: 'menu' });
    await handle(ctx, {
      channel: TELEGRAM,
      chatKey: String(ctx.chatId ?? q.from.id),
      userKey: String(q.from.id),
      kind: 'button',
      value,
      localeHint: q.from.language_code,
      platformMessageId: q.id,
    });
  });

  c.on('edited_message', async (ctx) => {
    const inb = editOf(ctx.editedMessage);
    if (inb && (await core.handle(inb)) === 'failed') throw new InboundNotStoredError();
  });

  c.on('message', async (ctx) => {
    const msg = ctx.message;
    const command = commandOf(msg);
    if (command?.name === 'lang') return langCommand(ctx, msg, command.arg);
    for (const inb of inboundsOf(msg)) await handle(ctx, inb);
  });

  /** /lang en switches at once; /lang alone offers the languages as buttons. */
  const langCommand = async (ctx: Context, msg: Message, arg: string) => {
    const i18n = content().i18n;
    const base = baseOf(msg);
    const wanted = arg.toLowerCase();
    if (wanted && i18n.has(wanted)) return handle(ctx, { ...base, kind: 'button', value: encodeButton({ kind: 'lang', locale: wanted }) });
    const conv = await core.current(TELEGRAM, base.chatKey).catch(() => null);
    const locale = conv && conv.state !== 'closed' ? conv.locale : i18n.resolve(base.localeHint);
    const buttons = i18n.locales.map((l) => ({ label: i18n.t(l, 'lang-name'), value: encodeButton({ kind: 'lang', locale: l }) }));
    await sender
      .send({ id: conv?.id ?? '', chatKey: base.chatKey, channel: TELEGRAM, locale }, { type: 'message', text: i18n.t(locale, 'tg-lang-choose'), buttons })
      .catch((err) => log.warn({ err: errInfo(err) }, 'telegram: language choice not sent'));
  };

  return c;
}
