// VK Callback API / Bots Long Poll events → the core's Inbound shape. Pure: no I/O, no rule of
// the helpline; the channel decodes keyed button values and hands the result to the core.
import { z } from 'zod';
import type { Inbound } from '../../core/types.js';

export const VK = 'vk';

/** Peers from 2e9 up are group conversations: a child's conversation is private. */
const FIRST_CHAT_PEER = 2_000_000_000;

/** VK's interface languages (client_info.lang_id) as locale hints. */
const LANG_IDS: Record<number, string> = { 0: 'ru', 1: 'uk', 2: 'be', 3: 'en', 4: 'es', 5: 'fi', 6: 'de', 7: 'it', 97: 'kk' };

export function localeOfLangId(langId: number | undefined): string | undefined {
  return langId === undefined ? undefined : LANG_IDS[langId];
}

// ---- shapes (only the parts the channel reads; anything else passes unread) ----

const int = z.number().int();

/** The envelope of every event. */
export const EnvelopeSchema = z.object({
  type: z.string().min(1).max(100),
  group_id: int.optional(),
  event_id: z.string().max(200).optional(),
  secret: z.string().max(200).optional(),
  object: z.unknown().optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

const AttachmentSchema = z.object({ type: z.string() });

const MessageSchema = z.object({
  id: int,
  peer_id: int,
  from_id: int,
  text: z.string().default(''),
  conversation_message_id: int.optional(),
  attachments: z.array(AttachmentSchema).optional(),
  /** Text buttons carry their payload as a JSON string. */
  payload: z.string().optional(),
  geo: z.object({}).loose().optional(),
  fwd_messages: z.array(z.unknown()).optional(),
  action: z.object({ type: z.string() }).loose().optional(),
});
export type VkMessage = z.infer<typeof MessageSchema>;

const ClientInfoSchema = z.object({
  button_actions: z.array(z.string()).optional(),
  keyboard: z.boolean().optional(),
  inline_keyboard: z.boolean().optional(),
  lang_id: int.optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

const MessageNewSchema = z.object({ message: MessageSchema, client_info: ClientInfoSchema.optional() });
const MessageEventSchema = z.object({
  user_id: int,
  peer_id: int,
  event_id: z.string().min(1).max(200),
  payload: z.unknown().optional(),
  conversation_message_id: int.optional(),
});
const UserSchema = z.object({ user_id: int });
const TypingSchema = z.object({ state: z.string(), from_id: int });

// ---- what an event means ----

/** What a client can show: callback buttons, inline keyboards, keyboards at all. */
export interface ClientCaps {
  callback: boolean;
  inline: boolean;
  keyboard: boolean;
}

/** A client that says nothing about itself is assumed to be a current one. */
export const DEFAULT_CAPS: ClientCaps = { callback: true, inline: true, keyboard: true };

export function capsOf(info: ClientInfo | undefined): ClientCaps | undefined {
  if (!info) return undefined;
  return {
    callback: info.button_actions ? info.button_actions.includes('callback') : true,
    inline: info.inline_keyboard ?? true,
    keyboard: info.keyboard ?? true,
  };
}

export type VkEvent =
  /** A child's message: one Inbound, or a media and its caption. Button values may still be keyed. */
  | { kind: 'message'; chatKey: string; inbounds: Inbound[]; caps?: ClientCaps }
  /** A callback button was pressed: answer it (sendMessageEventAnswer), then the Inbound. */
  | { kind: 'callback'; chatKey: string; inbound: Inbound; answer: { event_id: string; user_id: number; peer_id: number } }
  /** The child turned messages from the community off: nothing more can be delivered. */
  | { kind: 'blocked'; chatKey: string }
  | { kind: 'typing'; chatKey: string }
  | { kind: 'ignored'; reason: string };

export type Parsed = { ok: true; event: VkEvent } | { ok: false; error: string };

function issue(err: z.ZodError): string {
  const first = err.issues[0];
  return first ? `${first.path.join('.') || '(object)'}: ${first.message}` : 'invalid';
}

/** Media a child can send, by VK attachment type; none of it is downloaded. */
const MEDIA: Record<string, string> = {
  photo: 'photo',
  video: 'video',
  audio: 'audio',
  audio_message: 'voice',
  doc: 'document',
  sticker: 'sticker',
  graffiti: 'sticker',
  link: 'link',
  wall: 'post',
  wall_reply: 'comment',
  market: 'product',
  poll: 'poll',
  story: 'story',
  gift: 'gift',
  call: 'call',
  article: 'article',
};

export function mediaOf(msg: VkMessage): string | undefined {
  const first = msg.attachments?.[0];
  if (first) return MEDIA[first.type] ?? 'file';
  if (msg.geo) return 'location';
  if (msg.fwd_messages?.length) return 'forward';
  return undefined;
}

const COMMAND = /^\/([a-z][a-z0-9_]{0,31})(?:@\S+)?(?:\s+([\s\S]*))?$/i;

export function commandOf(text: string): { name: string; arg: string } | undefined {
  const m = COMMAND.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() } : undefined;
}

/** A button's wire value inside a payload ({"b": value}); the "Start" button's {"command":"start"}. */
export function payloadOf(raw: unknown): { button?: string; command?: string } {
  let p = raw;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return {};
    }
  }
  if (!p || typeof p !== 'object') return {};
  const o = p as Record<string, unknown>;
  if (typeof o.b === 'string' && o.b.length > 0 && o.b.length <= 300) return { button: o.b };
  if (typeof o.command === 'string' && /^[a-z_]{1,32}$/.test(o.command)) return { command: o.command };
  return {};
}

export interface MapOptions {
  /** Locales the bot speaks: "/lang en" switches at once. */
  hasLocale?: (locale: string) => boolean;
}

/** The Inbounds of one private message. */
export function messageInbounds(msg: VkMessage, base: Omit<Inbound, 'kind'>, opts: MapOptions = {}): Inbound[] {
  const payload = msg.payload ? payloadOf(msg.payload) : {};
  if (payload.button) return [{ ...base, kind: 'button', value: payload.button }];
  if (payload.command) return [{ ...base, kind: 'command', value: payload.command }];
  const command = msg.text ? commandOf(msg.text) : undefined;
  if (command) {
    if (command.name === 'lang' && command.arg && opts.hasLocale?.(command.arg.toLowerCase())) {
      return [{ ...base, kind: 'button', value: `lang:${command.arg.toLowerCase()}` }];
    }
    return [{ ...base, kind: 'command', value: command.name }];
  }
  const media = mediaOf(msg);
  const out: Inbound[] = [];
  if (media) out.push({ ...base, kind: 'media', media });
  // Words are never dropped: a caption can say that the child is in danger.
  if (msg.text.trim()) out.push({ ...base, kind: 'text', text: msg.text });
  return out;
}

/**
 * Reads one event (already past the secret check). Known types with a wrong shape are errors
 * (400); unknown types and events the bot does not act on are 'ignored' (200).
 */
export function parseEvent(env: Envelope, opts: MapOptions = {}): Parsed {
  switch (env.type) {
    case 'message_new': {
      const r = MessageNewSchema.safeParse(env.object);
      if (!r.success) return { ok: false, error: `object.${issue(r.error)}` };
      const { message: msg, client_info } = r.data;
      if (msg.peer_id >= FIRST_CHAT_PEER) return { ok: true, event: { kind: 'ignored', reason: 'group conversation' } };
      if (msg.from_id <= 0 || msg.action) return { ok: true, event: { kind: 'ignored', reason: 'not a person’s message' } };
      const chatKey = String(msg.peer_id);
      const base = {
        channel: VK,
        chatKey,
        userKey: String(msg.from_id),
        localeHint: localeOfLangId(client_info?.lang_id),
        platformMessageId: env.event_id ?? `m${msg.id}`,
      };
      const caps = capsOf(client_info);
      return { ok: true, event: { kind: 'message', chatKey, inbounds: messageInbounds(msg, base, opts), ...(caps ? { caps } : {}) } };
    }
    case 'message_edit': {
      const r = MessageSchema.safeParse(env.object);
      if (!r.success) return { ok: false, error: `object.${issue(r.error)}` };
      const msg = r.data;
      // The community's own messages are edited too (and a counselor never edits through VK).
      if (msg.peer_id >= FIRST_CHAT_PEER || msg.from_id <= 0) return { ok: true, event: { kind: 'ignored', reason: 'not a child’s edit' } };
      if (!msg.text.trim()) return { ok: true, event: { kind: 'ignored', reason: 'edit without words' } };
      const chatKey = String(msg.peer_id);
      const inbound: Inbound = {
        channel: VK,
        chatKey,
        userKey: String(msg.from_id),
        kind: 'edit',
        text: msg.text,
        // Each edit is its own event; the message id alone would make a second edit a duplicate.
        platformMessageId: env.event_id ?? `e${msg.id}:${msg.text.length}`,
      };
      return { ok: true, event: { kind: 'message', chatKey, inbounds: [inbound] } };
    }
    case 'message_event': {
      const r = MessageEventSchema.safeParse(env.object);
      if (!r.success) return { ok: false, error: `object.${issue(r.error)}` };
      const e = r.data;
      if (e.peer_id >= FIRST_CHAT_PEER) return { ok: true, event: { kind: 'ignored', reason: 'group conversation' } };
      const chatKey = String(e.peer_id);
      const payload = payloadOf(e.payload);
      const inbound: Inbound = payload.command
        ? { channel: VK, chatKey, userKey: String(e.user_id), kind: 'command', value: payload.command, platformMessageId: env.event_id ?? e.event_id }
        : // An unreadable payload (an old or forged button) still gets an answer: the menu.
          { channel: VK, chatKey, userKey: String(e.user_id), kind: 'button', value: payload.button ?? 'action:menu', platformMessageId: env.event_id ?? e.event_id };
      return { ok: true, event: { kind: 'callback', chatKey, inbound, answer: { event_id: e.event_id, user_id: e.user_id, peer_id: e.peer_id } } };
    }
    case 'message_deny': {
      const r = UserSchema.safeParse(env.object);
      if (!r.success) return { ok: false, error: `object.${issue(r.error)}` };
      return { ok: true, event: { kind: 'blocked', chatKey: String(r.data.user_id) } };
    }
    case 'message_typing_state': {
      const r = TypingSchema.safeParse(env.object);
      if (!r.success) return { ok: false, error: `object.${issue(r.error)}` };
      if (r.data.state !== 'typing' || r.data.from_id <= 0) return { ok: true, event: { kind: 'ignored', reason: 'typing state' } };
      return { ok: true, event: { kind: 'typing', chatKey: String(r.data.from_id) } };
    }
    default:
      // message_reply (the community's own outgoing messages), message_allow, group events, …
      return { ok: true, event: { kind: 'ignored', reason: `type ${env.type.slice(0, 40)}` } };
  }
}
