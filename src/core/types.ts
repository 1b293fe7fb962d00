import type { Risk, Topic } from './taxonomy.js';

export type ChannelId = 'webchat' | 'telegram' | 'botframework' | (string & {});

export type ConversationState = 'bot' | 'queued' | 'with_counselor' | 'closed';

/** What the child sent, reduced by a channel adapter to one shape. */
export interface Inbound {
  channel: ChannelId;
  /** Where replies go on the platform (chat id, conversation reference key, web chat session). */
  chatKey: string;
  /** The sender on the platform; may equal chatKey. Never logged. */
  userKey: string;
  /** Text, or undefined for media. */
  text?: string;
  /** 'text' for text; otherwise the media kind (sticker, photo, voice, video, document, location, contact, ...). */
  kind: 'text' | 'button' | 'command' | 'media' | 'edit';
  /** For kind 'media': sticker, photo, voice, ... */
  media?: string;
  /** For kind 'button': the value of the pressed quick reply. For 'command': the command name without slash. */
  value?: string;
  /** Language hint from the platform (e.g. Telegram language_code). */
  localeHint?: string;
  /** Platform message id, to show edits and de-duplicate. */
  platformMessageId?: string;
  /**
   * Where the message came from, when a channel can tell and one sender can make many chats (the
   * web chat: a hash of the client address, or of its IPv6 /64): new chats and alerts are capped
   * per origin. Never a raw address.
   */
  origin?: string;
  /**
   * The channel showed the core's welcome (ChannelCore.welcome) when the chat opened, before any
   * conversation existed: the conversation this message makes starts with that greeting in its
   * transcript, and the bot does not greet again.
   */
  greeted?: boolean;
}

export interface Button {
  label: string;
  value: string;
}

/** What the bot (or a counselor) says, in one shape every channel can render. */
export type Outbound =
  | { type: 'message'; text: string; buttons?: Button[]; from?: 'bot' | 'counselor' | 'system' }
  | { type: 'typing' }
  /** text: the same information in words, for channels without a queue widget. */
  /** buttons: the leave-queue button, for channels that show this as a message. */
  | { type: 'queue'; position: number; etaMinutes: number | null; text: string; buttons?: Button[] };

export interface TriageResult {
  intent: string;
  topic: Topic;
  risk: Risk;
  confidence: number;
  /** Why: lexicon phrases matched, model label and score. Shown to counselors, never logged. */
  reasons: string[];
  /** Reply script named by the winning intent, if any. */
  script?: string;
  /** Distress without a clear risk level: the bot asks the safety question. */
  safetyCheck?: boolean;
  /** The message answers the pending safety question (a figure of speech explained: "no"). */
  safetyAnswer?: 'no';
}

export interface ConversationMeta {
  ageGroup?: string;
  about?: 'self' | 'other' | 'skip';
  /** Pending question the bot asked and awaits a button for. */
  pending?: 'safety' | 'pre_age' | 'pre_about' | 'feedback';
  /** Current self-help script step. */
  scriptStep?: string;
  /** Risk carried into the queue once pre-queue questions are answered. */
  queueRisk?: Risk;
  safetyAsked?: boolean;
  clarified?: boolean;
  /** The greeting (with what is kept and the one limit of confidentiality) was shown in this conversation. */
  greeted?: boolean;
  closeCategory?: string;
  closeOutcome?: string;
  [key: string]: unknown;
}

export interface Conversation {
  id: string;
  channel: ChannelId;
  chatKey: string;
  locale: string;
  state: ConversationState;
  risk: Risk;
  topic: Topic;
  counselorId?: string;
  createdAt: number;
  updatedAt: number;
  /** When this waiting spell began (ms): the first entry into the queue, or the return to it. */
  waitingSince?: number;
  /** Back in the queue after a counselor left (transfer to the queue, or vanished): first in its risk band. */
  returned?: boolean;
  /** Opened while its origin was over the new-chat cap: a possible flood, queued behind every other child. */
  flood?: boolean;
  /** From an identity a supervisor blocked, let through because it spoke of a crisis (staff see it). */
  blocked?: boolean;
  /** Set once a counselor has taken the conversation; makes the transcript a record with longer retention. */
  handled?: boolean;
  /** The child's first words (a short preview for staff on the queue card); never logged or recorded. */
  preview?: string;
  /** When the child last wrote (ms). */
  lastChildAt?: number;
  /** When a counselor (or a joined supervisor) last wrote to the child (ms). */
  lastCounselorAt?: number;
  /** Supervisors who joined the chat and may write to the child as a second counselor. */
  joined?: string[];
  /** The safety net's record of an imminent conversation: when it became imminent, who acknowledged it. */
  imminent?: ImminentWatch;
  /** A counselor asked for a supervisor (raise hand). */
  hand?: { by: string; at: number };
  /** Left the queue offline for too long: where they stood, to return them there if they come back. */
  abandoned?: { at: number; waitingSince: number; returned: boolean };
  meta: ConversationMeta;
}

