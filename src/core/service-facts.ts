import { describeHours } from './opening-hours.js';

/**
 * What the bot tells a child about the service that comes from configuration, not from the
 * locale files: every message may use these as Fluent variables ($botHours, $transcriptDays), so
 * the greeting says how long a chat is really kept, and a change of retention changes the words.
 */
export interface ServiceFacts {
  /** BOT_RETENTION_HOURS: a chat that never reached a counselor is deleted this long after its last message. */
  botHours: number;
  /** TRANSCRIPT_RETENTION_DAYS: a chat a counselor took, the same. */
  transcriptDays: number;
  /** OPENING_HOURS as configured ("24/7" is said as "around the clock"), for "во сколько вы работаете". */
  chatHours?: string;
}

/** The configuration's defaults (config.ts takes them from here, so the two never disagree). */
export const DEFAULT_FACTS: ServiceFacts = { botHours: 24, transcriptDays: 30, chatHours: '24/7' };

/**
 * The Fluent variables of the facts in one language: every one set, whatever a caller left out.
 * $chatHours is 'always' for 24/7, else the hours in that language's words ("пн–пт 9:00–21:00").
 */
export function factArgs(facts: ServiceFacts, locale = 'ru'): Record<string, string | number> {
  const hours = (facts.chatHours ?? DEFAULT_FACTS.chatHours!).trim();
  return { botHours: facts.botHours, transcriptDays: facts.transcriptDays, chatHours: describeHours(hours, locale) };
}
