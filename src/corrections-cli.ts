/**
 * npm run corrections -- --out FILE.jsonl [--limit N]
 *
 * Writes the counselors' triage corrections kept in the live store (REDIS_URL) in the eval format,
 * so `npm run eval -- FILE.jsonl` gives the accuracy on real children's messages. The file holds
 * children's words: keep it off git and delete it after use; an editor paraphrases lines into
 * intents/ by hand (never copied). With the in-memory store the corrections live only inside the
 * running server: download GET /api/corrections?format=jsonl from the console instead.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { evalLine } from './console/correction-routes.js';
import { createLogger } from './logger.js';
import { RedisStore } from './store/redis-store.js';
import { staffRepositories } from './store/repositories.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? args[at + 1] : undefined;
  const limitAt = args.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 20_000;
  if (!out || !Number.isInteger(limit) || limit < 1) {
    console.error('usage: npm run corrections -- --out FILE.jsonl [--limit N]');
    process.exit(2);
  }
  const config = loadConfig();
  if (!config.REDIS_URL) {
    console.error('REDIS_URL is not set: with the in-memory store the corrections are only inside the running server; download them from the console (GET /api/corrections?format=jsonl, as an editor, supervisor or admin)');
    process.exit(1);
  }
  const log = createLogger('warn');
  const retention = { botMs: config.BOT_RETENTION_HOURS * 3600_000, handledMs: config.TRANSCRIPT_RETENTION_DAYS * 24 * 3600_000 };
  const store = await RedisStore.connect({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, retention, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  try {
    const list = await staffRepositories(store, log).corrections.list(limit);
    writeFileSync(out, list.map(evalLine).join('\n') + (list.length ? '\n' : ''));
    console.error(`[corrections] ${list.length} written to ${out} (children's words: do not commit; evaluate with npm run eval -- ${out})`);
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  console.error(`[corrections] ${(e as Error).message}`);
  process.exit(1);
});
