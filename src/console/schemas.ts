// The console's wire contract in one place: the request bodies the routes validate and the
// payloads and WebSocket frames the console receives. The routes (src/console/*) parse bodies
// with these schemas and type the frames they send with them; the browser console (web/console)
// parses every frame with them, so a frame that does not fit is logged and dropped instead of
// breaking the page.
//
// zod/mini rather than zod's classic API: the schemas are bundled into the console page, and
// mini tree-shakes to the few validators used (the classic API would add about 15 KB gz).
// Only core constants are imported (no node built-ins), so Vite can bundle this file as is.
import * as z from 'zod/mini';
import { RISKS, TOPICS } from '../core/taxonomy.js';
import { ROLES } from '../core/staff.js';

export const MAX_TRANSFER_NOTE = 300;

const risk = z.enum(RISKS);
const topic = z.enum(TOPICS);
const role = z.enum(ROLES);
const state = z.enum(['bot', 'queued', 'with_counselor', 'closed']);
const id = z.string();
const ms = z.number();

// ---- request bodies ----

/** A message to the child, a note or a whisper (`max`: MAX_TEXT_CHARS). */
export function textBodySchema(max: number) {
  return z.object({ text: z.string().check(z.trim(), z.minLength(1, 'empty text'), z.maxLength(max)) });
}
export const transferBodySchema = z.object({
  to: z.string().check(z.minLength(1), z.maxLength(64)),
  note: z.optional(z.string().check(z.trim(), z.maxLength(MAX_TRANSFER_NOTE))),
});
export const presenceBodySchema = z.object({ available: z.boolean() });
export const handBodySchema = z.object({ raised: z._default(z.boolean(), true) });
/** POST /api/conversations/:id/block (supervisor+). */
export const blockBodySchema = z.object({ days: z.number().check(z.int(), z.minimum(1), z.maximum(365)), reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(500)) });
export const correctionBodySchema = z.object({ topic, risk });
export function loginBodySchema(maxPassword: number) {
  return z.object({ username: z.string().check(z.minLength(1), z.maxLength(64)), password: z.string().check(z.minLength(1), z.maxLength(maxPassword)) });
}
export function passwordBodySchema(maxPassword: number) {
  return z.object({ current: z.string().check(z.minLength(1), z.maxLength(maxPassword)), next: z.string().check(z.minLength(1), z.maxLength(maxPassword)) });
}

// ---- payloads ----

export const triageSchema = z.object({
  topic,
  risk,
  confidence: z.optional(z.number()),
  reasons: z.optional(z.array(z.string())),
});

export const entrySchema = z.object({
  seq: z.number(),
  at: ms,
  from: z.enum(['child', 'bot', 'counselor', 'system', 'note', 'whisper']),
  text: z.string(),
  triage: z.optional(triageSchema),
  by: z.optional(z.string()),
  to: z.optional(z.string()),
  kind: z.optional(z.string()),
});
export type Entry = z.infer<typeof entrySchema>;

const imminentSchema = z.object({ since: ms, ackBy: z.optional(z.string()), ackAt: z.optional(ms) });
const handSchema = z.object({ by: z.string(), at: ms });

/** A card in the queue (GET /api/queue and the `queue` frame). */
export const queueCardSchema = z.object({
  id,
  channel: z.string(),
  risk,
  topic,
  waitingSince: ms,
  position: z.number(),
  locale: z.string(),
  ageGroup: z.optional(z.string()),
  about: z.optional(z.string()),
  returned: z.boolean(),
  flood: z.boolean(),
  online: z.nullable(z.boolean()),
  lastSeen: z.nullable(ms),
  preview: z.optional(z.string()),
});
export type QueueCard = z.infer<typeof queueCardSchema>;

/** A conversation as staff see it in lists (GET /api/conversations, claim, ack, join, hand). */
export const summarySchema = z.object({
  id,
  channel: z.string(),
  state,
  risk,
  topic,
  locale: z.string(),
  counselorId: z.optional(z.string()),
  updatedAt: ms,
  ageGroup: z.optional(z.string()),
  about: z.optional(z.string()),
  joined: z.array(z.string()),
  imminent: z.optional(imminentSchema),
  hand: z.optional(handSchema),
  lastChildAt: z.optional(ms),
  lastCounselorAt: z.optional(ms),
  blocked: z.optional(z.boolean()),
});
export type Summary = z.infer<typeof summarySchema>;

/** One conversation with its transcript (GET /api/conversations/:id). */
/** The child's earlier contacts (PROFILE_SECRET set): "обращался раньше: N раз, последний — …", no text. */
export const previousSchema = z.object({ count: z.number(), lastAt: ms, topic: z.string(), risk: z.string() });
export const detailSchema = z.extend(summarySchema, { transcript: z.array(entrySchema), previous: z.optional(z.nullable(previousSchema)) });
export type Detail = z.infer<typeof detailSchema>;

