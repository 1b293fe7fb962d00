// Console v2 in real Chromium: what the typed rebuild added. A frame that does not fit the shared
// schema (src/console/schemas.ts) is dropped and the page goes on; the tab icon counts the urgent
// children waiting; closing a high-risk chat offers a pause that can be skipped; the audit view
// filters by action and person, in words.
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { launchChromium } from '../helpers/child-page.js';
import { ADMIN_PASSWORD, PASSWORD, SCREENED, admin, start, webChild } from './helpers.js';

const HIGH = 'хочу покончить с собой';

describe('console v2 in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function page(): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }
  async function signIn(p: Page, username: string, password = PASSWORD): Promise<void> {
    await p.goto(`${app.url}/console`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', password);
    await p.click('#login-submit');
    await p.waitForSelector('#app:not([hidden])');
  }

  beforeAll(async () => {
    app = await start();
    const boss = await admin(app);
    for (const name of ['anna', 'boris']) {
      const r = await boss.post('/api/accounts', { username: name, password: PASSWORD, role: 'counselor' });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('drops a frame that does not fit the schema and keeps working; the tab icon counts the urgent children waiting', async () => {
    const boris = await page();
    const warnings: string[] = [];
    boris.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    let feed: WebSocketRoute | undefined;
    await boris.routeWebSocket(/\/api\/events$/, (ws) => {
      feed = ws;
      ws.connectToServer();
    });
    await signIn(boris, 'boris');
    await expect.poll(() => !!feed).toBe(true);
    expect(await boris.getAttribute('link[rel="icon"]', 'data-count')).toBe('0');
    // A queue frame with the wrong shape and a frame that is not JSON: logged, ignored.
    feed!.send(JSON.stringify({ type: 'queue', total: 'many', items: [{ id: 1 }] }));
    feed!.send('{not json');
    await expect.poll(() => warnings.filter((w) => w.includes('live feed')).length).toBe(2);
    expect(await boris.isVisible('#queue-empty')).toBe(true);

    // The real feed still works: an urgent child raises the banner, the title and the icon count them.
    const child = await webChild(app, HIGH);
    await boris.waitForSelector('#alert:not([hidden])');
    await expect.poll(() => boris.getAttribute('link[rel="icon"]', 'data-count')).toBe('1');
    expect(await boris.title()).toMatch(/^\(1\) /);
    expect(await boris.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/png;base64,/);
    child.socket.close();
    expect(pageErrors).toEqual([]);
  });

  it('offers a pause after a high-risk chat is closed, which the counselor can skip', async () => {
    const child = await webChild(app, HIGH);
    const anna = await page();
    await signIn(anna, 'anna');
    await anna.click(`#queue li[data-id="${child.id}"]`);
    await anna.click('#claim');
    await anna.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    expect(await anna.isHidden('#cooldown')).toBe(true);
    await anna.click('#close');
    await anna.selectOption('#close-category', 'mental_health');
    await anna.selectOption('#close-outcome', 'supported');
    await anna.check('#close-subs-list input[value="mental_health.suicidal_thoughts"]');
    for (const [q, a] of Object.entries(SCREENED)) await anna.selectOption(`#screener-${q}`, a);
    await anna.click('#close-submit');
    await expect.poll(() => anna.textContent('#chat-state')).toContain('завершён');
    await anna.waitForSelector('#cooldown:not([hidden])');
    expect(await anna.textContent('#cooldown')).toContain('паузу');
    await anna.click('#cooldown-skip');
    await anna.waitForSelector('#cooldown', { state: 'hidden' });
    child.socket.close();
    expect(pageErrors).toEqual([]);
  });

  it('filters the audit log by action and by person, in words', async () => {
    const boss = await page();
    await signIn(boss, 'admin', ADMIN_PASSWORD);
    await boss.click('#admin-button');
    await boss.waitForSelector('#audit li');
    // The action list is in words from locales/, not codes.
    expect(await boss.locator('#audit-action option[value="claim"]').textContent()).toBe('взятие разговора');
    await boss.selectOption('#audit-action', 'claim');
    await boss.click('#audit-filter button[type="submit"]');
    await expect.poll(async () => [...new Set(await boss.locator('#audit li').evaluateAll((l) => l.map((e) => e.getAttribute('data-action'))))]).toEqual(['claim']);
    expect(await boss.textContent('#audit')).toContain('anna — взятие разговора');
    // By person: boris never claimed anything here.
    await boss.selectOption('#audit-by', 'boris');
    await boss.click('#audit-filter button[type="submit"]');
    await expect.poll(() => boss.locator('#audit li').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
