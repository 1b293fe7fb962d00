// The pseudonymous profile of a channel identity: an HMAC-SHA256 of the channel and chat key with
// PROFILE_SECRET. The key never leaves the server and nothing reversible is stored, so a profile
// row cannot be turned back into a chat id; a new secret starts every profile afresh. Profiles
// count contacts and keep the last ones' topic and risk — never a word the child wrote.
import { createHash, createHmac } from 'node:crypto';
import type { Risk, Topic } from './taxonomy.js';
import type { ChannelId } from './types.js';

export type ProfileKey = (channel: ChannelId, chatKey: string) => string;

/** The profile key function for a secret; undefined (profiles off) without one. */
export function profileKeys(secret: string | undefined): ProfileKey | undefined {
  if (!secret) return undefined;
  // The newline keeps "a"+"bc" and "ab"+"c" apart (chat keys and channel ids hold no newline).
  return (channel, chatKey) => createHmac('sha256', secret).update(`${channel}\n${chatKey}`).digest('base64url');
}

/**
 * The key blocks are kept under: the profile key with PROFILE_SECRET, else a SHA-256 of channel
 * and chat key (blocking works without profiles; the store still holds no chat id).
 */
export function identityKeys(secret: string | undefined): ProfileKey {
  return profileKeys(secret) ?? ((channel, chatKey) => createHash('sha256').update(`${channel}\n${chatKey}`).digest('base64url'));
}

/** What the console shows of a child's earlier contacts: "обращался раньше: 3 раза, последний — …". */
export interface PreviousContacts {
  /** Earlier contacts (this one not counted). */
  count: number;
  /** When the last earlier one started (ms). */
  lastAt: number;
  topic: Topic | string;
  risk: Risk | string;
}

/** Looks up the earlier contacts of this conversation's identity; null when none or profiles are off. */
export type PreviousLookup = (channel: ChannelId, chatKey: string, conversationId: string) => Promise<PreviousContacts | null>;
