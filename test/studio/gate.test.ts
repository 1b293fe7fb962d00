// The studio's safety gate (issue 16 item 8) on a real app: a draft that changes intents/ is
// published only after a candidate model trained from it is measured; an edit that makes the
// classifier miss children is refused with the figures and the lines now missed; only an admin
// may publish over it, with a written reason that goes to the audit. A small content folder keeps
// the two trainings to seconds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { makeContentDir } from '../content/fixture.js';
import { PASSWORD, admin, staff, start, until, type StaffClient } from '../console/helpers.js';
import { launchChromium } from '../helpers/child-page.js';
import { resolve } from 'node:path';

const SUICIDE_FILE = 'file:intents/suicide/suicide_thoughts.yaml';
// The editor's mistake: the crisis phrases deleted and the intent's level set to none.
const BROKEN = ['topic: suicide', 'risk: none', 'script: crisis_high', 'examples:', '  ru:', '    - хочу умереть', '  en:', '    - i want to die', ''].join('\n');

describe('studio safety gate', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let boss: StaffClient;
  let olga: StaffClient;
  let sveta: StaffClient;

  beforeAll(async () => {
    const dir = makeContentDir();
    const sets = join(mkdtempSync(join(tmpdir(), 'gate-sets-')), 'set.jsonl');
    writeFileSync(
      sets,
      [
        { text: 'хочу умереть', lang: 'ru', risk: 'high', topic: 'suicide' },
        { text: 'не хочу жить', lang: 'ru', risk: 'high', topic: 'suicide' },
        { text: 'привет', lang: 'ru', risk: 'none', topic: 'greeting' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    app = await start({ CONTENT_DIR: dir, TRIAGE_MODEL_DIR: join(dir, 'model'), GATE_SETS: sets });
    // The model for this content trains in the background; the gate compares against it.
    await until(async () => (await app.app.inject({ url: '/healthz' })).statusCode === 200, 60_000, 'the model');
    boss = await admin(app);
    olga = await staff(app, boss, 'olga', 'editor');
    sveta = await staff(app, boss, 'sveta', 'supervisor');
  });
  afterAll(() => app?.close());

  it('in the studio page: the check runs with progress, shows the figures and the lines now missed, and publishing is stopped', async () => {
    const browser = await launchChromium();
    try {
      const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
      const p = await ctx.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${app.url}/studio`);
      await p.fill('#login-username', 'olga');
      await p.fill('#login-password', PASSWORD);
      await p.click('#login-submit');
      await p.waitForSelector('#app:not([hidden])');
      await p.fill('#draft-title', 'убрать лишнее');
      await p.click('#new-draft');
      await p.selectOption('#item', SUICIDE_FILE);
      await p.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.includes('topic: suicide'));
      await p.fill('#text', BROKEN);
      await p.click('#save');
      await p.waitForSelector('#status:has-text("Сохранено")');
      await p.fill('#comment', 'убрала фразы');
      await p.click('#publish');
      await p.waitForSelector('#publish-status:has-text("сначала нажмите «Проверить безопасность»")');
      await p.click('#gate');
      await p.waitForSelector('#gate-status:has-text("Публикация остановлена")', { timeout: 90_000 });
      const figures = await p.textContent('#gate-figures');
      expect(figures).toContain('полнота эскалации 1.000 →');
      expect(figures).toContain('Теперь пропущено: «хочу умереть»');
      expect(await p.isVisible('#override')).toBe(true);
      // UPDATE_SCREENSHOTS=1 writes the README's picture again (an ordinary run leaves docs/ alone).
      if (process.env.UPDATE_SCREENSHOTS === '1') await p.screenshot({ path: resolve(import.meta.dirname, '../../docs/screens/studio-safety-gate.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('refuses a corpus edit that loses crisis lines, shows why, and lets only an admin override with a reason', async () => {
    const d = (await olga.post('/api/studio/drafts', { title: 'tidy the suicide intent' })).body;
    expect((await olga.post(`/api/studio/drafts/${d.id}/items`, { key: SUICIDE_FILE, value: BROKEN, rev: 0 })).status).toBe(200);

    // A crisis intent's level changed: a second person approves (the gate is a separate check).
    expect((await sveta.post(`/api/studio/drafts/${d.id}/approve`)).status).toBe(200);
    // Not without the check.
    const early = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'cleanup' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('gate_required');

    const started = await olga.post(`/api/studio/drafts/${d.id}/gate`);
    expect(started.status).toBe(202);
    const done = await until(async () => {
      const r = (await olga.get(`/api/studio/drafts/${d.id}/gate`)).body;
      return r.state !== 'running' ? r : null;
    }, 90_000, 'the safety check');
    expect(done.state, done.error).toBe('done');
    expect(done.lines.some((l: string) => l.includes('training the candidate'))).toBe(true);
    expect(done.report.ok).toBe(false);
    const set = done.report.sets[0];
    expect(set.before.escalation_recall).toBe(1);
    expect(set.after.escalation_recall).toBeLessThan(0.97);
    expect(done.report.worse.map((w: { text: string }) => w.text)).toContain('хочу умереть');

    const refused = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'cleanup' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('gate_refused');
    expect(refused.body.sets[0].problems.join(' ')).toMatch(/escalation recall/);
    // An editor cannot override; an admin must give a reason.
    expect((await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'cleanup', override: 'I know better than the model' })).status).toBe(403);
    expect((await boss.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'cleanup', override: 'ok' })).status).toBe(400);
    const over = await boss.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'cleanup', override: 'the lines move to a new intent published tomorrow' });
    expect(over.status).toBe(200);
    const audit = JSON.stringify((await boss.get('/api/audit?limit=50')).body);
    expect(audit).toContain('content-gate-override');
    expect(audit).toContain('published tomorrow');

    // The model is versioned with the content (issue 16 item 8): the candidate the gate kept
    // serves the published version at once — no second training — and a rollback brings back both.
    const serving = app.triage.modelDir()!;
    const ask = async () => (await app.triage.classify('хочу умереть', { priorRisk: 'none', locale: 'ru' })).risk;
    await until(async () => (app.triage.modelDir() !== serving ? true : null), 10_000, 'the kept candidate to load');
    expect(app.triage.modelDir()).toContain(`${join(app.config.TRIAGE_MODEL_DIR)}-versions`);
    expect(app.triage.status().state).toBe('model');
    const numbers = ((await boss.get('/api/studio/versions')).body as { number: number }[]).map((v) => v.number).sort((a, b) => a - b);
    expect(numbers.length, 'the seed and the published version').toBeGreaterThanOrEqual(2);
    expect((await boss.post(`/api/studio/versions/${numbers.at(-2)}/rollback`, { comment: 'back' })).status).toBe(200);
    await until(async () => (app.triage.modelDir() === serving ? true : null), 10_000, 'the old model back');
    expect(['high', 'imminent']).toContain(await ask());
  });

  it('runs one check at a time: a second draft\'s check is queued and shown so, and cannot publish until it ran', async () => {
    const files = ((await olga.get('/api/studio/catalog')).body.files as string[]).slice(0, 2);
    const drafts: string[] = [];
    for (const f of files) {
      const live = (await olga.get(`/api/studio/items?key=${encodeURIComponent(`file:${f}`)}`)).body.value as string;
      const d = (await olga.post('/api/studio/drafts', { title: `note in ${f}` })).body;
      expect((await olga.post(`/api/studio/drafts/${d.id}/items`, { key: `file:${f}`, value: `${live}\n# reviewed\n`, rev: 0 })).status).toBe(200);
      drafts.push(d.id);
    }
    const first = await olga.post(`/api/studio/drafts/${drafts[0]}/gate`);
    const second = await olga.post(`/api/studio/drafts/${drafts[1]}/gate`);
    expect(first.body.state).toBe('running');
    expect(second.body).toMatchObject({ state: 'queued', ahead: 1 });
    expect((await olga.post(`/api/studio/drafts/${drafts[1]}/publish`, { comment: 'reviewed' })).body.code).toBe('gate_running');
    for (const id of drafts) {
      const done = await until(async () => {
        const r = (await olga.get(`/api/studio/drafts/${id}/gate`)).body;
        return r.state === 'done' || r.state === 'failed' ? r : null;
      }, 90_000, 'the safety checks');
      expect(done.state, done.error).toBe('done');
    }
    // The second started only after the first finished.
    const [a, b] = await Promise.all(drafts.map(async (id) => (await olga.get(`/api/studio/drafts/${id}/gate`)).body));
    expect(b.lines[0]).toMatch(/training the candidate/);
    expect(b.runningAt).toBeGreaterThanOrEqual(a.finishedAt);
  });

  it('publishes a message-only draft without the check', async () => {
    const d = (await olga.post('/api/studio/drafts', { title: 'words only' })).body;
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:en:breathing', value: 'breathing = Breathe in for four, out for six.', rev: 0 });
    expect((await olga.post(`/api/studio/drafts/${d.id}/gate`)).body.state).toBe('not_needed');
    expect((await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'new words' })).status).toBe(200);
  });
});

