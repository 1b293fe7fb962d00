import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Content } from '../content/load.js';
import type { Engine } from '../core/engine.js';
import type { ServiceState } from '../core/policy.js';
import type { Store } from '../store/store.js';
import { Accounts } from './accounts.js';
import { adminRoutes } from './admin-routes.js';
import { Audit } from './audit.js';
import { Auth } from './auth.js';
import { authRoutes } from './auth-routes.js';
import type { ConsoleContext } from './context.js';
import { conversationRoutes } from './conversation-routes.js';
import { ConsoleHub } from './events.js';
import type { OpeningHours } from './opening-hours.js';
import { Presence } from './presence.js';
import { Sessions } from './sessions.js';
import { WaitingRoom } from './waiting-room.js';

export interface ConsoleOptions {
  engine: Engine;
  store: Store;
  content: () => Content;
  log: Logger;
  service: () => Promise<ServiceState>;
  hours: OpeningHours;
  adminUsername: string;
  adminPassword?: string;
  graceMs: number;
  waitingMessageMs: number;
  sessionTtlMs: number;
  maxTextChars: number;
  loginPerMinute: number;
  loginMaxFailures: number;
}

export interface ConsoleHandle {
  auth: Auth;
  accounts: Accounts;
  presence: Presence;
  hub: ConsoleHub;
  waitingRoom: WaitingRoom;
  close(): Promise<void>;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The counselor console: staff accounts and sessions, the API and live feed under /api, the
 * waiting room and the vanished-counselor watch. The static UI is public/console (served at /console/).
 */
export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions): Promise<ConsoleHandle> {
  const { store, log } = opts;
  const accounts = new Accounts(store);
  await accounts.ensureAdmin(opts.adminUsername, opts.adminPassword, log);

  // Heartbeats well inside the grace period, so one lost beat does not return a counselor's chats.
  const heartbeatMs = clamp(opts.graceMs / 3, 200, 5000);
  const presence = new Presence(store, opts.graceMs, heartbeatMs * 3);
  const sessions = new Sessions(store, opts.sessionTtlMs);
  const lastSeen = new Map<string, number>();
  const auth = new Auth(accounts, sessions, (id) => {
    // Any API call is a sign of life; written at most once per heartbeat period per counselor.
    const now = Date.now();
    if (now - (lastSeen.get(id) ?? 0) < heartbeatMs) return;
    lastSeen.set(id, now);
    void presence.heartbeat(id).catch(() => undefined);
  });
  const hub = new ConsoleHub({ store, presence, log, heartbeatMs });
  const waitingRoom = new WaitingRoom({
    engine: opts.engine,
    store,
    presence,
    service: opts.service,
    log,
    messageEveryMs: opts.waitingMessageMs,
    statusEveryMs: Math.min(30_000, opts.waitingMessageMs / 2),
    tickMs: clamp(Math.min(opts.graceMs, opts.waitingMessageMs) / 4, 100, 5000),
  });

  const ctx: ConsoleContext = {
    engine: opts.engine,
    store,
    content: opts.content,
    accounts,
    sessions,
    auth,
    audit: new Audit(store),
    presence,
    hub,
    hours: opts.hours,
    maxTextChars: opts.maxTextChars,
    loginPerMinute: opts.loginPerMinute,
    loginMaxFailures: opts.loginMaxFailures,
  };

  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  // The console must not be framed (clickjacking) and its answers must not be cached (transcripts).
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.url;
    if (url.startsWith('/console') || url.startsWith('/api/')) {
      void reply.header('x-frame-options', 'DENY');
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') {
        const strict = csp.includes('frame-ancestors') ? csp.replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'") : `${csp};frame-ancestors 'none'`;
        void reply.header('content-security-policy', strict);
      }
      if (url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  await app.register(async (api) => {
    await api.register(fastifyCookie);
    await authRoutes(api, ctx);
    await conversationRoutes(api, ctx);
    await adminRoutes(api, ctx);
  });

  hub.start();
  waitingRoom.start();
  return {
    auth,
    accounts,
    presence,
    hub,
    waitingRoom,
    async close() {
      hub.close();
      await waitingRoom.stop();
    },
  };
}
