import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkPassword } from './accounts.js';
import { COOKIE } from './auth.js';
import { parseBody, type ConsoleContext } from './context.js';
import { MAX_PASSWORD } from './passwords.js';
import { hashOf } from './sessions.js';
import { atLeast } from './roles.js';

const FAILURE_WINDOW_MS = 15 * 60_000;

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(MAX_PASSWORD) });
const passwordBody = z.object({ current: z.string().min(1).max(MAX_PASSWORD), next: z.string().min(1).max(MAX_PASSWORD) });

/** Sign-in, sign-out, who am I, own password. */
export async function authRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { accounts, sessions, auth, audit, loginFailures } = ctx;
  const { presence } = ctx.core;

  // Per address, in this process (@fastify/rate-limit); per account across instances (store counters below).
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many sign-in attempts from this address; try again in ${Math.ceil(c.ttl / 1000)} s`,
    }),
  });

  app.post(
    '/api/auth/login',
    { config: { rateLimit: { max: ctx.loginPerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const body = parseBody(loginBody, req.body, reply, '{"username","password"}');
      if (!body) return reply;
      const username = body.username.trim().toLowerCase();
      const failures = await loginFailures.get(username);
      if (failures && failures.n >= ctx.loginMaxFailures) {
        const minutes = Math.max(1, Math.ceil((failures.until - Date.now()) / 60_000));
        return reply.status(429).send({ error: `too many failed sign-ins for this account; try again in ${minutes} min` });
      }
      const account = await accounts.verify(username, body.password);
      if (!account) {
        const until = failures?.until ?? Date.now() + FAILURE_WINDOW_MS;
        await loginFailures.set(username, { n: (failures?.n ?? 0) + 1, until }, Math.max(1000, until - Date.now()));
        req.log.info('console sign-in refused');
        return reply.status(401).send({ error: 'wrong username or password' });
      }
      await loginFailures.clear(username);
      // A new session id at every sign-in (no fixation); the browser's old session ends.
      const old = req.cookies[COOKIE];
      if (old) await sessions.destroy(old);
      const { token, session } = await sessions.create(account.id);
      void reply.setCookie(COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        // Secure over HTTPS, including behind a proxy that says so (TRUST_PROXY + X-Forwarded-Proto).
        secure: 'auto',
        maxAge: Math.floor(sessions.ttlMs / 1000),
      });
      await audit.record(account.id, 'login');
      return { user: { id: account.id, role: account.role }, csrfToken: session.csrf };
    },
  );

  app.post('/api/auth/logout', { preHandler: auth.guard() }, async (req, reply) => {
    const staff = req.staff!;
    await sessions.destroy(staff.token);
    // This session's live feed closes on every instance: a signed-out console hears nothing more.
    await ctx.core.staff.signedOut(staff.id, hashOf(staff.token));
    if (atLeast(staff.role, 'counselor')) await presence.setAvailable(staff.id, false);
    void reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', { preHandler: auth.guard() }, async (req) => {
    const staff = req.staff!;
    return {
      user: { id: staff.id, role: staff.role },
      csrfToken: staff.csrf,
      available: atLeast(staff.role, 'counselor') ? await presence.isAvailable(staff.id) : false,
    };
  });

  app.post('/api/auth/password', { preHandler: auth.guard() }, async (req, reply) => {
    const body = parseBody(passwordBody, req.body, reply, '{"current","next"}');
    if (!body) return reply;
    const staff = req.staff!;
    if (!(await accounts.verify(staff.id, body.current))) return reply.status(403).send({ error: 'the current password is wrong' });
    checkPassword(body.next);
    await accounts.update(staff.id, { password: body.next });
    // Whoever else was signed in with the old password is signed out; this session stays.
    await sessions.destroyAll(staff.id, staff.token);
    await ctx.core.staff.sessionsEnded(staff.id, hashOf(staff.token));
    await audit.record(staff.id, 'password-change', staff.id);
    return { ok: true };
  });
}