describe('studio safety gate on two instances (Redis)', { timeout: 120_000 }, () => {
  let a: RunningApp;
  let b: RunningApp;
  const prefix = `gate-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    const dir = makeContentDir();
    const sets = join(mkdtempSync(join(tmpdir(), 'gate-sets-')), 'set.jsonl');
    writeFileSync(sets, [{ text: 'хочу умереть', lang: 'ru', risk: 'high', topic: 'suicide' }, { text: 'привет', lang: 'ru', risk: 'none', topic: 'greeting' }].map((r) => JSON.stringify(r)).join('\n'));
    const env = { CONTENT_DIR: dir, TRIAGE_MODEL_DIR: join(dir, 'model'), GATE_SETS: sets, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix };
    a = await start(env);
    await until(async () => (await a.app.inject({ url: '/healthz' })).statusCode === 200, 60_000, 'the model on A');
    b = await start(env);
    await until(async () => (await b.app.inject({ url: '/healthz' })).statusCode === 200, 60_000, 'the model on B');
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a check run on one instance lets the draft publish through another', async () => {
    const bossA = await admin(a);
    const olgaA = await staff(a, bossA, 'olga', 'editor');
    const olgaB = await staff(b, await admin(b), 'olga2', 'editor');
    const f = ((await olgaA.get('/api/studio/catalog')).body.files as string[])[0]!;
    const live = (await olgaA.get(`/api/studio/items?key=${encodeURIComponent(`file:${f}`)}`)).body.value as string;
    const d = (await olgaA.post('/api/studio/drafts', { title: 'reviewed' })).body;
    expect((await olgaA.post(`/api/studio/drafts/${d.id}/items`, { key: `file:${f}`, value: `${live}\n# reviewed\n`, rev: 0 })).status).toBe(200);
    expect((await olgaA.post(`/api/studio/drafts/${d.id}/gate`)).status).toBe(202);
    const done = await until(async () => {
      const r = (await olgaA.get(`/api/studio/drafts/${d.id}/gate`)).body;
      return r.state === 'done' || r.state === 'failed' ? r : null;
    }, 90_000, 'the safety check on A');
    expect(done.state, done.error).toBe('done');
    expect(done.report.ok).toBe(true);
    // B never ran it, yet knows it.
    expect((await olgaB.get(`/api/studio/drafts/${d.id}/gate`)).body.state).toBe('done');
    const published = await olgaB.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'a note for reviewers' });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
});
