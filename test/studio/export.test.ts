// npm run content:export writes any version back as files, and content:check validates them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/content/files.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { Studio } from '../../src/studio/service.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('content:export', { timeout: 120_000 }, () => {
  const prefix = `test-${randomUUID()}`;
  afterAll(async () => {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length) await client.del(keys);
    await client.close();
  });

  it('writes version 1 as the seed byte for byte and a later version with its change; content:check passes on both and fails on a broken file', async () => {
    const seed = readContentFiles(ROOT).files;
    const store = await RedisStore.connect({ url: REDIS_URL, prefix, retention: { botMs: 60_000, handledMs: 60_000 } });
    const studio = new Studio({
      versions: store.contentVersions,
      seedFiles: () => seed,
      classify: async () => ({ intent: 'x', topic: 'other', risk: 'none', confidence: 0, reasons: [] }),
      audit: async () => undefined,
      requireApproval: true,
    });
    const d = await studio.createDraft('olga', 'export');
    await studio.saveItem(d.id, 'message:en:breathing', 'breathing = Breathe in for four, out for six.', 0, 'olga');
    await studio.saveItem(d.id, 'file:intents/greeting/greeting_studio.yaml', 'topic: greeting\nrisk: none\nscript: greeting\nexamples:\n  ru:\n    - приветики из студии\n  en:\n    - hiya from the studio\n', 0, 'olga');
    expect((await studio.publish(d.id, 'olga', 'export test')).number).toBe(2);
    await store.close();

    const env = { REDIS_URL, REDIS_PREFIX: prefix };
    const one = mkdtempSync(join(tmpdir(), 'export-'));
    const e1 = await cli('src/studio/export-cli.ts', [one, '--version', '1'], env);
    expect(e1.code, e1.out).toBe(0);
    expect(readContentFiles(one).files).toEqual(seed);

    const latest = mkdtempSync(join(tmpdir(), 'export-'));
    // A file the version does not have is removed (it was deleted in the studio); other files stay.
    writeFileSync(join(latest, 'notes.txt'), 'mine');
    const e2 = await cli('src/studio/export-cli.ts', [latest], env);
    expect(e2.code, e2.out).toBe(0);
    expect(e2.out).toContain('version 2 (olga');
    expect(readFileSync(join(latest, 'locales/en.ftl'), 'utf8')).toContain('breathing = Breathe in for four, out for six.');
    expect(readFileSync(join(latest, 'intents/greeting/greeting_studio.yaml'), 'utf8')).toContain('hiya from the studio');
    expect(readFileSync(join(latest, 'locales/ru.ftl'), 'utf8')).toBe(seed['locales/ru.ftl']);
    expect(readFileSync(join(latest, 'notes.txt'), 'utf8')).toBe('mine');
    const check = await cli('src/content/check-cli.ts', [latest], {});
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`${Object.keys(seed).filter((p) => p.startsWith('intents/') && !/scripts|cues/.test(p)).length + 1} intents`);

    writeFileSync(join(latest, 'locales/en.ftl'), readFileSync(join(latest, 'locales/en.ftl'), 'utf8').replace('breathing = Breathe', 'breathing = { $broken Breathe'));
    const broken = await cli('src/content/check-cli.ts', [latest], {});
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/locales\/en\.ftl:\d+: Fluent:/);

    const none = await cli('src/studio/export-cli.ts', [latest, '--version', '9'], env);
    expect(none.code).toBe(1);
    expect(none.out).toContain('there is no version 9 (the latest is 2)');
  });
});
