// MAX Bot API updates (https://dev.max.ru/docs-api) → the core's Inbound shape. Pure: no I/O, no
// rule of the helpline; the channel decodes keyed button values and hands the result to the core.
import { z } from 'zod';
import type { Inbound } from '../../core/types.js';

export const MAX = 'max';

/** The updates the channel acts on (subscribed to, and asked for when polling). */
export const UPDATE_TYPES = ['bot_started', 'bot_stopped', 'message_created', 'message_callback', 'message_edited'] as const;

const int = z.number().int();

export const EnvelopeSchema = z.object({
  update_type: z.string().min(1).max(100),
  timestamp: int,
});

const UserSchema = z.object({ user_id: int, is_bot: z.boolean().optional() });
const LocaleSchema = z.string().max(35).nullish();

const BodySchema = z.object({
  mid: z.string().min(1).max(200),
  text: z.string().nullish(),
  attachments: z.array(z.object({ type: z.string() })).nullish(),
});

const MessageSchema = z.object({
  sender: UserSchema.nullish(),
  recipient: z.object({ chat_id: int.nullish(), chat_type: z.string().optional(), user_id: int.nullish() }),
  timestamp: int.optional(),
  body: BodySchema,
  link: z.object({ type: z.string() }).nullish(),
});
type MaxMessage = z.infer<typeof MessageSchema>;

const MessageCreated = z.object({ message: MessageSchema, user_locale: LocaleSchema });
const MessageEdited = z.object({ message: MessageSchema });
const MessageCallback = z.object({
  callback: z.object({ callback_id: z.string().min(1).max(500), payload: z.string().nullish(), user: UserSchema }),
  message: MessageSchema.nullish(),
  user_locale: LocaleSchema,
});
const BotStarted = z.object({ chat_id: int, user: UserSchema, payload: z.string().max(4096).nullish(), user_locale: LocaleSchema });
const BotStopped = z.object({ chat_id: int, user: UserSchema });

export type MaxEvent =
  /** A child's message (one Inbound, or a media and its caption); chatId is the dialog, for typing. */
  | { kind: 'message'; chatKey: string; chatId?: number; inbounds: Inbound[] }
  /** A callback button: answered through /answers (the used keyboard removed), then the Inbound. */
  | { kind: 'callback'; chatKey: string; chatId?: number; inbound: Inbound; answer: { callbackId: string; text?: string } }
  /** bot_stopped: the child blocked the bot. */
  | { kind: 'blocked'; chatKey: string }
  | { kind: 'ignored'; reason: string };

export type Parsed = { ok: true; event: MaxEvent } | { ok: false; error: string };

function issue(err: z.ZodError): string {
  const first = err.issues[0];
  return first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid';
}

/** Media by MAX attachment type; none of it is downloaded. The bot's own keyboard is not media. */
const MEDIA: Record<string, string> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  file: 'document',
  sticker: 'sticker',
  contact: 'contact',
  share: 'link',
  location: 'location',
};

export function mediaOf(msg: MaxMessage): string | undefined {
  const first = msg.body.attachments?.find((a) => a.type !== 'inline_keyboard');
  if (first) return MEDIA[first.type] ?? 'file';
  if (msg.link?.type === 'forward') return 'forward';
  return undefined;
}

const COMMAND = /^\/([a-z][a-z0-9_]{0,31})(?:@\S+)?(?:\s+([\s\S]*))?$/i;

export function commandOf(text: string): { name: string; arg: string } | undefined {
  const m = COMMAND.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() } : undefined;
}

export interface MapOptions {
  hasLocale?: (locale: string) => boolean;
}

/** A person's message in a dialog with the bot: a group chat or a channel is not a child's conversation. */
function personal(msg: MaxMessage): msg is MaxMessage & { sender: { user_id: number } } {
  return !!msg.sender && !msg.sender.is_bot && (msg.recipient.chat_type === undefined || msg.recipient.chat_type === 'dialog');
}

/**
 * Reads one update. Known types with a wrong shape are errors (400); unknown types and updates
 * the bot does not act on are 'ignored' (200).
 */
