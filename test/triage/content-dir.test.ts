// CONTENT_DIR reaches the trainer: an app whose content lives elsewhere trains on that content's
// intents/, serves a model that matches it, and does not train again at the next start (a
// regression test: on 5813c3a the child process trained on the repository's own intents/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { startApp } from '../../src/main.js';
import { inspectModel } from '../../src/triage/ensure-model.js';
import { makeContentDir } from '../content/fixture.js';

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('not ready in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('CONTENT_DIR', () => {
  it('is what the background trainer trains on, and a restart finds the model fresh', { timeout: 120_000 }, async () => {
    const contentDir = makeContentDir();
    const modelDir = join(mkdtempSync(join(tmpdir(), 'model-')), 'triage');
    const env = { PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', CONTENT_DIR: contentDir, TRIAGE_MODEL_DIR: modelDir, TRIAGE_TRAIN_THREADS: '1' };
    const first = await startApp(env);
    try {
      await until(() => first.triage.status().ready, 100_000);
      expect(inspectModel(modelDir, loadContent(contentDir)).state).toBe('ok');
    } finally {
      await first.close();
    }
    const second = await startApp(env);
    try {
      // Fresh: loaded at start-up, nothing trained.
      expect(second.triage.status()).toMatchObject({ ready: true, state: 'model' });
    } finally {
      await second.close();
    }
  });
});
