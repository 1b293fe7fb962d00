import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { addressKey } from '../core/addresses.js';
import { checkPassword } from './accounts.js';
import { COOKIE } from './auth.js';
import { parseBody, type ConsoleContext } from './context.js';
import { MAX_PASSWORD } from './passwords.js';
import { loginBodySchema, passwordBodySchema } from './schemas.js';
import { hashOf } from './sessions.js';
import { atLeast } from './roles.js';

const FAILURE_WINDOW_MS = 15 * 60_000;
const DEVICE_COOKIE = 'hl_device';
const DEVICE_TTL_MS = 180 * 24 * 3600_000;

/** An address in the audit log as a short tag: enough to see that attempts came from one place, no address kept. */
const addressTag = (address: string) => createHash('sha256').update(`audit\n${address}`).digest('base64url').slice(0, 10);

const loginBody = loginBodySchema(MAX_PASSWORD);
const passwordBody = passwordBodySchema(MAX_PASSWORD);

/** Sign-in, sign-out, who am I, own password. */
export async function authRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { accounts, sessions, auth, audit, counters } = ctx;
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

  const failureWindowMs = FAILURE_WINDOW_MS;
  const minutesLeft = () => Math.ceil(failureWindowMs / 60_000);

  app.post(
    '/api/auth/login',
    { config: { rateLimit: { max: ctx.loginPerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const body = parseBody(loginBody, req.body, reply, '{"username","password"}');
      if (!body) return reply;
      const username = body.username.trim().toLowerCase();
      const address = addressKey(req.ip);
      // Counted before any hashing, atomically (parallel guesses cannot slip past the count).
      // The lock is per account *and* address: nobody can lock a counselor out from elsewhere.
      const pair = `login:${username}:${address}`;
      if ((await counters.countHit(pair, failureWindowMs)) > ctx.loginMaxFailures) {
        await audit.record((await accounts.get(username))?.id ?? '(no such account)', 'login-refused', undefined, 'too many failed sign-ins from one address');
        return reply.status(429).send({ error: `too many failed sign-ins for this account from this address; try again in ${minutesLeft()} min`, code: 'conflict' });
      }
      const device = req.cookies[DEVICE_COOKIE];
      const knownDevice = !!device && device.length <= 100 && (await ctx.devices.get(hashOf(device))) === username;
      const account = await ctx.hashPool.run(address, () => accounts.verify(username, body.password), knownDevice);
      if (!account) {
        await audit.record((await accounts.get(username))?.id ?? '(no such account)', 'login-failed', undefined, `address ${addressTag(address)}`);
        req.log.info('console sign-in refused');
        return reply.status(401).send({ error: 'wrong username or password', code: 'unauthorized' });
      }
      await counters.resetCount(pair);
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
      if (!knownDevice) {
        // This browser is now one the account signs in from: it goes first when sign-in is busy.
        const device = randomBytes(32).toString('base64url');
        await ctx.devices.put(hashOf(device), account.id, DEVICE_TTL_MS);
        void reply.setCookie(DEVICE_COOKIE, device, { path: '/api/auth', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: DEVICE_TTL_MS / 1000 });
      }
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
    // A stolen session must not be able to guess the current password at leisure.
    if ((await counters.countHit(`password-change:${staff.id}`, failureWindowMs)) > ctx.loginMaxFailures) {
      return reply.status(429).send({ error: `too many password changes or wrong current passwords; try again in ${minutesLeft()} min`, code: 'conflict' });
    }
    const address = addressKey(req.ip);
    if (!(await ctx.hashPool.run(address, () => accounts.verify(staff.id, body.current)))) {
      await audit.record(staff.id, 'password-change-failed', staff.id);
      return reply.status(403).send({ error: 'the current password is wrong', code: 'forbidden' });
    }
    checkPassword(body.next);
    await accounts.update(staff.id, { password: body.next });
    // Whoever else was signed in with the old password is signed out; this session stays.
    await sessions.destroyAll(staff.id, staff.token);
    await ctx.core.staff.sessionsEnded(staff.id, hashOf(staff.token));
    await audit.record(staff.id, 'password-change', staff.id);
    return { ok: true };
  });
}
