import { createHash } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Inbound } from '../../core/types.js';

export const BOTFRAMEWORK = 'botframework';

/**
 * The least an activity needs for us to answer it. Everything else passes through untouched:
 * channels add their own fields and botbuilder reads them.
 */
export const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  conversation: z.looseObject({ id: z.string().min(1).max(1024), tenantId: z.string().max(256).optional() }),
  from: z.looseObject({ id: z.string().max(1024) }).optional(),
  recipient: z.looseObject({ id: z.string().max(1024) }).optional(),
  text: z.string().optional(),
  locale: z.string().max(64).optional(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256).optional() })).optional(),
  membersAdded: z.array(z.looseObject({ id: z.string().max(1024) })).optional(),
});

/** One readable line for a 400: which field and what is wrong. */
export function explainInvalid(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be one Bot Framework activity (a JSON object)';
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'activity';
  return `invalid activity: ${where}: ${issue.message}`;
}

/**
 * The chat key of a Bot Framework conversation: a hash, so platform ids (Teams ids carry the
 * tenant, Facebook ones the person) never become store keys in clear.
 */
export function chatKeyOf(activity: Pick<Activity, 'channelId' | 'conversation'>): string {
  const h = createHash('sha256');
  h.update(`${activity.channelId}\n${activity.conversation.tenantId ?? ''}\n${activity.conversation.id}`);
  return `bf-${h.digest('base64url').slice(0, 32)}`;
}

/** The child's language: the activity's locale, or Teams' clientInfo entity. */
export function localeOf(activity: Partial<Activity>): string | undefined {
  if (activity.locale) return activity.locale;
  const info = activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: unknown } | undefined;
  return typeof info?.locale === 'string' ? info.locale : undefined;
}

/** Attachments that are the message text itself (Teams sends its HTML rendering along). */
const TEXT_TYPES = new Set(['text/html', 'text/plain', 'text/markdown']);

/** What a child attached, as the media kind the core knows; attachments are never downloaded. */
export function mediaKind(contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('application/vnd.microsoft.card.')) return 'card';
  return 'file';
}

/** The media a message carries, apart from the text renderings. */
export function mediaOf(activity: Partial<Activity>): string[] {
  const kinds = (activity.attachments ?? []).filter((a) => !TEXT_TYPES.has((a.contentType ?? '').toLowerCase())).map((a) => mediaKind(a.contentType));
  if (kinds.length === 0 && activity.entities?.some((e) => e.type === 'Place' || e.type === 'GeoCoordinates')) kinds.push('location');
  return kinds;
}

/**
 * One message activity as the core's Inbound messages: the attachments first (one per media
 * kind), then the text. `button` is the value of a quick reply the text matched, if any.
 */
export function toInbound(activity: Partial<Activity>, chatKey: string, button?: string): Inbound[] {
  // An edit keeps the id of the message it edits: only new messages are de-duplicated by id.
  const edit = activity.type === 'messageUpdate';
  const base = { channel: BOTFRAMEWORK, chatKey, userKey: activity.from?.id ?? chatKey, localeHint: localeOf(activity), platformMessageId: edit ? undefined : activity.id };
  const out: Inbound[] = [];
  for (const media of new Set(mediaOf(activity))) out.push({ ...base, kind: 'media', media });
  if (button) {
    out.push({ ...base, kind: 'button', value: button });
    return out;
  }
  const text = stripMentions(activity).trim();
  if (text) out.push({ ...base, kind: edit ? 'edit' : 'text', text });
  return out;
}

/** In group chats (Teams, Slack) the text starts with "<at>bot</at>"; it is not the child's words. */
export function stripMentions(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  for (const e of activity.entities ?? []) {
    const m = e as { type?: string; mentioned?: { id?: string }; text?: unknown };
    if (m.type === 'mention' && m.mentioned?.id === activity.recipient?.id && typeof m.text === 'string') text = text.split(m.text).join('');
  }
  return text;
}

/** People (not the bot itself) who joined the conversation in a conversationUpdate. */
export function humansAdded(activity: Partial<Activity>): number {
  const bot = activity.recipient?.id;
  return (activity.membersAdded ?? []).filter((m) => m.id !== bot).length;
}
