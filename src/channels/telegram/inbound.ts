import type { Message } from 'grammy/types';
import type { Inbound } from '../../core/types.js';

export const TELEGRAM = 'telegram';

/**
 * What a child can send besides text, most specific first (an animation also carries a document,
 * a venue also carries a location). None of it is downloaded: the counselor sees "[photo]".
 */
const MEDIA_KINDS = [
  'sticker',
  'animation',
  'photo',
  'live_photo',
  'video_note',
  'video',
  'voice',
  'audio',
  'document',
  'venue',
  'location',
  'contact',
  'poll',
  'checklist',
  'dice',
  'game',
  'story',
  'paid_media',
  'giveaway',
  'invoice',
] as const;

export type MediaKind = (typeof MEDIA_KINDS)[number];

export function mediaKind(msg: Message): MediaKind | undefined {
  return MEDIA_KINDS.find((k) => (msg as unknown as Record<string, unknown>)[k] !== undefined);
}

/** A bot command at the very start of the text (Telegram marks it with an entity). */
export function commandOf(msg: Pick<Message, 'text' | 'entities'>): { name: string; arg: string } | undefined {
  const text = msg.text;
  const entity = msg.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!text || !entity) return undefined;
  // "/start@helpline_bot payload" → start, payload
  const name = text.slice(1, entity.length).split('@')[0]!.toLowerCase();
  return { name, arg: text.slice(entity.length).trim() };
}

type Base = Pick<Inbound, 'channel' | 'chatKey' | 'userKey' | 'localeHint' | 'platformMessageId'>;

export function baseOf(msg: Message): Base {
  return {
    channel: TELEGRAM,
    chatKey: String(msg.chat.id),
    userKey: String(msg.from?.id ?? msg.chat.id),
    localeHint: msg.from?.language_code,
    platformMessageId: String(msg.message_id),
  };
}

/**
 * A private message as the core's Inbound shapes: one for text or a command; for media one
 * 'media' Inbound and, when the child wrote a caption, the caption as text (words are never
 * dropped — a caption can say that the child is in danger). Service messages give none.
 */
export function inboundsOf(msg: Message): Inbound[] {
  const base = baseOf(msg);
  const command = commandOf(msg);
  if (command) return [{ ...base, kind: 'command', value: command.name }];
  if (msg.text !== undefined) return [{ ...base, kind: 'text', text: msg.text }];
  const media = mediaKind(msg);
  if (!media) return [];
  const out: Inbound[] = [{ ...base, kind: 'media', media }];
  if (msg.caption?.trim()) out.push({ ...base, kind: 'text', text: msg.caption });
  return out;
}

/** An edited message: the new words reach the counselor as an edit. Edits without words (a live location moving) give none. */
export function editOf(msg: Message): Inbound | undefined {
  const text = msg.text ?? msg.caption;
  if (!text?.trim()) return undefined;
  // Every edit of one message is its own event: the edit time tells them apart.
  return { ...baseOf(msg), kind: 'edit', text, platformMessageId: `${msg.message_id}:${msg.edit_date ?? 0}` };
}
