/** What the server sends the page over the socket (src/channels/webchat/routes.ts and the core's Outbound). */

export type ChatState = 'bot' | 'queued' | 'with_counselor' | 'closed';

export interface QuickReply {
  label: string;
  value: string;
}

export type From = 'child' | 'bot' | 'counselor';

export interface HistoryLine {
  from: From;
  text: string;
  buttons?: QuickReply[];
}

export type ServerFrame =
  | { type: 'session'; id: string; locale?: string; state?: ChatState | null }
  | { type: 'history'; messages: HistoryLine[] }
  /** state: the conversation's state after this message, when the server says it; welcome: the greeting sent on open. */
  | { type: 'message'; text: string; buttons?: QuickReply[]; from?: 'bot' | 'counselor' | 'system'; state?: ChatState; welcome?: boolean }
  | { type: 'typing' }
  /** buttons (the leave-queue button) are not shown from here: the queue bar has its own. */
  | { type: 'queue'; position: number; etaMinutes: number | null; text?: string; buttons?: QuickReply[] }
  | { type: 'state'; state: ChatState }
  | { type: 'ack'; id: string; duplicate?: boolean }
  | { type: 'error'; id?: string; retry?: boolean; code?: string; error?: string }
  | { type: 'pong' };

/** What the page sends; `label` stays on the page (the pending bubble of a press), it is not sent. */
export type Draft = { type: 'message'; text: string } | { type: 'button'; value: string; label?: string };
export type OutFrame = Draft & { id: string };

/** A frame the server has not acknowledged; `failed`: refused (rate limit), shown as not sent until the child retries. */
export type Pending = OutFrame & { failed?: boolean };
