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
}

/** The configuration's defaults (config.ts takes them from here, so the two never disagree). */
export const DEFAULT_FACTS: ServiceFacts = { botHours: 24, transcriptDays: 30 };
