import type { FastifyReply } from 'fastify';
import type { ZodType } from 'zod';
import type { Content } from '../content/load.js';
import type { Engine } from '../core/engine.js';
import type { Store } from '../store/store.js';
import type { Accounts } from './accounts.js';
import type { Audit } from './audit.js';
import type { Auth } from './auth.js';
import type { ConsoleHub } from './events.js';
import type { OpeningHours } from './opening-hours.js';
import type { Presence } from './presence.js';
import type { Sessions } from './sessions.js';

/** Everything the console routes use, built once by registerConsole. */
export interface ConsoleContext {
  engine: Engine;
  store: Store;
  content: () => Content;
  accounts: Accounts;
  sessions: Sessions;
  auth: Auth;
  audit: Audit;
  presence: Presence;
  hub: ConsoleHub;
  hours: OpeningHours;
  maxTextChars: number;
  loginPerMinute: number;
  loginMaxFailures: number;
}

/** Parses a body with zod; on failure sends 400 naming the first problem and returns null. */
export function parseBody<T>(schema: ZodType<T>, body: unknown, reply: FastifyReply, expected: string): T | null {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  void reply.status(400).send({ error: `${where}${issue?.message ?? 'invalid'}; expected ${expected}` });
  return null;
}
