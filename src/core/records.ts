// Contact records: what a helpline keeps about a contact after its transcript is gone. Only
// structured facts (times, categories, staff ids, assessments): never a word the child wrote,
// never a chat id. The core derives a record from a conversation (toRecord) and hands it to the
// outbox after the live step; a writer outside the core flushes the outbox to the records
// database (src/records). Records outlive transcripts (RECORD_RETENTION_DAYS).
import type { Risk, Topic } from './taxonomy.js';
import type { ChannelId, Conversation } from './types.js';

/** The emergency services a counselor may call for a child. */
export const REFERRAL_SERVICES = ['112', 'police', 'ambulance', 'child_protection'] as const;
export type ReferralService = (typeof REFERRAL_SERVICES)[number];

/** An emergency referral: who was called, when, by whom, and the supervisor who signed it off. */
export interface EmergencyReferral {
  services: ReferralService[];
  calledAt: number;
  by: string;
  signedOffBy?: string;
  signedOffAt?: number;
}

export const SCREENER_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type ScreenerAnswer = (typeof SCREENER_ANSWERS)[number];
export const SCREENER_TIME_FRAMES = ['now', 'today', 'this_week', 'past_month', 'longer_ago', 'unknown'] as const;

/**
 * The suicide and self-harm screener, in the order counselors ask (after the C-SSRS screen):
 * wish to be dead, thoughts, method, intent, plan, behaviour, and when. Answers only.
 */
export interface RiskAssessment {
  wishDead: ScreenerAnswer;
  thoughts: ScreenerAnswer;
  method: ScreenerAnswer;
  intent: ScreenerAnswer;
  plan: ScreenerAnswer;
  behaviour: ScreenerAnswer;
  timeFrame: (typeof SCREENER_TIME_FRAMES)[number];
  by: string;
  at: number;
}

/** What use cases note on a conversation for its record (conv.meta.rec). Structured only. */
export interface RecordFacts {
  queuedAt?: number;
  claimedAt?: number;
  closedAt?: number;
  /** Left the queue before a counselor came. */
  abandonedAt?: number;
  /** The first wait from the queue to a counselor (ms). */
  firstWaitMs?: number;
  /** The triage of the child's first message: intent id, topic, risk (no text). */
  first?: { intent: string; topic: Topic; risk: Risk };
  /** Staff ids in the order they had the chat. */
  counselors?: string[];
  transfers?: number;
  chiCategories?: string[];
  chiSubcategories?: string[];
  callType?: string;
  ageGroup?: string;
  gender?: string;
  referral?: EmergencyReferral;
  assessment?: RiskAssessment;
  /** A safety plan was made and sent (its words stay with the transcript, not the record). */
  safetyPlan?: boolean;
  /** The identity had contacted the line before. */
  repeat?: boolean;
  /** The identity was blocked when this contact came. */
  blocked?: boolean;
  closedBy?: 'staff' | 'child' | 'system';
}

/** One contact record: a row of the records database. Times are ms since the epoch. */
export interface ContactRecord {
  id: string;
  channel: ChannelId;
  locale: string;
  state: Conversation['state'];
  startedAt: number;
  queuedAt: number | null;
  claimedAt: number | null;
  closedAt: number | null;
  abandonedAt: number | null;
  waitMs: number | null;
  risk: Risk;
  topic: Topic;
  firstIntent: string | null;
  firstTopic: Topic | null;
  firstRisk: Risk | null;
  ageGroup: string | null;
  about: string | null;
  gender: string | null;
  counselorId: string | null;
  counselors: string[];
  transfers: number;
  chiCategories: string[];
  chiSubcategories: string[];
  callType: string | null;
  outcome: string | null;
  referral: EmergencyReferral | null;
  assessment: RiskAssessment | null;
  safetyPlan: boolean;
  feedback: string | null;
  repeatContact: boolean;
  blocked: boolean;
  flood: boolean;
  closedBy: string | null;
}

/** What goes into the outbox: the record as it stands, and the pseudonymous profile it counts for. */
export interface RecordSnapshot {
  record: ContactRecord;
  /** HMAC of channel and chat key (never reversible); absent when profiles are off. */
  profile?: string;
}

/** An outbox entry: the snapshot and its sequence number, increasing in the order pushed. */
export interface OutboxItem {
  seq: number;
  snapshot: RecordSnapshot;
}

/** An entry as read back: snapshot null when it does not parse (seq -1 when even that is unreadable). */
export interface PeekedItem {
  seq: number;
  snapshot: RecordSnapshot | null;
}

/**
 * The records outbox in the live store (memory or Redis): written after the live step, read by
 * one flusher at a time, dropped only after the database has the records.
 */
export interface RecordOutbox {
  /** Appends with the next sequence number (assigned atomically across instances). */
  pushRecord(snapshot: RecordSnapshot): Promise<number>;
  /** The oldest entries, up to n, without removing them. */
  peekRecords(n: number): Promise<PeekedItem[]>;
  /**
   * Removes the oldest entries up to and including sequence throughSeq (after they were written).
   * By sequence, not by count: a second flusher that took over from a slow one never drops
   * entries nobody wrote.
   */
  dropRecords(throughSeq: number): Promise<void>;
  recordBacklog(): Promise<number>;
}

const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The record of a conversation as it stands: a pure function of the conversation. */
export function toRecord(conv: Conversation): ContactRecord {
  const r = (conv.meta.rec ?? {}) as RecordFacts;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: conv.id,
    channel: conv.channel,
    locale: conv.locale,
    state: conv.state,
    startedAt: conv.createdAt,
    queuedAt: nul(r.queuedAt),
    claimedAt: nul(r.claimedAt),
    closedAt: nul(r.closedAt),
    abandonedAt: nul(r.abandonedAt),
    waitMs: nul(r.firstWaitMs),
    risk: conv.risk,
    topic: conv.topic,
    firstIntent: r.first?.intent ?? null,
    firstTopic: r.first?.topic ?? null,
    firstRisk: r.first?.risk ?? null,
    ageGroup: r.ageGroup ?? str(conv.meta.ageGroup),
    about: str(conv.meta.about),
    gender: nul(r.gender),
    counselorId: conv.counselorId ?? r.counselors?.at(-1) ?? null,
    counselors: r.counselors ?? [],
    transfers: r.transfers ?? 0,
    chiCategories: r.chiCategories ?? (typeof conv.meta.closeCategory === 'string' ? [conv.meta.closeCategory] : []),
    chiSubcategories: r.chiSubcategories ?? [],
    callType: nul(r.callType),
    outcome: str(conv.meta.closeOutcome),
    referral: nul(r.referral),
    assessment: nul(r.assessment),
    safetyPlan: r.safetyPlan === true,
    feedback: str(conv.meta.feedback),
    repeatContact: r.repeat === true,
    blocked: r.blocked === true,
    flood: conv.flood === true,
    closedBy: nul(r.closedBy),
  };
}

/** The facts of a conversation, created on first use. */
export function facts(conv: Conversation): RecordFacts {
  conv.meta.rec ??= {};
  return conv.meta.rec as RecordFacts;
}
