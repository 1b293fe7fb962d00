// The composition root: the only place that wires real parts together.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { ContentManager } from './content/manager.js';
import { ContentError, formatProblem } from './content/problems.js';
import { createCore, type Core } from './core/core.js';
import { profileKeys } from './core/profiles.js';
import { errInfo } from './core/errors.js';
import { parseOpeningHours } from './core/opening-hours.js';
import { Delivery } from './core/use-cases/delivery.js';
import { buildServer, type HealthReport } from './http/server.js';
import { MemoryStore } from './store/memory-store.js';
import { RedisStore } from './store/redis-store.js';
import { channelState, staffRepositories } from './store/repositories.js';
import type { Store } from './store/store.js';
import { LexiconTriage } from './triage/lexicon-triage.js';
import { Metrics } from './metrics.js';
import { TriageService } from './triage/service.js';
import { inspectModel } from './triage/ensure-model.js';
import { parseEvalFile } from './triage/eval.js';
import { gateFiles } from './triage/gate.js';
import { versionsRootOf } from './triage/model-versions.js';
import { isRisk, isTopic } from './core/taxonomy.js';
import type { Channel, ChannelDeps } from './channels/channel.js';
import { WebChatChannel } from './channels/webchat/channel.js';
import { registerConsole, type ConsoleHandle } from './console/index.js';
import { atLeast } from './console/roles.js';
import { BotFrameworkChannel } from './channels/botframework/channel.js';
import { TelegramChannel } from './channels/telegram/channel.js';
import { VkChannel } from './channels/vk/channel.js';
import { MaxChannel } from './channels/max/channel.js';
import { RecordsService } from './records/service.js';
import { RecordsReports } from './records/reports.js';
import { openRecordsDb, opensAtStart, type RecordsDbOptions } from './records/open.js';
import { followPublished, usePublished } from './studio/follow.js';
import { Studio } from './studio/service.js';
import { studioRoutes } from './studio/routes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const isLoopback = (address: string | undefined) => !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

export interface RunningApp {
  config: Config;
  app: FastifyInstance;
  url: string;
  core: Core;
  store: Store;
  content: ContentManager;
  studio: Studio;
  log: Logger;
  triage: TriageService;
  metrics: Metrics;
  /** Every channel that is on, the web chat first. */
  channels: Channel[];
  /** Present when TELEGRAM_BOT_TOKEN is set. */
  telegram?: TelegramChannel;
  /** The counselor console: accounts and the live feed. */
  staffConsole: ConsoleHandle;
  /** Contact records: the outbox writer and the reports' repository. */
  records: RecordsService;
  close(): Promise<void>;
}

async function openStore(config: Config, log: Logger): Promise<Store> {
  const retention = {
    botMs: config.BOT_RETENTION_HOURS * 3600_000,
    handledMs: config.TRANSCRIPT_RETENTION_DAYS * 24 * 3600_000,
  };
  if (!config.REDIS_URL) {
    log.warn('REDIS_URL is not set: using the in-memory store; nothing is kept across restarts and only one instance can run');
    return new MemoryStore(retention);
  }
  let lastError = 0;
  const store = await RedisStore.connect({
    url: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    retention,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    onError: (err) => {
      // Reconnects are retried by the client; one line per 5 s is enough.
      if (Date.now() - lastError > 5000) log.error({ err: errInfo(err) }, 'redis error');
      lastError = Date.now();
    },
  });
  log.info({ store: 'redis' }, 'store ready');
  return store;
}

