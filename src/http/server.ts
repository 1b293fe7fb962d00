import { createServer } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AppError, errInfo } from '../core/errors.js';

export interface HealthReport {
  ok: boolean;
  reasons: string[];
  details?: Record<string, unknown>;
}

export interface ServerOptions {
  log: Logger;
  publicDir: string;
  health: () => Promise<HealthReport>;
  /**
   * Proxies in front (TRUST_PROXY): a hop count (1 = one reverse proxy: the client address is the
   * last X-Forwarded-For entry it appended, so a client-written header cannot choose its own
   * address) or a list of proxy addresses. 0 or empty: none.
   */
  trustProxy?: number | string[];
  /** Largest HTTP body accepted (bytes); larger bodies get 413 before parsing. */
  bodyLimit?: number;
  /** Largest WebSocket frame (bytes). */
  maxFrameBytes?: number;
  /** A request (headers and body) must arrive within this (ms): a slow body is cut off (408). */
  requestTimeoutMs?: number;
  /** Open connections at most (more are refused at once), so a flood of idle sockets cannot exhaust the process. */
  maxConnections?: number;
  /** Who may frame the web chat (CSP frame-ancestors; the console is never framed). */
  frameAncestors?: string[];
}

/** proxy-addr's own reading of a hop count: the n closest hops are proxies (a function, as fastify's types have no number). */
function trustFor(setting: ServerOptions['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (Array.isArray(setting)) return setting.length ? setting : false;
  const hops = setting ?? 0;
  return hops > 0 ? (_address: string, hop: number) => hop < hops : false;
}

/** The HTTP server: security headers, static pages, WebSockets, health, one error handler. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const requestTimeout = opts.requestTimeoutMs ?? 15_000;
  const behindProxy = Array.isArray(opts.trustProxy) ? opts.trustProxy.length > 0 : (opts.trustProxy ?? 0) > 0;
  const app = Fastify({
    loggerInstance: opts.log as unknown as FastifyBaseLogger,
    // Request URLs can carry conversation ids (?session=…): we log our own, cleaned line instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    trustProxy: trustFor(opts.trustProxy),
    return503OnClosing: true,
    // Node checks request deadlines every connectionsCheckingInterval (30 s by default): too
    // coarse for a 15 s limit, so the server is made here with a 1 s check.
    serverFactory: (handler) =>
      createServer({ requestTimeout, headersTimeout: Math.min(10_000, requestTimeout), connectionsCheckingInterval: 1000, keepAliveTimeout: 10_000 }, handler),
    // An idle socket is closed after this; WebSockets are not affected (ws clears the timeout on upgrade).
    connectionTimeout: 120_000,
  });
  app.server.maxConnections = opts.maxConnections ?? 10_000;

  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // One error shape for every route: { error: words for a person, code: for programs }.
  app.setErrorHandler((err: FastifyError & { status?: number }, req, reply) => {
    const app = err instanceof AppError ? err : null;
    const status = app?.status ?? err.statusCode ?? err.status ?? 500;
    if (status >= 500) req.log.error({ err: errInfo(err), route: req.routeOptions.url }, 'request failed');
    const code = app?.code ?? (status >= 500 ? 'internal' : status === 404 ? 'not_found' : 'invalid_input');
    void reply.status(status).send({ error: status >= 500 ? 'internal error' : err.message, code, ...(app?.params ? { params: app.params } : {}) });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.status(404).send({ error: 'not found' });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // 'self' covers ws:// and wss:// to the page's own origin (CSP 3): no other host can be reached.
        connectSrc: ["'self'"],
        frameAncestors: opts.frameAncestors?.length ? opts.frameAncestors : ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        mediaSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
    // The web chat may be embedded by a helpline's own site (frame-ancestors says which).
    frameguard: false,
    // Behind a TLS-terminating proxy the browser is told to come back over HTTPS only.
    hsts: behindProxy ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: opts.maxFrameBytes ?? 1024 * 1024 } });
  await app.register(fastifyStatic, { root: opts.publicDir, prefix: '/', index: ['index.html'] });

  app.get('/healthz', async (_req, reply) => {
    // A check that hangs (a stopped Redis) is an answer too: unavailable, within 2 s.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<HealthReport>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reasons: ['health check timed out after 2 s'] }), 2000);
    });
    const report = await Promise.race([opts.health(), late])
      .catch((err: Error) => ({ ok: false, reasons: [`health check failed: ${err.message}`] }))
      .finally(() => clearTimeout(timer));
    return reply.status(report.ok ? 200 : 503).send({ status: report.ok ? 'ok' : 'unavailable', ...report });
  });

  return app;
}