export interface ImminentWatch {
  since: number;
  ackBy?: string;
  ackAt?: number;
  /** When the unacknowledged alert was last repeated to supervisors (ms). */
  repeatedAt?: number;
  repeats?: number;
}

/** whisper: a supervisor's private hint to the counselor (never sent to the child). */
export type Author = 'child' | 'bot' | 'counselor' | 'system' | 'note' | 'whisper';

export interface TranscriptEntry {
  seq: number;
  at: number;
  from: Author;
  text: string;
  /** For child messages: the triage result. */
  triage?: TriageResult;
  /** For counselor messages and notes: who. */
  by?: string;
  /** For a whisper: the counselor it is meant for. */
  to?: string;
  kind?: 'text' | 'media' | 'edit' | 'button';
  media?: string;
  /** For bot messages: the quick replies offered, so a reloaded page shows them again and a press reads as its label. */
  buttons?: Button[];
}

export type StoreEvent =
  | { type: 'queue' }
  | { type: 'conversation'; id: string; state: ConversationState; risk: Risk }
  | { type: 'message'; id: string; entry: TranscriptEntry }
  /** flood: raised by a possible-flood chat (one such alert a minute). */
  /** counselorId: the alert is about a live chat that counselor holds (a rise in risk mid-chat). */
  | { type: 'alert'; id: string; risk: Risk; topic: Topic; flood?: boolean; counselorId?: string }
  | { type: 'deliver'; id: string; channel: ChannelId; chatKey: string; out: Outbound }
  | { type: 'typing'; id: string; from: 'child' | 'counselor' }
  /**
   * The safety net, for supervisors' consoles: an imminent conversation still unacknowledged
   * (repeat), acknowledged (ack), a counselor asking for help (hand, raised or lowered), a
   * supervisor joining. `counselorId`: who holds the chat now.
   */
  | { type: 'safety'; id: string; kind: 'repeat' | 'ack' | 'hand' | 'hand_lowered' | 'join'; by?: string; counselorId?: string; risk: Risk; at: number }
  /** No supervisor or admin is online to acknowledge an imminent chat: the counselor holding it is told. */
  | { type: 'no_supervisor'; id: string; counselorId: string; at: number }
  /** A chat passed from one counselor to another: the receiver is alerted with who and why (a staff note, never child text). */
  | { type: 'transferred'; id: string; by: string; to: string; note?: string; risk: Risk; topic: Topic; at: number }
  /**
   * A waiting child was offline longer than QUEUE_ABANDON_MINUTES and left the queue. For reports
   * (contact records): no text, no chat key. The conversation stays under retention.
   */
  | { type: 'abandoned'; id: string; channel: ChannelId; risk: Risk; topic: Topic; waitingSince: number; at: number }
  /**
   * A staff account changed: its live consoles must follow at once, on every instance. `session`:
   * only that session (a sign-out); `keepSession`: all but that one (an own password change).
   */
  | { type: 'staff'; staffId: string; change: StaffChange; session?: string; keepSession?: string };

/** signed_out and sessions_ended end sessions (the console signs in again); role reconnects with the new role. */
export type StaffChange = 'signed_out' | 'sessions_ended' | 'disabled' | 'role';

export interface QueueItem {
  id: string;
  risk: Risk;
  /** When this waiting spell began (ms). */
  waitingSince: number;
  /** Returned by a counselor: served before the others of its risk. */
  returned: boolean;
  /** A possible flood: served after every child who is not. */
  flood: boolean;
  position: number;
}
