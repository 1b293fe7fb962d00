import { timingSafeEqual } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Accounts } from './accounts.js';
import { atLeast, type Role } from './roles.js';
import type { Sessions } from './sessions.js';

export const COOKIE = 'hl_console';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Staff {
  id: string;
  role: Role;
  csrf: string;
  /** The session cookie value (to end the session at logout). */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: Staff;
  }
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Session cookie + CSRF token + role checks, for every console route (and any other staff route). */
export class Auth {
  constructor(
    readonly accounts: Accounts,
    readonly sessions: Sessions,
    /** Called on every authenticated request: a sign of life from the counselor. */
    private onSeen: (staffId: string) => void = () => undefined,
  ) {}

  /** The signed-in staff member, or null. Reads the account each time: disabling or demoting takes effect at once. */
  async fromRequest(req: FastifyRequest): Promise<Staff | null> {
    const token = req.cookies?.[COOKIE] ?? fastifyCookie.parse(req.headers.cookie ?? '')[COOKIE];
    const session = await this.sessions.get(token);
    if (!session || !token) return null;
    const account = await this.accounts.get(session.userId);
    if (!account || account.disabled) return null;
    return { id: account.id, role: account.role, csrf: session.csrf, token };
  }

  /**
   * A preHandler: 401 when not signed in, 403 without the CSRF token on a state-changing request,
   * 403 when the role is below `min` (any signed-in staff when `min` is omitted).
   */
  guard(min?: Role): preHandlerAsyncHookHandler {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const staff = await this.fromRequest(req);
      if (!staff) return reply.status(401).send({ error: 'sign in first', code: 'unauthorized' });
      if (!SAFE_METHODS.has(req.method) && !sameToken(req.headers['x-csrf-token'], staff.csrf)) {
        return reply.status(403).send({ error: 'missing or wrong CSRF token: send the csrfToken from /api/auth/login in x-csrf-token', code: 'csrf' });
      }
      if (min && !atLeast(staff.role, min)) {
        return reply.status(403).send({ error: `a ${staff.role} cannot do this (needs ${min})`, code: 'forbidden' });
      }
      req.staff = staff;
      this.onSeen(staff.id);
    };
  }
}