/** POST /api/conversations/:id/close: the summary and whether to offer a pause. */
export const closedSchema = z.extend(summarySchema, { cooldown: z.optional(z.boolean()) });

export const liveChatSchema = z.object({
  id,
  state: z.enum(['queued', 'with_counselor']),
  channel: z.string(),
  risk,
  topic,
  counselorId: z.optional(z.string()),
  joined: z.array(z.string()),
  waitingSince: z.optional(ms),
  lastChildAt: z.optional(ms),
  lastCounselorAt: z.optional(ms),
  imminent: z.optional(imminentSchema),
  hand: z.optional(handSchema),
  online: z.nullable(z.boolean()),
  lastSeen: z.nullable(ms),
});
export type LiveChatView = z.infer<typeof liveChatSchema>;

export const liveViewSchema = z.object({
  at: ms,
  chats: z.array(liveChatSchema),
  counselors: z.array(z.object({ id: z.string(), role, online: z.boolean(), available: z.boolean(), holding: z.number(), heavyChats: z.number() })),
  supervisorsOnline: z.number(),
  maxChats: z.number(),
});
export type LiveViewPayload = z.infer<typeof liveViewSchema>;

export const staffMemberSchema = z.object({ id: z.string(), role, available: z.boolean(), online: z.boolean() });
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const meSchema = z.object({ user: z.object({ id: z.string(), role }), csrfToken: z.string(), available: z.optional(z.boolean()) });
export type Me = z.infer<typeof meSchema>;

export const auditLineSchema = z.object({ at: ms, by: z.string(), action: z.string(), target: z.optional(z.string()), detail: z.optional(z.string()), actionText: z.optional(z.string()), text: z.optional(z.string()) });
export type AuditLineView = z.infer<typeof auditLineSchema>;
export const auditActionSchema = z.object({ action: z.string(), text: z.string() });

const categoryTreeSchema = z.object({
  categories: z.array(z.object({ id: z.string(), subcategories: z.array(z.string()) })),
  callTypes: z.array(z.string()),
});
/** GET /api/meta: what the close form needs, and whether the chat is on shift. */
export const metaSchema = z.object({
  categories: z.array(z.string()),
  categoryTree: z.optional(categoryTreeSchema),
  categoryLabels: z.optional(z.record(z.string(), z.string())),
  outcomes: z.array(z.string()),
  openingHours: z.string(),
  open: z.boolean(),
});
export type Meta = z.infer<typeof metaSchema>;

export const cannedSchema = z.array(z.object({ id: z.string(), text: z.string() }));

// ---- frames on /api/events ----

export const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), user: z.object({ id: z.string(), role }) }),
  z.extend(z.object({ type: z.literal('queue'), total: z.number() }), { items: z.array(queueCardSchema) }),
  z.object({ type: z.literal('alert'), id, risk, topic, at: ms, flood: z.optional(z.boolean()), counselorId: z.optional(z.string()) }),
  z.object({ type: z.literal('conversation'), id, state, risk, topic, counselorId: z.optional(z.string()) }),
  z.object({ type: z.literal('message'), id, entry: entrySchema }),
  z.object({ type: z.literal('typing'), id, from: z.enum(['child', 'counselor']) }),
  z.object({ type: z.literal('unwatch'), id, reason: z.optional(z.string()) }),
  z.object({ type: z.literal('watching'), id }),
  z.object({ type: z.literal('transferred'), id, by: z.string(), to: z.string(), note: z.optional(z.string()), risk, topic, at: ms }),
  z.extend(liveViewSchema, { type: z.literal('live') }),
  z.object({ type: z.literal('safety'), id, kind: z.enum(['repeat', 'ack', 'hand', 'hand_lowered', 'join']), by: z.optional(z.string()), counselorId: z.optional(z.string()), risk, at: ms }),
  z.object({ type: z.literal('no_supervisor'), id, counselorId: z.string(), at: ms }),
  z.object({ type: z.literal('abandoned'), id, risk, at: ms }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), error: z.string(), id: z.optional(z.string()) }),
]);
export type Frame = z.infer<typeof frameSchema>;

/** What the console sends up the socket. */
export type ClientFrame = { type: 'watch' | 'unwatch'; id: string } | { type: 'ping' };

/** A frame for the wire, checked against the contract by the compiler (no runtime cost on the alert path). */
export function frame(f: Frame): string {
  return JSON.stringify(f);
}

/** GET /api/console/ui: the console's words in one language (ConsoleUi in src/core/console-messages.ts). */
export const consoleUiSchema = z.object({
  locale: z.string(),
  locales: z.array(z.object({ code: z.string(), name: z.string() })),
  strings: z.record(z.string(), z.string()),
});
