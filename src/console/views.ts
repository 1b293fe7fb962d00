import type { Conversation, TranscriptEntry } from '../core/types.js';
import type { StaffQueries } from '../core/use-cases/queries.js';
import { atLeast, type Role } from './roles.js';

export interface QueueEntryView {
  id: string;
  channel: string;
  risk: Conversation['risk'];
  topic: Conversation['topic'];
  /** ms since the epoch: when this wait began (for a conversation returned to the queue, when it came back). */
  waitingSince: number;
  position: number;
  locale: string;
  ageGroup?: string;
  about?: string;
  /** Back in the queue after a counselor left (transfer to the queue, or vanished). */
  returned: boolean;
  /** Opened while its address was over the new-chat cap: a possible flood, behind everyone else. */
  flood: boolean;
  /** The child's page is open now; null when the channel cannot tell (messengers). */
  online: boolean | null;
  /** The child's last sign of life (ms): the page, or their last message. */
  lastSeen: number | null;
  /** The child's first words, cut short (staff only). */
  preview?: string;
}

export interface ConversationSummary {
  id: string;
  channel: string;
  state: Conversation['state'];
  risk: Conversation['risk'];
  topic: Conversation['topic'];
  locale: string;
  counselorId?: string;
  updatedAt: number;
  ageGroup?: string;
  about?: string;
  /** Supervisors who joined the chat. */
  joined: string[];
  imminent?: Conversation['imminent'];
  hand?: Conversation['hand'];
  lastChildAt?: number;
  lastCounselorAt?: number;
  /** From a blocked identity, let through because it spoke of a crisis. */
  blocked?: boolean;
}

/** Only what staff need; meta may carry bot internals that are nobody's business. */
export function summary(conv: Conversation): ConversationSummary {
  return {
    id: conv.id,
    channel: conv.channel,
    state: conv.state,
    risk: conv.risk,
    topic: conv.topic,
    locale: conv.locale,
    counselorId: conv.counselorId,
    updatedAt: conv.updatedAt,
    ageGroup: conv.meta.ageGroup,
    about: conv.meta.about,
    joined: conv.joined ?? [],
    imminent: conv.imminent,
    hand: conv.hand,
    lastChildAt: conv.lastChildAt,
    lastCounselorAt: conv.lastCounselorAt,
    ...(conv.blocked ? { blocked: true } : {}),
  };
}

export function detail(conv: Conversation, transcript: TranscriptEntry[]) {
  return {
    ...summary(conv),
    createdAt: conv.createdAt,
    waitingSince: conv.waitingSince,
    closeCategory: conv.meta.closeCategory,
    closeOutcome: conv.meta.closeOutcome,
    feedback: conv.meta.feedback as string | undefined,
    transcript,
    /** The triage of every child message, in order: what the counselor needs to judge the risk. */
    triage: transcript
      .filter((e) => e.triage)
      .map((e) => ({ seq: e.seq, at: e.at, topic: e.triage!.topic, risk: e.triage!.risk, confidence: e.triage!.confidence, reasons: e.triage!.reasons })),
  };
}

/**
 * Who may read a conversation: supervisors and admins any; a counselor those waiting in the queue
 * (to decide whom to take) and those assigned to them.
 */
export function canRead(staff: { id: string; role: Role }, conv: Pick<Conversation, 'state' | 'counselorId'>): boolean {
  if (atLeast(staff.role, 'supervisor')) return true;
  if (!atLeast(staff.role, 'counselor')) return false;
  return conv.state === 'queued' || conv.counselorId === staff.id;
}

/** The queue, most urgent first, with what a counselor needs to choose. */
export async function queueView(queries: StaffQueries, limit = 200, offset = 0): Promise<{ total: number; items: QueueEntryView[] }> {
  const { total, entries } = await queries.queue(limit, offset);
  const items = entries.map(({ item, conv, presence }) => ({
    id: item.id,
    channel: conv.channel,
    risk: item.risk,
    topic: conv.topic,
    waitingSince: item.waitingSince,
    position: item.position,
    locale: conv.locale,
    ageGroup: conv.meta.ageGroup,
    about: conv.meta.about,
    returned: item.returned,
    flood: item.flood,
    online: presence ? presence.online : null,
    lastSeen: presence?.lastSeen ?? conv.lastChildAt ?? null,
    preview: conv.preview,
  }));
  return { total, items };
}
