// The ports: what the core needs from the world, as interfaces the store, triage, content, the
// metrics and the channels implement. The core imports nothing else; main.ts plugs real parts in.
import type { FeedbackValue } from './buttons.js';
import type { CategoryTree } from './chi.js';
import type { RecordOutbox } from './records.js';
import type { Risk, Topic } from './taxonomy.js';
import type { ChannelId, Conversation, Outbound, QueueItem, StoreEvent, TranscriptEntry, TriageResult } from './types.js';

// ---- live state ----

export interface ConversationStore {
  getConversation(id: string): Promise<Conversation | null>;
  /** Creates or replaces; refreshes retention of the conversation and its transcript. */
  saveConversation(conv: Conversation): Promise<void>;
  /** The current conversation of a platform chat. */
  bindChat(channel: string, chatKey: string, id: string): Promise<void>;
  findChat(channel: string, chatKey: string): Promise<string | null>;
}

export interface TranscriptStore {
  /** Appends and returns the entry with its sequence number (1, 2, …). */
  appendTranscript(id: string, entry: Omit<TranscriptEntry, 'seq'>): Promise<TranscriptEntry>;
  getTranscript(id: string, afterSeq?: number): Promise<TranscriptEntry[]>;
}

/** Where a conversation stands in the queue: risk first; within a risk, children returned by a counselor first. */
export interface QueuePlace {
  risk: Risk;
  /** When this waiting spell began (ms): the first entry, or the return to the queue. */
  waitingSince: number;
  /** Back in the queue after a counselor left (transfer to the queue, or vanished): served first in its risk. */
  returned: boolean;
  /** A possible flood: behind every child who is not, whatever the risk. */
  flood?: boolean;
}

export interface QueueStore {
  /** Puts (or re-scores) a conversation in the handoff queue. */
  enqueue(id: string, place: QueuePlace): Promise<void>;
  /** Removes atomically: exactly one caller gets true (a claim, a child leaving, a close). */
  takeFromQueue(id: string): Promise<boolean>;
  /** Most urgent first. */
  listQueue(): Promise<QueueItem[]>;
  /** 1-based position, null when not queued. */
  queuePosition(id: string): Promise<number | null>;
  queueLength(): Promise<number>;
}

/** Conversations currently with a counselor (for supervisors and the vanished-counselor watch). */
export interface ActiveStore {
  setActive(id: string, active: boolean): Promise<void>;
  listActive(): Promise<string[]>;
}

/** Counselor availability with a heartbeat TTL, and the recent waits behind the wait estimate. */
export interface PresenceStore {
  setPresence(counselorId: string, ttlMs: number): Promise<void>;
  clearPresence(counselorId: string): Promise<void>;
  listPresent(): Promise<string[]>;
  /** A console's last sign of life, expiring after ttlMs. */
  markSeen(counselorId: string, ttlMs: number): Promise<void>;
  isSeen(counselorId: string): Promise<boolean>;
  setAvailability(counselorId: string, available: boolean): Promise<void>;
  isAvailabilitySet(counselorId: string): Promise<boolean>;
}

export interface WaitStats {
  /** Recent waiting times (ms), newest first, for the wait estimate. */
  recordWait(ms: number): Promise<void>;
  recentWaits(): Promise<number[]>;
}

/** Counts events per key in a window shared by every instance (rate caps). */
export interface RateCounter {
  /** Counts one more under key; returns the count within the current window (1 for the first). */
  countHit(key: string, windowMs: number): Promise<number>;
  /** Starts the key's count afresh. */
  resetCount(key: string): Promise<void>;
}

/** "Process this once": true the first time a key is seen within ttl. */
export interface Dedupe {
  markOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forget a key (processing failed: a redelivery must be accepted). */
  unmark(key: string): Promise<void>;
}

export interface Locks {
  /**
   * Runs fn while holding a lock shared by every process on the store. Expires after ttlMs in
   * case its holder dies; waiting longer than waitMs throws.
   */
  withLock<T>(name: string, fn: () => Promise<T>, opts?: { ttlMs?: number; waitMs?: number }): Promise<T>;
}

export type Unsubscribe = () => void;

/** Fan-out to every subscriber in every process sharing the store. */
export interface EventBus {
  publish(event: StoreEvent): Promise<void>;
  subscribe(handler: (event: StoreEvent) => void): Unsubscribe;
}

/** What the waiting room remembers per queued child, shared by instances. */
export interface WaitingNote {
  /** Position last told to the child (0: not told yet). */
  pos: number;
  statusAt: number;
  sent: number;
  lastAt: number;
  offlineTold?: boolean;
}

export interface WaitingRoomStore {
  waitingNotes(): Promise<Record<string, WaitingNote>>;
  setWaitingNote(id: string, note: WaitingNote): Promise<void>;
  deleteWaitingNote(id: string): Promise<void>;
}

/** Whether a child is there: an open web chat page beats; a message is a sign of life too. */
export interface ChildPresence {
  online: boolean;
  /** Last sign of life (ms), null when none was ever recorded (channels that cannot tell). */
  lastSeen: number | null;
}

export interface ChildPresenceStore {
  /** The child is there now (at: the core's clock): online until ttlMs pass without another beat. */
  childBeat(id: string, at: number, ttlMs: number): Promise<void>;
  /** The child's page closed (at: when): offline from now, last seen then. */
  childGone(id: string, at: number): Promise<void>;
  childPresence(ids: string[]): Promise<Map<string, ChildPresence>>;
}

