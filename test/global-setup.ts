// Runs once before the suite: checks that Redis answers, and trains the triage model once (into
// test-artifacts/, reused while intents/ do not change) so that every app the tests start loads
// it in a fraction of a second instead of training its own.
import { resolve } from 'node:path';
import { createClient } from 'redis';
import { build } from 'vite';
import { loadContent } from '../src/content/load.js';
import { ensureModel } from '../src/triage/ensure-model.js';

export const TEST_MODEL_DIR = resolve(import.meta.dirname, '../test-artifacts/triage-model');

export default async function setup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`Redis is not answering at ${url} (${(err as Error).message}); start it: redis-server --daemonize yes --port 6379 --save "" --appendonly no`, { cause: err });
  } finally {
    await client.close().catch(() => undefined);
  }

  // The pages are served from dist/web: build them from the sources under test (about 1 s), so a
  // browser test never runs against a stale build.
  await build({ configFile: resolve(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'error' });

  const started = Date.now();
  const ensured = await ensureModel(TEST_MODEL_DIR, loadContent(resolve(import.meta.dirname, '..')), (m) => process.stderr.write(`[model] ${m}\n`), { train: 'in-process' });
  if (ensured.trained) process.stderr.write(`[model] trained for the tests in ${Math.round((Date.now() - started) / 1000)} s\n`);
  // Workers inherit the environment: every startApp in the tests uses this model.
  process.env.TEST_MODEL_DIR = ensured.dir;
}
