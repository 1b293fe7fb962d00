import type { FastifyReply } from 'fastify';
import { safeParse, type $ZodType, type output } from 'zod/v4/core';
import type { Core } from '../core/core.js';
import type { OpeningHours } from '../core/opening-hours.js';
import type { ContentSource, RateCounter } from '../core/ports.js';
import type { ReportsSource } from '../core/reports.js';
import type { PreviousLookup } from '../core/profiles.js';
import type { CorrectionRepository, DeviceRepository } from '../core/staff.js';
import type { Accounts } from './accounts.js';
import type { Audit } from './audit.js';
import type { Auth } from './auth.js';
import type { ConsoleHub } from './events.js';
import type { HashPool } from './hash-pool.js';
import type { Sessions } from './sessions.js';

/** Everything the console routes use, built once by registerConsole. */
export interface ConsoleContext {
  core: Core;
  content: ContentSource;
  accounts: Accounts;
  sessions: Sessions;
  /** Sign-in and password-change attempts, counted across instances. */
  counters: RateCounter;
  hashPool: HashPool;
  devices: DeviceRepository;
  auth: Auth;
  audit: Audit;
  hub: ConsoleHub;
  hours: OpeningHours;
  maxTextChars: number;
  loginPerMinute: number;
  loginMaxFailures: number;
  /** COUNSELOR_MAX_CHATS, for the live view. */
  maxChats: number;
  /** One shift (SESSION_HOURS): the window of "high-risk chats this shift". */
  shiftMs: number;
  corrections: CorrectionRepository;
  /** How long a correction is kept: as long as the transcript it quotes. */
  correctionTtlMs: number;
  /** The contact records' figures; rejects while the records database is not open. */
  reports: () => Promise<ReportsSource>;
  /** Report days start at midnight here (OPENING_TIMEZONE). */
  reportTimeZone: string;
  /** A child's earlier contacts (PROFILE_SECRET set); absent: profiles off. */
  previous?: PreviousLookup;
}

/**
 * Parses a body with zod (classic or mini schemas alike: the shared ones in schemas.ts are mini);
 * on failure sends 400 naming the first problem and returns null.
 */
export function parseBody<S extends $ZodType>(schema: S, body: unknown, reply: FastifyReply, expected: string): output<S> | null {
  const r = safeParse(schema, body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  void reply.status(400).send({ error: `${where}${issue?.message ?? 'invalid'}; expected ${expected}`, code: 'invalid_input' });
  return null;
}
