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
  trustProxy?: boolean;
  /** Largest HTTP body accepted (bytes); larger bodies get 413 before parsing. */
  bodyLimit?: number;
  /** Largest WebSocket frame (bytes). */
  maxFrameBytes?: number;
}

/** The HTTP server: security headers, static pages, WebSockets, health, one error handler. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.log as unknown as FastifyBaseLogger,
    // Request URLs can carry conversation ids (?session=…): we log our own, cleaned line instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 256 * 1024,
    trustProxy: opts.trustProxy ?? false,
    return503OnClosing: true,
  });

  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // One error shape for every route: { error: words for a person, code: for programs }.
  app.setErrorHandler((err: FastifyError & { status?: number }, req, reply) => {
    const app = err instanceof AppError ? err : null;
    const status = app?.status ?? err.statusCode ?? err.status ?? 500;
    if (status >= 500) req.log.error({ err: errInfo(err), route: req.routeOptions.url }, 'request failed');
    const code = app?.code ?? (status >= 500 ? 'internal' : status === 404 ? 'not_found' : 'invalid_input');
    void reply.status(status).send({ error: status >= 500 ? 'internal error' : err.message, code });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.status(404).send({ error: 'not found' });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        mediaSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null,
      },
    },
    // The web chat may be embedded by a helpline's own site.
    frameguard: false,
    hsts: false,
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
