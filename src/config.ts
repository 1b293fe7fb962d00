import { z } from 'zod';
import { parseOpeningHours } from './core/opening-hours.js';
import { DEFAULT_FACTS } from './core/service-facts.js';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().positive();
const url = z.url();

/**
 * Every setting, read once from the environment. Names and defaults are documented in the
 * README's one table; this schema is the source of truth.
 */
const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('hl'),
  /** A Redis command that takes longer has failed (a hung Redis must not hold a child's reply). */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Contact records: PostgreSQL; unset: embedded PGlite in RECORDS_DIR. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  /** A folder, or memory:// for an in-memory database (tests, demos: gone with the process). */
  RECORDS_DIR: z.string().min(1).default('data/records'),
  RECORD_RETENTION_DAYS: positive.default(1825),
  /** Key of the pseudonymous profiles (HMAC of channel and chat key); unset: no profiles, no blocking. */
  PROFILE_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'looks like 123456:ABC-def').optional(),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: url.optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 of A-Z a-z 0-9 _ -').optional(),
  /** Telegram's limit to all chats together is about 30 messages/s; raise only for a local Bot API stand-in. */
  TELEGRAM_MAX_MESSAGES_PER_SECOND: positive.default(30),
  MICROSOFT_APP_ID: z.string().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  BOTFRAMEWORK_LOCAL: bool.default(false),
  /** Also emit the Bot Framework handoff.initiate event (with the transcript) when a child is queued. */
  BOTFRAMEWORK_HANDOFF_EVENT: bool.default(false),
  VK_GROUP_TOKEN: z.string().min(10, 'looks like a VK community access key').optional(),
  VK_GROUP_ID: z.coerce.number().int().positive().optional(),
  VK_CONFIRMATION: z.string().min(1).max(100).optional(),
  VK_SECRET: z.string().min(1).max(100).optional(),
  VK_API_ROOT: url.default('https://api.vk.ru'),
  /** vk-io's queue: API requests per second (VK allows a community key 20; 3 is vk-io's default). */
  VK_API_LIMIT: z.coerce.number().int().min(1).max(20).default(3),
  MAX_BOT_TOKEN: z.string().min(10, 'looks like a MAX bot token').optional(),
  MAX_WEBHOOK_URL: url.optional(),
  MAX_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{5,256}$/, '5-256 of A-Z a-z 0-9 _ -').optional(),
  MAX_API_ROOT: url.default('https://platform-api2.max.ru'),
  TRIAGE_MODEL_DIR: z.string().min(1).default('models/triage'),
  /** Worker threads for training; unset: every core. */
  TRIAGE_TRAIN_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  ADMIN_USERNAME: z.string().min(1).default('admin'),
  /** Changes to crisis answers (emergency message, crisis scripts, safety question) wait for a second person's approval. */
  STUDIO_CRISIS_APPROVAL: bool.default(true),
  /** A draft that changes intents/ is published only after the safety gate passed (or an admin overrides it). */
  STUDIO_GATE: bool.default(true),
  /** Labelled sets the gate measures on (comma-separated .jsonl paths; missing files are skipped), plus the corrections. */
  GATE_SETS: z.string().default('test/fixtures/triage-challenge.jsonl'),
  GATE_ESCALATION_FLOOR: z.coerce.number().min(0).max(1).default(0.97),
  GATE_IMMINENT_FLOOR: z.coerce.number().min(0).max(1).default(0.9),
  GATE_MAX_DROP: z.coerce.number().min(0).max(1).default(0.01),
  ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONTENT_DIR: z.string().min(1).default('.'),
  MAX_TEXT_CHARS: z.coerce.number().int().min(100).max(100_000).default(4000),
  BOT_RETENTION_HOURS: positive.default(DEFAULT_FACTS.botHours),
  TRANSCRIPT_RETENTION_DAYS: positive.default(DEFAULT_FACTS.transcriptDays),
  /** Audit entries older than this go; conversation ids leave the log with their transcripts. */
  AUDIT_RETENTION_DAYS: positive.default(365),
  /** Reverse proxies in front: a hop count (1 = one proxy; true/yes mean 1) or a comma list of proxy addresses. */
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === 'yes') return 1;
      if (t === 'false' || t === 'no') return 0;
      if (/^\d{1,2}$/.test(t)) return Number(t);
      const list = v.split(',').map((a) => a.trim()).filter(Boolean);
      if (list.length && list.every((a) => /^[0-9a-fA-F.:/]+$/.test(a))) return list;
      ctx.addIssue({ code: 'custom', message: 'a hop count (1 = one proxy) or a comma list of proxy addresses' });
      return z.NEVER;
    })
    .default(0),
  /** Who may embed the web chat in a frame: CSP frame-ancestors sources, space separated (default: this origin only). */
  WEBCHAT_FRAME_ANCESTORS: z.string().default("'self'"),
  /** Where the web chat's quick-exit button leaves to: a neutral page (a search page looks like nothing in a browser's history); http(s) only, never a script URL. */
  QUICK_EXIT_URL: url.refine((v) => /^https?:\/\//i.test(v), 'must be an http:// or https:// address').default('https://ya.ru/'),
  HTTP_REQUEST_TIMEOUT_SECONDS: positive.default(15),
  /** New web chats from one address (IPv6: one /64) per minute before they count as a possible flood; a school behind one NAT fits under 20. */
  NEW_CHATS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  MAX_CONNECTIONS: z.coerce.number().int().min(10).default(10_000),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // Counselor console: chat shift hours (the phone line is 24/7), vanished-counselor grace, waiting room.
  OPENING_HOURS: z.string().min(1).default('24/7'),
  OPENING_TIMEZONE: z.string().min(1).default('Europe/Moscow'),
  HOLIDAYS: z.string().default(''),
  COUNSELOR_GRACE_SECONDS: positive.default(60),
  WAITING_MESSAGE_SECONDS: positive.default(180),
  SESSION_HOURS: positive.default(12),
  /** Supervisor safety net: an imminent chat unacknowledged this long alerts every supervisor and admin again. */
  IMMINENT_ACK_SECONDS: positive.default(60),
  /** Concurrent chats per counselor; claims and transfers beyond it are refused (code at_capacity). */
  COUNSELOR_MAX_CHATS: z.coerce.number().int().min(1).max(50).default(3),
  /** A waiting web chat child whose page has been closed this long leaves the queue as abandoned. */
  QUEUE_ABANDON_MINUTES: positive.default(15),
  LOGIN_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** scrypt cost of staff password hashes, log2 N: 17 is OWASP's minimum (~500 ms, 128 MiB per check here); lower only for tests. */
  PASSWORD_SCRYPT_LOG2N: z.coerce.number().int().min(14).max(20).default(17),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; a bad value throws one clear line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid ${name}: ${issue.message}`);
  }
  const cfg = result.data;
  try {
    parseOpeningHours(cfg.OPENING_HOURS, cfg.OPENING_TIMEZONE, cfg.HOLIDAYS);
  } catch (err) {
    throw new ConfigError(`invalid OPENING_HOURS/OPENING_TIMEZONE/HOLIDAYS: ${(err as Error).message}`);
  }
  if (cfg.TELEGRAM_WEBHOOK_URL && !cfg.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('invalid TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  }
  if (cfg.TELEGRAM_WEBHOOK_URL && !cfg.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('invalid TELEGRAM_BOT_TOKEN: required when TELEGRAM_WEBHOOK_URL is set');
  }
  checkBotFramework(cfg);
  if (cfg.VK_GROUP_TOKEN && !cfg.VK_GROUP_ID) throw new ConfigError('invalid VK_GROUP_ID: required when VK_GROUP_TOKEN is set');
  if (cfg.VK_CONFIRMATION && !cfg.VK_SECRET) throw new ConfigError('invalid VK_SECRET: required when VK_CONFIRMATION is set (the Callback API secret key)');
  if (cfg.MAX_WEBHOOK_URL && !cfg.MAX_WEBHOOK_SECRET) throw new ConfigError('invalid MAX_WEBHOOK_SECRET: required when MAX_WEBHOOK_URL is set');
  if (cfg.MAX_WEBHOOK_URL && !cfg.MAX_BOT_TOKEN) throw new ConfigError('invalid MAX_BOT_TOKEN: required when MAX_WEBHOOK_URL is set');
  return cfg;
}

/** Bot Framework credentials that botbuilder would only reject later, at the first request. */
function checkBotFramework(cfg: Config): void {
  const type = cfg.MICROSOFT_APP_TYPE ?? 'MultiTenant';
  const others = cfg.MICROSOFT_APP_PASSWORD || cfg.MICROSOFT_APP_TYPE || cfg.MICROSOFT_APP_TENANT_ID;
  if (!cfg.MICROSOFT_APP_ID) {
    if (others) throw new ConfigError('invalid MICROSOFT_APP_ID: required when MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TYPE or MICROSOFT_APP_TENANT_ID is set');
    return;
  }
  if (type !== 'MultiTenant' && !cfg.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError(`invalid MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is ${type}`);
  }
  if (type === 'UserAssignedMSI' && cfg.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError('invalid MICROSOFT_APP_PASSWORD: must not be set when MICROSOFT_APP_TYPE is UserAssignedMSI (the managed identity has no secret)');
  }
  if (type !== 'UserAssignedMSI' && !cfg.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError(`invalid MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set and MICROSOFT_APP_TYPE is ${type}`);
  }
}
