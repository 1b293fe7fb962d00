import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { heartbeatMs, type Core } from '../core/core.js';
import { errInfo } from '../core/errors.js';
import type { OpeningHours } from '../core/opening-hours.js';
import type { ContentSource, Dedupe, Log, RateCounter } from '../core/ports.js';
import type { StaffRepositories } from '../core/staff.js';
import type { ReportsSource } from '../core/reports.js';
import type { PreviousLookup } from '../core/profiles.js';
import { reportRoutes } from './report-routes.js';
import { Accounts } from './accounts.js';
import { adminRoutes } from './admin-routes.js';
import { Audit } from './audit.js';
import { Auth } from './auth.js';
import { authRoutes } from './auth-routes.js';
import type { ConsoleContext } from './context.js';
import { conversationRoutes } from './conversation-routes.js';
import { ConsoleHub } from './events.js';
import { HashPool } from './hash-pool.js';
import { Sessions } from './sessions.js';
import { liveView } from './live-view.js';
import { supervisorRoutes } from './supervisor-routes.js';
import { correctionRoutes } from './correction-routes.js';
import { consoleUiRoute } from './ui-route.js';

export interface ConsoleOptions {
  core: Core;
  staff: StaffRepositories;
  /** For "once across instances" at start-up (the first admin). */
  once: Dedupe;
  /** Sign-in attempts counted across instances. */
  counters: RateCounter;
  /** scrypt cost of new password hashes (log2 N). */
  passwordLog2N: number;
  content: ContentSource;
  log: Log;
  hours: OpeningHours;
  adminUsername: string;
  adminPassword?: string;
  graceMs: number;
  sessionTtlMs: number;
  maxTextChars: number;
  loginPerMinute: number;
  loginMaxFailures: number;
  /** Audit entries older than this go (AUDIT_RETENTION_DAYS). */
  auditRetentionMs: number;
  /** Transcripts' lifetime (TRANSCRIPT_RETENTION_DAYS): corrections hold child text and live as long. */
  transcriptRetentionMs: number;
  /** COUNSELOR_MAX_CHATS. */
  maxChats: number;
  /** The contact records' figures (the records database). */
  reports: () => Promise<ReportsSource>;
  /** OPENING_TIMEZONE: report days are the helpline's days. */
  timeZone: string;
  /** A child's earlier contacts, from their pseudonymous profile (absent: profiles off). */
  previous?: PreviousLookup;
}

export interface ConsoleHandle {
  auth: Auth;
  accounts: Accounts;
  audit: Audit;
  hub: ConsoleHub;
  /** One audit pass now (it also runs hourly, once across instances). */
  pruneAudit(): Promise<{ before: number; after: number }>;
  close(): Promise<void>;
}

/**
 * The counselor console: staff accounts and sessions, the API and live feed under /api. The
 * static UI is web/console, built by Vite into dist/web/console (served at /console/). The waiting room and the vanished-counselor
 * watch are the core's.
 */
export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions): Promise<ConsoleHandle> {
  const { core, log } = opts;
  const accounts = new Accounts(opts.staff.accounts, opts.once, opts.passwordLog2N);
  await accounts.ensureAdmin(opts.adminUsername, opts.adminPassword, log);

  const beat = heartbeatMs(opts.graceMs);
  const sessions = new Sessions(opts.staff.sessions, opts.sessionTtlMs);
  const lastSeen = new Map<string, number>();
  const auth = new Auth(accounts, sessions, (id) => {
    // Any API call is a sign of life; written at most once per heartbeat period per counselor.
    const now = Date.now();
    if (now - (lastSeen.get(id) ?? 0) < beat) return;
    lastSeen.set(id, now);
    void core.presence.heartbeat(id).catch(() => undefined);
  });
  const shiftMs = opts.sessionTtlMs;
  const hub = new ConsoleHub({
    queries: core.queries,
    presence: core.presence,
    log,
    heartbeatMs: beat,
    liveView: () => liveView(core, accounts, { shiftMs, maxChats: opts.maxChats }),
  });

  const audit = new Audit(opts.staff.audit);
  const pruneAudit = () => audit.prune(opts.auditRetentionMs, async (id) => (await core.queries.get(id)) !== null);
  // Hourly, one instance at a time; a failure waits for the next hour.
  const pruner = setInterval(() => {
    void opts.once
      .markOnce('console:audit-prune', 50 * 60_000)
      .then((mine) => (mine ? pruneAudit() : undefined))
      .catch((err: unknown) => log.warn({ err: errInfo(err) }, 'audit prune failed'));
  }, 3600_000);
  pruner.unref();

  const ctx: ConsoleContext = {
    core,
    content: opts.content,
    accounts,
    sessions,
    counters: opts.counters,
    // Two hashes at a time (the cores), up to 64 addresses waiting with one attempt each.
    hashPool: new HashPool(2, 64),
    devices: opts.staff.devices,
    auth,
    audit,
    hub,
    hours: opts.hours,
    maxTextChars: opts.maxTextChars,
    loginPerMinute: opts.loginPerMinute,
    loginMaxFailures: opts.loginMaxFailures,
    maxChats: opts.maxChats,
    shiftMs,
    corrections: opts.staff.corrections,
    correctionTtlMs: opts.transcriptRetentionMs,
    reports: opts.reports,
    reportTimeZone: opts.timeZone,
    previous: opts.previous,
  };
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  // The console must not be framed (clickjacking) and its answers must not be cached (transcripts).
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.url;
    if (url.startsWith('/console') || url.startsWith('/studio') || url.startsWith('/reports') || url.startsWith('/api/')) {
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
    await supervisorRoutes(api, ctx);
    await correctionRoutes(api, ctx);
    await reportRoutes(api, ctx);
    await consoleUiRoute(api, ctx);
  });

  hub.start();
  return {
    auth,
    accounts,
    audit,
    hub,
    pruneAudit,
    async close() {
      clearInterval(pruner);
      hub.close();
    },
  };
}
