// Every key namespace the stores use, in one place. Redis keys are `${prefix}:{namespace:…}`
// (the braces are a Cluster hash tag); the memory store uses the same names in its maps.

/** Hashes (field → JSON value). */
export const HASH = {
  accounts: 'staff',
  /** An account's sessions: token hash → expiry (ms), so a password change can end them all. */
  userSessions: (userId: string) => `console-user-sessions:${userId}`,
  availability: 'console-availability',
  waitingRoom: 'waiting-room',
} as const;

/** Keys with a lifetime. */
export const KV = {
  session: (tokenHash: string) => `console-session:${tokenHash}`,
  device: (tokenHash: string) => `console-device:${tokenHash}`,
  seen: (staffId: string) => `console-seen:${staffId}`,
  channel: (channel: string, key: string) => `ch:${channel}:${key}`,
  /** A child's page is open (expires without a beat). */
  childOnline: (id: string) => `child-online:${id}`,
  /** A child's last sign of life (ms), kept a day. */
  childSeen: (id: string) => `child-seen:${id}`,
  /** A counselor's correction of one message's triage (child text: transcript retention). */
  correction: (id: string) => `triage-correction:${id}`,
  /** A blocked identity (pseudonymous key), until the block expires. */
  block: (identity: string) => `block:${identity}`,
} as const;

/** Capped lists, newest first. */
export const LIST = {
  audit: 'console-audit',
  /** Times (ms) a counselor closed a high or imminent chat. */
  heavyChats: (staffId: string) => `wellbeing-heavy:${staffId}`,
  /** Ids of corrections, newest first (the values expire on their own). */
  corrections: 'triage-corrections',
} as const;

// "Once" marks (Dedupe) are named by their callers, each under its own prefix: `in:` the core's
// inbound messages (use-cases/inbound.ts), `waiting-room:` its pass shared by instances,
// `console:` start-up tasks (the first admin), `group:` a channel's goodbye to a group chat.
