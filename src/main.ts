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
import { TriageService } from './triage/service.js';
import { inspectModel } from './triage/ensure-model.js';
import { WebChatHub, WEBCHAT } from './channels/webchat/hub.js';
import { webchatRoutes } from './channels/webchat/routes.js';
import { registerConsole, type ConsoleHandle } from './console/index.js';
import { parseOpeningHours } from './console/opening-hours.js';
import { BOTFRAMEWORK, createBotFramework } from './channels/botframework/channel.js';
import { TELEGRAM, TelegramChannel } from './channels/telegram/channel.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningApp {
  config: Config;
  app: FastifyInstance;
  url: string;
  engine: Engine;
  store: Store;
  content: ContentManager;
  log: Logger;
  triage: TriageService;
  /** Present when TELEGRAM_BOT_TOKEN is set. */
  telegram?: TelegramChannel;
  /** The counselor console: accounts, presence, live feed, waiting room. */
  staffConsole: ConsoleHandle;
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

  // The lexicon answers at once; the model takes over as soon as it is loaded (trained first,
  // in a child process, when models/triage is missing or older than intents/).
  const lexicon = new LexiconTriage(() => content.current);
  const modelDir = resolve(ROOT, config.TRIAGE_MODEL_DIR);
  const triage = new TriageService(modelDir, () => content.current, (m) => log.info({ triage: m }, 'triage'));
  const triageReady = triage.start();
  // With a trained, fresh model start-up waits the ~0.3 s it takes to load, so the first child
  // already meets the model; a model that must be trained first does not hold start-up.
  if (inspectModel(modelDir, content.current).state === 'ok') await triageReady;
  content.onChange(() => triage.contentChanged());

  const delivery = new Delivery();
  const hub = new WebChatHub(store);
  delivery.register(WEBCHAT, hub);
  // Bot Framework: on with an Azure app id, or unauthenticated for the Emulator with BOTFRAMEWORK_LOCAL=1.
  const botframework =
    config.MICROSOFT_APP_ID || config.BOTFRAMEWORK_LOCAL ? createBotFramework({ config, store, log, referenceTtlMs: retention.handledMs }) : null;
  if (botframework) delivery.register(BOTFRAMEWORK, botframework.sender);

  // The chat's shift: counselors count as available only inside opening hours (the phone line is always open).
  const hours = parseOpeningHours(config.OPENING_HOURS, config.OPENING_TIMEZONE, config.HOLIDAYS);
  // Presence is read at most once a second: it is asked on every message and changes slowly.
  let present = { at: 0, count: 0 };
  const service = async () => {
    const open = hours.isOpen();
    if (open && Date.now() - present.at > 1000) present = { at: Date.now(), count: (await store.listPresent()).length };
    return { open, countersAvailable: open ? present.count : 0 };
  };

  const metrics = new Metrics(store);
  const engine = new Engine({
    store,
    observer: metrics,
    triage: () => triage,
    fallbackTriage: lexicon,
    content: () => content.current,
    delivery,
    service,
    log,
    maxTextChars: config.MAX_TEXT_CHARS,
  });
  // Telegram: on with a bot token; long polling unless a webhook URL is set.
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          webhook: config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } : undefined,
          limits: { globalPerSecond: config.TELEGRAM_MAX_MESSAGES_PER_SECOND },
        },
        { engine, store, content: () => content.current, log },
      )
    : undefined;
  if (telegram) delivery.register(TELEGRAM, telegram.sender);

  const health = async (): Promise<HealthReport> => {
    const reasons: string[] = [];
    try {
      await store.ping();
    } catch (err) {
      reasons.push(`store unavailable: ${(err as Error).message}`);
    }
    const t = triage.status();
    if (!t.ready) reasons.push(`classifier not ready: ${t.state}${t.reason ? ` (${t.reason})` : ''}; the crisis lexicon answers meanwhile`);
    return { ok: reasons.length === 0, reasons, details: { store: store.kind, triage: triage.name, content: content.current.version } };
  };

  const app = await buildServer({ log, publicDir: resolve(ROOT, 'public'), health, trustProxy: config.TRUST_PROXY });
  await app.register(webchatRoutes, { engine, hub, content: () => content.current });
  const staffConsole = await registerConsole(app, {
    engine,
    store,
    content: () => content.current,
    log,
    service,
    hours,
    adminUsername: config.ADMIN_USERNAME,
    adminPassword: config.ADMIN_PASSWORD,
    graceMs: config.COUNSELOR_GRACE_SECONDS * 1000,
    waitingMessageMs: config.WAITING_MESSAGE_SECONDS * 1000,
    sessionTtlMs: config.SESSION_HOURS * 3600_000,
    maxTextChars: config.MAX_TEXT_CHARS,
    loginPerMinute: config.LOGIN_MAX_PER_MINUTE,
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
  });
  if (botframework) await app.register(botframework.routes, { engine });
  if (telegram) await telegram.routes(app);
  app.get('/metrics', async (req, reply) => {
    // Operators only, when a token is configured (Prometheus: bearer_token).
    if (config.METRICS_TOKEN && req.headers.authorization !== `Bearer ${config.METRICS_TOKEN}`) {
      return reply.status(401).send({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
    }
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
      await staffConsole.close();
      await app.close();
      await telegram?.stop();
      await triage.close();
      await store.close();
    })());
  // After listening: a webhook may be called as soon as it is set.
  if (telegram) {
    await telegram.start().catch(async (err: unknown) => {
      await close();
      throw err;
    });
  }
  return { config, app, url, engine, store, content, log, telegram, staffConsole, triage, close };
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