export async function startApp(env: NodeJS.ProcessEnv = process.env, log?: Logger): Promise<RunningApp> {
  const config = loadConfig(env);
  log ??= createLogger(config.LOG_LEVEL);
  const contentRoot = resolve(ROOT, config.CONTENT_DIR);
  // The greeting tells children how long their chat is kept: from the retention settings in force.
  const facts = { botHours: config.BOT_RETENTION_HOURS, transcriptDays: config.TRANSCRIPT_RETENTION_DAYS, chatHours: config.OPENING_HOURS };
  const content = new ContentManager(contentRoot, log, facts);
  content.watch();
  const store = await openStore(config, log);
  const metrics = new Metrics(store);
  // A restarted instance starts on the latest version published in the studio (the files are the seed).
  const stopFollowing = await followPublished(store.contentVersions, content, log);

  // The lexicon answers at once; the model takes over as soon as it is loaded (trained first,
  // in a child process, from CONTENT_DIR's intents/, when the model is missing or older than them).
  const lexicon = new LexiconTriage(() => content.current);
  const modelDir = resolve(ROOT, config.TRIAGE_MODEL_DIR);
  const modelVersionsDir = versionsRootOf(modelDir);
  const triage = new TriageService(modelDir, () => content.current, (m) => log.info({ triage: m }, 'triage'), {
    root: contentRoot,
    // The model follows the content in use: a published studio version loads the model its
    // safety gate kept, or trains its own in the background (the lexicon and the old model answer meanwhile).
    versions: { root: modelVersionsDir, files: () => content.publishedFiles },
    config: {},
    onError: (stage, err) => {
      metrics.triageError(stage);
      log.error({ err: errInfo(err), stage }, 'triage model failed; the lexicon answered');
    },
  });
  const triageReady = triage.start();
  // With a trained, fresh model start-up waits the ~0.3 s it takes to load, so the first child
  // already meets the model; a model that must be trained first does not hold start-up.
  if (triage.isFresh()) await triageReady;
  // A file edit retrains; a published version (or a rollback) loads its model, or trains it.
  content.onChange(() => triage.contentChanged());

  const recordsDb: RecordsDbOptions = {
    url: config.DATABASE_URL,
    dir: config.RECORDS_DIR.startsWith('memory://') ? config.RECORDS_DIR : resolve(ROOT, config.RECORDS_DIR),
    onError: (err) => log.warn({ err: errInfo(err) }, 'records database connection lost'),
  };
  const records = new RecordsService({
    open: () => openRecordsDb(recordsDb),
    kind: config.DATABASE_URL ? 'postgres' : 'pglite',
    eager: opensAtStart(recordsDb),
    outbox: store,
    locks: store,
    once: store,
    log,
    retentionMs: config.RECORD_RETENTION_DAYS * 24 * 3600_000,
  });
  // Opening now overlaps PGlite's start (seconds) with the rest of start-up.
  records.start();

  const delivery = new Delivery();
  const staffRepos = staffRepositories(store, log);
  // Who could acknowledge an imminent child now: supervisors and admins with a live console.
  const supervisorsOnline = async () => {
    const able = (await staffRepos.accounts.list()).filter((a) => !a.disabled && atLeast(a.role, 'supervisor'));
    return (await Promise.all(able.map((a) => store.isSeen(a.id)))).filter(Boolean).length;
  };
  // The chat's shift: counselors count as available only inside opening hours (the phone line is always open).
  const hours = parseOpeningHours(config.OPENING_HOURS, config.OPENING_TIMEZONE, config.HOLIDAYS);
  const profileKey = profileKeys(config.PROFILE_SECRET);
  const core = createCore({
    store,
    observer: metrics,
    triage: () => triage,
    fallbackTriage: lexicon,
    content: () => content.current,
    sender: delivery,
    hours,
    log,
    maxTextChars: config.MAX_TEXT_CHARS,
    graceMs: config.COUNSELOR_GRACE_SECONDS * 1000,
    waitingMessageMs: config.WAITING_MESSAGE_SECONDS * 1000,
    newChatsPerOriginPerMinute: config.NEW_CHATS_PER_ADDRESS_PER_MINUTE,
    maxChatsPerCounselor: config.COUNSELOR_MAX_CHATS,
    safety: { ackMs: config.IMMINENT_ACK_SECONDS * 1000, abandonMs: config.QUEUE_ABANDON_MINUTES * 60_000 },
    supervisorsOnline,
    profileSecret: config.PROFILE_SECRET,
  });

  // Every channel is built the same way, with the core's channel gateway and its own state.
  const deps = (id: string): ChannelDeps => ({ core: core.channels, state: channelState(store, id, log), dedupe: store, content: () => content.current, log });
  const channels: Channel[] = [new WebChatChannel({ core: core.channels, content: () => content.current, bus: store, exitUrl: config.QUICK_EXIT_URL })];
  // Bot Framework: on with an Azure app id, or unauthenticated for the Emulator with BOTFRAMEWORK_LOCAL=1.
  if (config.MICROSOFT_APP_ID || config.BOTFRAMEWORK_LOCAL) {
    channels.push(new BotFrameworkChannel({ ...config, referenceTtlMs: config.TRANSCRIPT_RETENTION_DAYS * 24 * 3600_000 }, deps('botframework')));
  }
  // Telegram: on with a bot token; long polling unless a webhook URL is set.
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? new TelegramChannel(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          webhook: config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } : undefined,
          limits: { globalPerSecond: config.TELEGRAM_MAX_MESSAGES_PER_SECOND },
        },
        deps('telegram'),
      )
    : undefined;
  if (telegram) channels.push(telegram);
  // VK: Callback API when a confirmation string is set, else Bots Long Poll (one instance).
  if (config.VK_GROUP_TOKEN) {
    channels.push(
      new VkChannel(
        {
          token: config.VK_GROUP_TOKEN,
          groupId: config.VK_GROUP_ID!,
          confirmation: config.VK_CONFIRMATION,
          secret: config.VK_SECRET,
          apiRoot: config.VK_API_ROOT.replace(/\/+$/, ''),
          apiLimit: config.VK_API_LIMIT,
        },
        deps('vk'),
      ),
    );
  }
  // MAX: a webhook when MAX_WEBHOOK_URL is set, else long polling (one instance).
  if (config.MAX_BOT_TOKEN) {
    channels.push(
      new MaxChannel(
        { token: config.MAX_BOT_TOKEN, webhookUrl: config.MAX_WEBHOOK_URL, webhookSecret: config.MAX_WEBHOOK_SECRET, apiRoot: config.MAX_API_ROOT.replace(/\/+$/, '') },
        deps('max'),
      ),
    );
  }
  for (const channel of channels) delivery.register(channel.id, channel.sender);

  const health = async (): Promise<HealthReport> => {
    const reasons: string[] = [];
    try {
      await store.ping();
    } catch (err) {
      reasons.push(`store unavailable: ${(err as Error).message}`);
    }
    const t = triage.status();
    if (!t.ready) reasons.push(`classifier not ready: ${t.state}${t.reason ? ` (${t.reason})` : ''}; the crisis lexicon answers meanwhile`);
    return { ok: reasons.length === 0, reasons, details: { store: store.kind, triage: triage.name, content: content.current.version, records: records.status() } };
  };

  const app = await buildServer({
    log,
    publicDir: builtPages(ROOT),
    health,
    trustProxy: config.TRUST_PROXY,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    maxConnections: config.MAX_CONNECTIONS,
    frameAncestors: config.WEBCHAT_FRAME_ANCESTORS.split(/\s+/).filter(Boolean),
  });
  for (const channel of channels) await channel.routes?.(app);
  const staffConsole = await registerConsole(app, {
    core,
    staff: staffRepos,
    once: store,
    counters: store,
    passwordLog2N: config.PASSWORD_SCRYPT_LOG2N,
    content: () => content.current,
    log,
    hours,
    adminUsername: config.ADMIN_USERNAME,
    adminPassword: config.ADMIN_PASSWORD,
    graceMs: config.COUNSELOR_GRACE_SECONDS * 1000,
    sessionTtlMs: config.SESSION_HOURS * 3600_000,
    maxTextChars: config.MAX_TEXT_CHARS,
    loginPerMinute: config.LOGIN_MAX_PER_MINUTE,
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    auditRetentionMs: config.AUDIT_RETENTION_DAYS * 24 * 3600_000,
    transcriptRetentionMs: config.TRANSCRIPT_RETENTION_DAYS * 24 * 3600_000,
    maxChats: config.COUNSELOR_MAX_CHATS,
    reports: async () => new RecordsReports((await records.repository()).db),
    timeZone: config.OPENING_TIMEZONE,
    previous: profileKey ? async (channel, chatKey, id) => (await records.repository()).previous(profileKey(channel, chatKey), id) : undefined,
  });
  // The studio's safety gate: the candidate from the draft's files against the model serving now
  // (read with the content it serves), on the labelled sets in GATE_SETS and the counselors' corrections.
  const studioGate = async (files: Record<string, string>, progress: (line: string) => void) => {
    const sets = config.GATE_SETS.split(',')
      .map((p) => p.trim())
      .filter((p) => p && existsSync(resolve(ROOT, p)))
      .map((p) => ({ name: p, rows: parseEvalFile(readFileSync(resolve(ROOT, p), 'utf8')) }));
    const corrections = (await staffRepos.corrections.list(5000)).flatMap((c) => (isRisk(c.risk) && isTopic(c.topic) ? [{ text: c.text, lang: c.lang, risk: c.risk, topic: c.topic }] : []));
    if (corrections.length) sets.push({ name: 'corrections', rows: corrections });
    if (!sets.length) throw new Error(`no labelled set to measure on (GATE_SETS=${config.GATE_SETS})`);
    return gateFiles({
      files,
      current: ((dir) => (dir && inspectModel(dir, content.current).state === 'ok' ? { dir, content: content.current } : undefined))(triage.modelDir()),
      keepIn: modelVersionsDir,
      sets,
      floors: { escalation_recall: config.GATE_ESCALATION_FLOOR, imminent_recall: config.GATE_IMMINENT_FLOOR, max_drop: config.GATE_MAX_DROP },
      log: progress,
    });
  };
  const studio = new Studio({
    versions: store.contentVersions,
    seedFiles: () => content.seedFiles,
    classify: (text, ctx, c) => triage.classifyWith(text, ctx, c),
    audit: (by, action, detail) => staffConsole.audit.record(by, action, undefined, detail),
    requireApproval: config.STUDIO_CRISIS_APPROVAL,
    facts,
    onPublished: (n, files) => usePublished(content, n, files, log),
    gate: config.STUDIO_GATE ? (files, progress) => studioGate(files, progress) : undefined,
  });
  await studioRoutes(app, studio, staffConsole.auth, () => content.current);
  app.get('/studio', (_req, reply) => reply.redirect('/studio/'));
  app.get('/metrics', async (req, reply) => {
    // Operators only: with a token, anyone who has it (Prometheus: bearer_token); without one,
    // only this machine (the socket's peer, not a forwarded address).
    if (config.METRICS_TOKEN) {
      if (req.headers.authorization !== `Bearer ${config.METRICS_TOKEN}`) {
        return reply.status(401).send({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>', code: 'unauthorized' });
      }
    } else if (!isLoopback(req.socket.remoteAddress)) {
      return reply.status(403).send({ error: 'metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere', code: 'forbidden' });
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const url = await app.listen({ port: config.PORT, host: config.HOST });
  log.info({ url }, 'listening: web chat at /, console at /console');
  core.waitingRoom.start();
  core.safety.start();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      content.close();
      stopFollowing();
      await core.waitingRoom.stop();
      await core.safety.stop();
      await staffConsole.close();
      await app.close();
      for (const channel of channels) await channel.stop?.();
      await records.stop();
      await triage.close();
      await store.close();
    })());
  // After listening: a webhook may be called as soon as it is set.
  for (const channel of channels) {
    try {
      await channel.start?.();
    } catch (err) {
      if (channel.startFailure === 'stop-service') {
        await close();
        throw err;
      }
      // One clear line; the web chat and the other messengers keep serving children.
      log.error({ channel: channel.id, err: errInfo(err) }, `${channel.id}: could not start; the channel is off until the next start`);
      await channel.stop?.().catch(() => undefined);
    }
  }
  return { config, app, url, core, store, content, studio, log, triage, metrics, channels, telegram, staffConsole, records, close };
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

/** The pages (web chat, console) are built by Vite into dist/web during `npm install`/`npm start`;
 * serving the sources instead would give a page that cannot run, so say how to build them. */
function builtPages(root: string): string {
  const dir = resolve(root, 'dist/web');
  if (!existsSync(resolve(dir, 'index.html'))) {
    throw new Error(`the web pages are not built (${dir}/index.html is missing): run \`npm run build:web\` (npm install and npm start do it)`);
  }
  return dir;
}