export function parseUpdate(body: unknown, opts: MapOptions = {}): Parsed {
  const env = EnvelopeSchema.safeParse(body);
  if (!env.success) return { ok: false, error: `not a MAX update (${issue(env.error)})` };
  const { update_type: type, timestamp } = env.data;
  switch (type) {
    case 'message_created': {
      const r = MessageCreated.safeParse(body);
      if (!r.success) return { ok: false, error: issue(r.error) };
      const msg = r.data.message;
      if (!personal(msg)) return { ok: true, event: { kind: 'ignored', reason: 'not a dialog with a person' } };
      const chatKey = String(msg.sender.user_id);
      const base = { channel: MAX, chatKey, userKey: chatKey, localeHint: r.data.user_locale ?? undefined, platformMessageId: msg.body.mid };
      const text = msg.body.text ?? '';
      const inbounds: Inbound[] = [];
      const command = text ? commandOf(text) : undefined;
      if (command) {
        if (command.name === 'lang' && command.arg && opts.hasLocale?.(command.arg.toLowerCase())) inbounds.push({ ...base, kind: 'button', value: `lang:${command.arg.toLowerCase()}` });
        else inbounds.push({ ...base, kind: 'command', value: command.name });
      } else {
        const media = mediaOf(msg);
        if (media) inbounds.push({ ...base, kind: 'media', media });
        // Words are never dropped: a caption can say that the child is in danger.
        if (text.trim()) inbounds.push({ ...base, kind: 'text', text });
      }
      return { ok: true, event: { kind: 'message', chatKey, chatId: msg.recipient.chat_id ?? undefined, inbounds } };
    }
    case 'message_edited': {
      const r = MessageEdited.safeParse(body);
      if (!r.success) return { ok: false, error: issue(r.error) };
      const msg = r.data.message;
      if (!personal(msg)) return { ok: true, event: { kind: 'ignored', reason: 'not a child’s edit' } };
      const text = msg.body.text ?? '';
      if (!text.trim()) return { ok: true, event: { kind: 'ignored', reason: 'edit without words' } };
      const chatKey = String(msg.sender.user_id);
      // Each edit is its own update: the mid alone would make a second edit a duplicate.
      const inbound: Inbound = { channel: MAX, chatKey, userKey: chatKey, kind: 'edit', text, platformMessageId: `${msg.body.mid}@${timestamp}` };
      return { ok: true, event: { kind: 'message', chatKey, chatId: msg.recipient.chat_id ?? undefined, inbounds: [inbound] } };
    }
    case 'message_callback': {
      const r = MessageCallback.safeParse(body);
      if (!r.success) return { ok: false, error: issue(r.error) };
      const { callback, message, user_locale } = r.data;
      if (callback.user.is_bot) return { ok: true, event: { kind: 'ignored', reason: 'a bot pressed' } };
      if (message?.recipient.chat_type && message.recipient.chat_type !== 'dialog') return { ok: true, event: { kind: 'ignored', reason: 'not a dialog' } };
      const chatKey = String(callback.user.user_id);
      const payload = callback.payload ?? '';
      const inbound: Inbound = {
        channel: MAX,
        chatKey,
        userKey: chatKey,
        kind: 'button',
        // A button without a payload we could have sent (an old or forged one) gets the menu.
        value: payload.length > 0 && payload.length <= 300 ? payload : 'action:menu',
        localeHint: user_locale ?? undefined,
        platformMessageId: callback.callback_id,
      };
      const text = message?.body.text ?? undefined;
      return { ok: true, event: { kind: 'callback', chatKey, chatId: message?.recipient.chat_id ?? undefined, inbound, answer: { callbackId: callback.callback_id, ...(text ? { text } : {}) } } };
    }
    case 'bot_started': {
      const r = BotStarted.safeParse(body);
      if (!r.success) return { ok: false, error: issue(r.error) };
      const chatKey = String(r.data.user.user_id);
      const inbound: Inbound = {
        channel: MAX,
        chatKey,
        userKey: chatKey,
        kind: 'command',
        value: 'start',
        // The deep-link payload (max.ru/<bot>?start=…) travels as the command's text: the entry point.
        ...(r.data.payload ? { text: r.data.payload } : {}),
        localeHint: r.data.user_locale ?? undefined,
        platformMessageId: `started@${timestamp}`,
      };
      return { ok: true, event: { kind: 'message', chatKey, chatId: r.data.chat_id, inbounds: [inbound] } };
    }
    case 'bot_stopped': {
      const r = BotStopped.safeParse(body);
      if (!r.success) return { ok: false, error: issue(r.error) };
      return { ok: true, event: { kind: 'blocked', chatKey: String(r.data.user.user_id) } };
    }
    default:
      return { ok: true, event: { kind: 'ignored', reason: `type ${type.slice(0, 40)}` } };
  }
}
