// The reports dashboard in a real browser (Debian's Chromium through playwright-core): records
// seeded through the repository (PGlite in memory), a supervisor signs in at /reports, the uPlot
// charts draw on their canvases and every table's numbers are the seeded figures; the channel and
// date filters change them; a counselor gets the refusal and no figures.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { ContactRecord } from '../../src/core/records.js';
import { staffRepositories } from '../../src/store/repositories.js';
import { launchChromium } from '../helpers/child-page.js';
import { PASSWORD, admin, staff, start } from '../console/helpers.js';
import { record } from './records-factory.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Moscow is UTC+3: 10:00Z on Monday 2 March 2026 is 13:00 there. */
function seed(): ContactRecord[] {
  const counselled = (iso: string, over: Partial<ContactRecord>) =>
    record({ startedAt: at(iso), queuedAt: at(iso) + MIN, claimedAt: at(iso) + 3 * MIN, closedAt: at(iso) + 30 * MIN, waitMs: 2 * MIN, ...over });
  return [
    counselled('2026-03-02T10:00:00Z', { risk: 'high', topic: 'suicide', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.suicidal_thoughts'], outcome: 'emergency', counselorId: 'anna', counselors: ['anna'], feedback: 'helped' }),
    counselled('2026-03-02T10:20:00Z', { risk: 'medium', topic: 'family', outcome: 'supported', counselorId: 'anna', counselors: ['anna'], feedback: 'partly', waitMs: 6 * MIN }),
    counselled('2026-03-02T10:40:00Z', { risk: 'low', topic: 'family', outcome: 'supported', counselorId: 'boris', counselors: ['boris'], feedback: null }),
    counselled('2026-03-03T09:00:00Z', { channel: 'telegram', risk: 'imminent', topic: 'suicide', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.suicide_attempt'], outcome: 'emergency', counselorId: 'anna', counselors: ['anna'], feedback: null }),
    counselled('2026-03-03T09:30:00Z', { channel: 'telegram', risk: 'none', topic: 'other', chiCategories: [], chiSubcategories: [], callType: 'joke', outcome: 'not_genuine', counselorId: 'boris', counselors: ['boris'], feedback: null }),
    // Left after 12 minutes in the queue, before any counselor.
    record({ startedAt: at('2026-03-04T15:00:00Z'), queuedAt: at('2026-03-04T15:00:00Z'), claimedAt: null, closedAt: null, abandonedAt: at('2026-03-04T15:12:00Z'), waitMs: null, state: 'bot', risk: 'medium', topic: 'bullying', chiCategories: [], chiSubcategories: [], outcome: null, counselorId: null, counselors: [], feedback: null }),
    counselled('2026-04-01T10:00:00Z', { topic: 'school' }), // outside the range
  ];
}

describe('reports dashboard in a browser', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const records = seed();

  async function signIn(username: string): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1200, height: 1000 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    // A CSP refusal (an inline style or script) shows as a console error; a 401 before sign-in does too, and is expected.
    p.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text()));
    await p.goto(`${app.url}/reports`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', PASSWORD);
    await p.click('#login-submit');
    return p;
  }

  /** A chart's table as [row header, ...cells] rows. */
  const table = (p: Page, chart: string) =>
    p.$$eval(`[data-chart="${chart}"] table.figures tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));

  /** The chart's canvas has pixels of the bar colour (#3b6fb6): uPlot drew the data, not only axes. */
  const drawn = (p: Page, chart: string) =>
    p.$eval(`[data-chart="${chart}"] .uplot canvas`, (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - 0x3b) < 8 && Math.abs(data[i + 1]! - 0x6f) < 8 && Math.abs(data[i + 2]! - 0xb6) < 8) n++;
      return n;
    });

  async function show(p: Page, from: string, to: string, channel = ''): Promise<void> {
    await p.fill('#from', from);
    await p.fill('#to', to);
    await p.selectOption('#channel', channel);
    const answered = p.waitForResponse((r) => r.url().includes('/api/reports/summary') && r.url().includes(`from=${from}`) && r.url().includes(`to=${to}`));
    await p.click('#apply');
    await answered;
    await p.waitForFunction(() => document.getElementById('status')?.textContent === '');
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await start({ OPENING_TIMEZONE: 'Europe/Moscow' });
    const boss = await admin(app);
    await staff(app, boss, 'sveta', 'supervisor');
    await staff(app, boss, 'ivan', 'counselor');
    const repo = await app.records.repository();
    await repo.write(records.map((r, i) => ({ seq: i + 1, snapshot: { record: r } })));
    // A counselor raised the triage of the family chat's message from low to medium.
    await staffRepositories(app.store, app.log).corrections.put(
      { id: `${records[1]!.id}.1`, conversationId: records[1]!.id, seq: 1, text: 'x', lang: 'ru', was: { topic: 'family', risk: 'low' }, topic: 'family', risk: 'medium', by: 'anna', at: at('2026-03-02T10:30:00Z') },
      3600_000,
    );
    browser = await launchChromium();
    // 11 s on a machine with a second test file running; in CI, beside the studio gate's model
    // trainings and the kill -9 instances, the app, PGlite and Chromium once took over 60 s.
  }, 150_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('draws the seeded figures as charts and tables, and the filters change them', async () => {
    const sveta = await signIn('sveta');
    await sveta.waitForSelector('#app');
    expect(await sveta.title()).toBe('Отчёты');
    await show(sveta, '2026-03-01', '2026-03-31');

    expect(await table(sveta, 'totals')).toEqual([
      ['Обращений', '6'],
      ['Дошли до консультанта', '5'],
      ['Ушли, не дождавшись', '1'],
      ['Без консультации (тип звонка)', '1'],
      ['Высокий и непосредственный риск', '2'],
    ]);
    expect(await table(sveta, 'byDay')).toEqual([
      ['2026-03-02', '3'],
      ['2026-03-03', '2'],
      ['2026-03-04', '1'],
    ]);
    expect(await table(sveta, 'byChannel')).toEqual([
      ['webchat', '4'],
      ['telegram', '2'],
    ]);
    expect(await table(sveta, 'byRisk')).toEqual([
      ['непосредственный', '1'],
      ['высокий', '1'],
      ['средний', '2'],
      ['низкий', '1'],
      ['нет', '1'],
    ]);
    expect(await table(sveta, 'byTopic')).toEqual([
      ['семья', '2'],
      ['суицид', '2'],
      ['травля', '1'],
      ['другое', '1'],
    ]);
    expect(await table(sveta, 'bySubcategory')).toEqual([
      ['Семейные отношения: Отношения с родителями', '2'],
      ['Психическое здоровье: Суицидальные мысли', '1'],
      ['Психическое здоровье: Попытка суицида', '1'],
    ]);
    expect(await table(sveta, 'byCallType')).toEqual([['Шутка, розыгрыш', '1']]);
    expect(await table(sveta, 'abandonedByWait')).toEqual([
      ['меньше минуты', '0'],
      ['1–5 минут', '0'],
      ['5–15 минут', '1'],
      ['15–30 минут', '0'],
      ['30 минут и больше', '0'],
    ]);
    expect(await table(sveta, 'byFeedback')).toEqual([
      ['помог', '1'],
      ['немного помог', '1'],
    ]);
    // Monday 13:00 in Moscow: the three webchat contacts; Wednesday 18:00 the one who left.
    const week = await table(sveta, 'byHourOfWeek');
    expect(week[0]![0]).toBe('Пн');
    expect(week[0]![1 + 13]).toBe('3');
    expect(week[1]![1 + 12]).toBe('2');
    expect(week[2]![1 + 18]).toBe('1');
    expect(week.flat().filter((c) => /^\d+$/.test(c)).reduce((a, c) => a + Number(c), 0)).toBe(6);
    expect(await table(sveta, 'counselorLoad')).toEqual([
      ['anna', '2', '3', '1,5', '2'],
      ['boris', '2', '2', '1', '0'],
    ]);
    expect(await table(sveta, 'waitByRisk')).toEqual([
      ['непосредственный', '2', '2'],
      ['высокий', '2', '2'],
      ['средний', '6', '6'],
      ['низкий', '2', '2'],
      ['нет', '2', '2'],
    ]);
    // One of five counselled contacts had its triage corrected (risk raised).
    expect(await table(sveta, 'triage')).toEqual([
      ['Точность (доля разговоров без исправлений)', '80 %'],
      ['Разговоров с консультантом', '5'],
      ['Из них с исправленным триажем', '1'],
      ['Исправлений', '1'],
      ['Риск повышен', '1'],
      ['Риск понижен', '0'],
      ['Тема изменена', '0'],
    ]);
    // Every chart has a uPlot canvas, and the bar charts' canvases hold drawn bars.
    const charts = await sveta.$$eval('[data-chart] .uplot canvas', (cs) => cs.length);
    expect(charts).toBe(await sveta.$$eval('[data-chart] .plot', (ps) => ps.filter((p) => p.getAttribute('data-points') !== '0').length));
    expect(charts).toBeGreaterThanOrEqual(14);
    for (const chart of ['byDay', 'byChannel', 'byRisk', 'byTopic', 'byCategory', 'waitByRisk', 'abandonedByWait', 'byHourOfWeek']) {
      expect(await drawn(sveta, chart), chart).toBeGreaterThan(50);
    }
    await sveta.screenshot({ path: resolve(ARTIFACTS, 'reports-dashboard.png'), fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 2400 } });

    // The download links carry the range; the CHI year its own.
    expect(await sveta.getAttribute('#download-records', 'href')).toBe('/api/reports/records.csv?from=2026-03-01&to=2026-03-31');
    await sveta.fill('#chi-year', '2026');
    expect(await sveta.getAttribute('#download-chi', 'href')).toBe('/api/reports/chi.csv?year=2026');
    const chi = await sveta.evaluate(async () => (await fetch('/api/reports/chi.csv?year=2026')).text());
    expect(chi).toContain('2026,total,contacts,All contacts,7\r\n');

    // Telegram only.
    await show(sveta, '2026-03-01', '2026-03-31', 'telegram');
    expect((await table(sveta, 'totals'))[0]).toEqual(['Обращений', '2']);
    expect(await table(sveta, 'byDay')).toEqual([['2026-03-03', '2']]);
    expect(await table(sveta, 'byChannel')).toEqual([['telegram', '2']]);
    expect(await sveta.getAttribute('#download-records', 'href')).toBe('/api/reports/records.csv?from=2026-03-01&to=2026-03-31&channel=telegram');

    // One day, every channel.
    await show(sveta, '2026-03-02', '2026-03-02');
    expect((await table(sveta, 'totals'))[0]).toEqual(['Обращений', '3']);
    expect(await table(sveta, 'byDay')).toEqual([['2026-03-02', '3']]);
    expect(await table(sveta, 'byChannel')).toEqual([['webchat', '3']]);

    // A month with no contacts: zeros, the plain notice, no chart to draw and nothing broken.
    await show(sveta, '2025-01-01', '2025-01-31');
    expect((await table(sveta, 'totals'))[0]).toEqual(['Обращений', '0']);
    expect(await sveta.innerText('p.notice')).toBe('За эти дни обращений нет.');
    expect(await table(sveta, 'byDay')).toEqual([]);
    expect(pageErrors).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(resolve(ARTIFACTS, 'reports-dashboard.png'), resolve(ROOT, 'docs/screens/reports-dashboard.png'));
  });

  it('refuses a counselor: the refusal, no figures, and the API says 403', async () => {
    const ivan = await signIn('ivan');
    await ivan.waitForSelector('#forbidden');
    expect(await ivan.innerText('#forbidden')).toContain('только супервизорам и администраторам');
    expect(await ivan.locator('#app').count()).toBe(0);
    expect(await ivan.evaluate(async () => (await fetch('/api/reports/summary?from=2026-03-01&to=2026-03-31')).status)).toBe(403);
    expect(await ivan.evaluate(async () => (await fetch('/api/reports/chi.csv?year=2026')).status)).toBe(403);
    expect(pageErrors).toEqual([]);
  });
});