/** High or imminent chats a counselor closed, for the supervisor's "who carried what this shift". */
export interface WellbeingStore {
  recordHeavyChat(counselorId: string, at: number): Promise<void>;
  /** How many since `since` (ms), per counselor asked about. */
  heavyChats(counselorIds: string[], since: number): Promise<Map<string, number>>;
}

/** A channel identity blocked for abusing the line (issue 18): until when, why, by whom. */
export interface Block {
  until: number;
  reason: string;
  by: string;
}

/** Blocks by identity (a pseudonymous key, never a chat id); each expires by itself. */
export interface BlockStore {
  setBlock(identity: string, block: Block, ttlMs: number): Promise<void>;
  getBlock(identity: string): Promise<Block | null>;
  clearBlock(identity: string): Promise<void>;
}

/** Reads a value of unknown shape into T, or fails (zod schemas fit). */
export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * What a channel keeps for itself (Telegram's long button values, Bot Framework references):
 * JSON values under the channel's own namespace, always with a lifetime, validated on read.
 */
export interface ChannelState {
  get<T>(key: string, parser: Parser<T>): Promise<T | null>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
}

/** Everything live the core uses; the memory and Redis stores implement all of it. */
export interface LiveStore
  extends ConversationStore,
    TranscriptStore,
    QueueStore,
    ActiveStore,
    PresenceStore,
    WaitStats,
    Dedupe,
    RateCounter,
    Locks,
    EventBus,
    WaitingRoomStore,
    RecordOutbox,
    ChildPresenceStore,
    WellbeingStore,
    BlockStore {}

export type { RecordOutbox };

// ---- triage and content ----

export interface TriageContext {
  /** The conversation's risk so far: a floor, since risk never goes down by itself. */
  priorRisk: Risk;
  locale?: string;
  /**
   * The question the bot asked just before this message, if the child has not answered it yet:
   * the message is read as the answer ("нет" to the safety question is no crisis, "14" to the
   * age question is no topic).
   */
  asked?: 'safety' | 'age' | 'about';
}

/** Turns a child's text into topic, risk and reasons. */
export interface Triage {
  classify(text: string, ctx: TriageContext): Promise<TriageResult>;
  /** A short name for health checks and logs ("lexicon", "model"). */
  readonly name: string;
}

export interface Translator {
  readonly defaultLocale: string;
  readonly locales: string[];
  has(locale: string): boolean;
  /** The supported locale for a hint like "en-US"; the default otherwise. */
  resolve(hint: string | undefined): string;
  t(locale: string, id: string, args?: Record<string, string | number>): string;
  /** The message with the service's facts filled and every other variable left as "{$name}" (for a page that fills them). */
  template(locale: string, id: string): string;
  /** Message ids of a locale starting with prefix. */
  ids(locale: string, prefix?: string): string[];
}

export interface ScriptButton {
  label: string;
  goto?: string;
  action?: string;
}

export interface ScriptStepView {
  text: string;
  buttons?: ScriptButton[];
}

/** The content the core reads: what the bot says, the script steps, the crisis lexicon. */
export interface ContentView {
  readonly i18n: Translator;
  readonly steps: Readonly<Record<string, ScriptStepView>>;
  readonly lexicon: { match(text: string): { risk: Risk }[] };
  readonly version: string;
  /** The CHI category tree of the close form (records/categories.yaml). */
  readonly categories?: CategoryTree;
}

export type ContentSource = () => ContentView;

// ---- service, time, observation, logs ----

/** What is true of the service when a message arrives. */
export interface ServiceState {
  /** Counselors marked available (and inside opening hours). */
  countersAvailable: number;
  /** Inside opening hours. */
  open: boolean;
  /** When closed: when the chat opens next (null: not within two weeks, or unknown). */
  next?: { day: string; time: string } | null;
}

export type Clock = () => number;

/** What the core reports; labels are channel, risk, topic and kind only — never text or ids. */
export interface Observer {
  messageIn(channel: string, kind: string): void;
  messageOut(channel: string): void;
  deliveryFailed(channel: string): void;
  triaged(risk: Risk, topic: Topic, seconds: number): void;
  /** The classifier (or the rules after it) failed; the lexicon answered. */
  triageError(stage: 'model' | 'decide' | 'fallback'): void;
  /** Opening hours or presence could not be read; the child was told nobody is available. */
  serviceStateError(): void;
  handoff(risk: Risk): void;
  abandoned(risk: Risk): void;
  claimed(risk: Risk, waitedSeconds: number): void;
  /** An imminent conversation went unacknowledged past IMMINENT_ACK_SECONDS and was alerted again. */
  imminentUnacknowledged(): void;
  /** A waiting child was offline too long and left the queue as abandoned. */
  queueAbandoned(risk: Risk): void;
  /** The child answered the closing question (no conversation id: a count per answer). */
  feedback(answer: FeedbackValue): void;
}

export const noopObserver: Observer = {
  messageIn: () => {},
  messageOut: () => {},
  deliveryFailed: () => {},
  triaged: () => {},
  triageError: () => {},
  serviceStateError: () => {},
  handoff: () => {},
  abandoned: () => {},
  claimed: () => {},
  imminentUnacknowledged: () => {},
  queueAbandoned: () => {},
  feedback: () => {},
};

/** pino's shape, as much of it as the core uses. Never pass text, chat keys or names. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}
export interface Log {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

// ---- channels ----

export type DeliveryTarget = Pick<Conversation, 'id' | 'chatKey' | 'channel' | 'locale'>;

/** A channel's way of reaching a child. */
export interface ChannelSender {
  send(target: DeliveryTarget, out: Outbound): Promise<void>;
}

export type { ChannelId };
