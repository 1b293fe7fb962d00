// Counselors' triage corrections (issue 15 item 7) through the real API, on the memory store and
// on Redis; on Redis also the export CLI (`npm run corrections`) and the eval format it writes.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { parseEvalFile } from '../../src/triage/eval.js';
import { REDIS_URL } from '../store/implementations.js';
import { StaffClient, admin, staff, start, until, webChild } from './helpers.js';

const run = promisify(execFile);
const stores = [
  { name: 'memory', env: {} as Record<string, string> },
  { name: 'redis', env: { REDIS_URL, REDIS_PREFIX: `test-corrections-${randomUUID()}` } },
];

for (const store of stores) {
  describe(`triage corrections (${store.name})`, () => {
    let app: RunningApp;
    let boss: StaffClient;
    let anna: StaffClient;
    let boris: StaffClient;
    let eva: StaffClient;

    beforeAll(async () => {
      app = await start(store.env);
      boss = await admin(app);
      [anna, boris, eva] = await Promise.all([staff(app, boss, 'anna', 'counselor'), staff(app, boss, 'boris', 'counselor'), staff(app, boss, 'eva', 'editor')]);
    });
    afterAll(() => app.close());

    it('a counselor corrects a child message; editors list it, in the eval format too; counselors cannot read the list', async () => {
      const text = 'меня все бесят в классе, хочу сменить школу';
      const child = await webChild(app, text);
      // An everyday message stays with the bot: the child asks for a person.
      child.socket.send({ type: 'button', value: 'action:counselor', id: 'b1' });
      // The optional pre-survey, skipped (asked before or while waiting).
      child.socket.send({ type: 'button', value: 'pre_age:skip', id: 'b2' });
      child.socket.send({ type: 'button', value: 'pre_about:other', id: 'b3' });
      await until(async () => (await anna.post(`/api/conversations/${child.id}/claim`)).status === 200, 5000, 'claim');
      const transcript = (await anna.get(`/api/conversations/${child.id}`)).body.transcript as { seq: number; from: string; text: string; triage?: { topic: string } }[];
      const mine = transcript.find((e) => e.from === 'child' && e.text === text)!;
      expect(mine.triage).toBeDefined();
      const bot = transcript.find((e) => e.from === 'bot')!;

      // Wrong shapes and wrong targets: clear refusals, nothing kept.
      expect((await anna.post(`/api/conversations/${child.id}/messages/${mine.seq}/correction`, { topic: 'schol', risk: 'low' })).body.error).toMatch(/^topic: .*expected \{"topic"/);
      expect((await anna.post(`/api/conversations/${child.id}/messages/${bot.seq}/correction`, { topic: 'school', risk: 'low' })).status).toBe(400);
      expect((await anna.post(`/api/conversations/${child.id}/messages/9999/correction`, { topic: 'school', risk: 'low' })).status).toBe(404);
      expect((await boris.post(`/api/conversations/${child.id}/messages/${mine.seq}/correction`, { topic: 'school', risk: 'low' })).status).toBe(403);
      expect((await eva.post(`/api/conversations/${child.id}/messages/${mine.seq}/correction`, { topic: 'school', risk: 'low' })).status).toBe(403);

      const made = await anna.post(`/api/conversations/${child.id}/messages/${mine.seq}/correction`, { topic: 'peers', risk: 'medium' });
      expect(made.status).toBe(201);
      // A second opinion on the same message replaces the first: one line per message.
      expect((await anna.post(`/api/conversations/${child.id}/messages/${mine.seq}/correction`, { topic: 'school', risk: 'low' })).status).toBe(201);

      expect((await anna.get('/api/corrections')).status).toBe(403);
      const list = (await eva.get('/api/corrections')).body as { text: string; topic: string; risk: string; was: { topic: string }; by: string; lang: string }[];
      const ours = list.filter((c) => c.text === text);
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ topic: 'school', risk: 'low', by: 'anna', lang: 'ru', was: { topic: mine.triage!.topic } });

      const jsonl = await eva.get('/api/corrections?format=jsonl');
      expect(String(jsonl.headers['content-type'])).toContain('application/x-ndjson');
      // One line is also valid JSON, which the test client has already parsed.
      const rows = parseEvalFile(typeof jsonl.body === 'string' ? jsonl.body : JSON.stringify(jsonl.body));
      expect(rows).toContainEqual({ text, lang: 'ru', topic: 'school', risk: 'low' });

      // The audit names levels, never the child's words.
      const auditText = JSON.stringify((await boss.get('/api/audit')).body);
      expect(auditText).toContain('triage-correction');
      expect(auditText).not.toContain(text);
    });

    it.runIf(store.name === 'redis')('npm run corrections writes them in the eval format', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'corrections-'));
      try {
        const out = join(dir, 'c.jsonl');
        const { stderr } = await run('npx', ['tsx', 'src/corrections-cli.ts', '--out', out], { env: { ...process.env, ...store.env } });
        expect(stderr).toMatch(/\d+ written to/);
        const rows = parseEvalFile(readFileSync(out, 'utf8'));
        expect(rows.some((r) => r.topic === 'school' && r.risk === 'low')).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('npm run corrections without Redis', () => {
  it('says where the corrections are instead', async () => {
    const env = { ...process.env };
    delete env.REDIS_URL;
    const err = await run('npx', ['tsx', 'src/corrections-cli.ts', '--out', join(tmpdir(), `never-${randomUUID()}.jsonl`)], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toContain('GET /api/corrections?format=jsonl');
  });
});
