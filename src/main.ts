// The composition root: the only place that wires real parts together.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { ContentManager } from './content/manager.js';
import { ContentError, formatProblem } from './content/problems.js';
import { Delivery } from './core/delivery.js';
import { Engine, errInfo } from './core/engine.js';
import { buildServer, type HealthReport } from './http/server.js';
import { MemoryStore } from './store/memory-store.js';
import { RedisStore } from './store/redis-store.js';
import type { Store } from './store/store.js';
import { LexiconTriage } from './triage/lexicon-triage.js';
import { Metrics } from './metrics.js';
import type { Triage } from './triage/triage.js';
import { WebChatHub, WEBCHAT } from './channels/webchat/hub.js';
import { webchatRoutes } from './channels/webchat/routes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningApp {
  config: Config;
  app: FastifyInstance;
  url: string;
  engine: Engine;
  store: Store;
  content: ContentManager;
  log: Logger;
  close(): Promise<void>;
}

export async function startApp(env: NodeJS.ProcessEnv = process.env, log?: Logger): Promise<RunningApp> {
  const config = loadConfig(env);
  log ??= createLogger(config.LOG_LEVEL);
  const contentRoot = resolve(ROOT, config.CONTENT_DIR);
  const content = new ContentManager(contentRoot, log);
  content.watch();

  const retention = {
    botMs: config.BOT_RETENTION_HOURS * 3600_000,
    handledMs: config.TRANSCRIPT_RETENTION_DAYS * 24 * 3600_000,
  };
  let store: Store;
  if (config.REDIS_URL) {
    let lastError = 0;
    store = await RedisStore.connect({
      url: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      retention,
      onError: (err) => {
        // Reconnects are retried by the client; one line per 5 s is enough.
        if (Date.now() - lastError > 5000) log.error({ err: errInfo(err) }, 'redis error');
        lastError = Date.now();
      },
    });
    log.info({ store: 'redis' }, 'store ready');
  } else {
    store = new MemoryStore(retention);
    log.warn('REDIS_URL is not set: using the in-memory store; nothing is kept across restarts and only one instance can run');
  }

  const lexicon = new LexiconTriage(() => content.current);
  const triage: Triage = lexicon;
  const classifierState = { ready: true, reason: '' };

  const delivery = new Delivery();
  const hub = new WebChatHub(store);
  delivery.register(WEBCHAT, hub);

  const metrics = new Metrics(store);
  const engine = new Engine({
    store,
    observer: metrics,
    triage: () => triage,
    fallbackTriage: lexicon,
    content: () => content.current,
    delivery,
    service: async () => ({ countersAvailable: (await store.listPresent()).length, open: true }),
    log,
    maxTextChars: config.MAX_TEXT_CHARS,
  });

  const health = async (): Promise<HealthReport> => {
    const reasons: string[] = [];
    try {
      await store.ping();
    } catch (err) {
      reasons.push(`store unavailable: ${(err as Error).message}`);
    }
    if (!classifierState.ready) reasons.push(`classifier not ready: ${classifierState.reason}`);
    return { ok: reasons.length === 0, reasons, details: { store: store.kind, triage: triage.name, content: content.current.version } };
  };

  const app = await buildServer({ log, publicDir: resolve(ROOT, 'public'), health, trustProxy: config.TRUST_PROXY });
  await app.register(webchatRoutes, { engine, hub, content: () => content.current });
  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const url = await app.listen({ port: config.PORT, host: config.HOST });
  log.info({ url }, 'listening: web chat at /, console at /console');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      hub.closeAll();
      content.close();
      await app.close();
      await store.close();
    })());
  return { config, app, url, engine, store, content, log, close };
}

async function main(): Promise<void> {
  let running: RunningApp;
  try {
    running = await startApp();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config error: ${err.message}`);
      process.exit(1);
    }
    if (err instanceof ContentError) {
      console.error('content error: the bot cannot start with this content');
      for (const p of err.problems) console.error(formatProblem(p));
      process.exit(1);
    }
    console.error(`start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }
  const stop = async (signal: string) => {
    running.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => running.content.reload());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
