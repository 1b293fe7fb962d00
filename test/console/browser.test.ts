// The console in a real browser (Debian's Chromium through playwright-core), with a child on the
// web chat in a second page.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { conversationOf } from '../helpers/webchat.js';
import { PASSWORD, admin, start } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');
const CRISIS = 'хочу покончить с собой';
const XSS = '<img src=x onerror=alert(1)>';

describe('console in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  async function page(): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    // Any alert() would mean script ran from a message: record it and fail below.
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  async function signIn(p: Page, username: string, password: string): Promise<void> {
    await p.goto(`${app.url}/console`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', password);
    await p.click('#login-submit');
    await p.waitForSelector('#app:not([hidden])');
    await p.waitForSelector('#queue-empty, #queue li', { state: 'attached' });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await start();
    const boss = await admin(app);
    for (const name of ['anna', 'boris']) {
      const r = await boss.post('/api/accounts', { username: name, password: PASSWORD, role: 'counselor' });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
    }
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('alerts within a second, lets one counselor claim and chat, refuses the second, shows markup as text, closes with a category', async () => {
    const anna = await page();
    const boris = await page();
    const child = await page();

    // A wrong password is refused on the page.
    await anna.goto(`${app.url}/console`);
    await anna.fill('#login-username', 'anna');
    await anna.fill('#login-password', 'wrong-password');
    await anna.click('#login-submit');
    await expect.poll(() => anna.textContent('#login-error')).toContain('Неверное имя пользователя или пароль');

    await signIn(anna, 'anna', PASSWORD);
    await signIn(boris, 'boris', PASSWORD);
    await anna.check('#available');
    await expect.poll(async () => (await app.store.listPresent()).includes('anna')).toBe(true);

    // Clocks on both pages are the browser's: stamp the key press and the alert becoming visible.
    await anna.evaluate(() => {
      const box = document.getElementById('alert')!;
      new MutationObserver(() => {
        if (!box.hidden && !(window as unknown as { shownAt?: number }).shownAt) (window as unknown as { shownAt?: number }).shownAt = Date.now();
      }).observe(box, { attributes: true });
    });
    await child.goto(`${app.url}/`);
    await child.waitForFunction(() => !!sessionStorage.getItem('hl-session'));
    await child.fill('#text', CRISIS);
    const typedAt = Date.now();
    const sentAt = await child.evaluate(() => Date.now());
    await child.press('#text', 'Enter');
    await anna.waitForSelector('#alert:not([hidden])', { timeout: 5000 });
    const shownAt = await anna.evaluate(() => (window as unknown as { shownAt: number }).shownAt);
    expect(shownAt - sentAt, 'crisis message to visible alert (ms)').toBeLessThan(1000);
    expect(await anna.textContent('#alert-text')).toContain('СРОЧНО');
    expect(await anna.getAttribute('#alert', 'class')).toContain('high');
    await expect.poll(() => anna.locator('#queue li.risk-high').count()).toBeGreaterThan(0);
    await anna.screenshot({ path: resolve(ARTIFACTS, 'console-alert.png') });
    // The child got the numbers at once.
    await expect.poll(() => child.locator('.msg.bot').allTextContents()).toContainEqual(expect.stringContaining('8-800-2000-122'));

    // Boris opens the waiting child from the queue; Anna opens it from the alert and claims it.
    await boris.click('#queue li.risk-high');
    await boris.waitForSelector('#chat:not([hidden])');
    await anna.click('#alert-open');
    await anna.waitForSelector('#chat:not([hidden])');
    expect(await anna.textContent('#transcript')).toContain(CRISIS);
    // The triage of the child's message: topic, risk and why.
    expect(await anna.textContent('#transcript .triage')).toContain('суицид');
    expect(await anna.textContent('#transcript .triage .reasons')).toContain('поконч');
    // In a counselor's words; the classifier's lines stay behind "подробнее".
    expect(await anna.textContent('#transcript .triage .reasons')).toMatch(/^почему: фраза «[^»]+» — признак риска: высокий/);
    expect(await anna.textContent('#transcript .triage .reasons')).not.toMatch(/phrase:|model:|topic:/);
    expect(await anna.isVisible('#transcript .triage .raw-reasons')).toBe(false);
    await anna.click('#claim');
    await anna.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    await expect.poll(() => anna.isHidden('#alert')).toBe(true);

    // "Triage was wrong" on the child's message: the right levels reach the editors' list.
    await anna.click('#transcript .entry.from-child .wrong-triage');
    await anna.selectOption('#transcript .entry.from-child .fix-risk', 'medium');
    await anna.click('#transcript .entry.from-child .save-correction');
    await expect.poll(() => anna.textContent('#transcript .entry.from-child .corrected')).toContain('средний');
    const corrections = (await (await admin(app)).get('/api/corrections')).body as { text: string; risk: string; topic: string; by: string }[];
    expect(corrections).toContainEqual(expect.objectContaining({ text: CRISIS, risk: 'medium', topic: 'suicide', by: 'anna' }));

    // Boris's claim of the same chat is refused, and he is told why.
    await expect.poll(() => boris.textContent('#chat-state')).toContain('anna');
    await boris.click('#claim');
    await boris.waitForSelector('#chat-notice:not([hidden])');
    const refusal = await boris.textContent('#chat-notice');
    expect(refusal).toContain('409');
    expect(refusal).toContain('уже взял другой консультант');
    await boris.screenshot({ path: resolve(ARTIFACTS, 'console-409.png') });

    // Messages both ways, with typing shown both ways.
    await anna.fill('#reply', 'Привет! Я консультант, я рядом. Ты сейчас в безопасности?');
    await child.waitForSelector('#typing:not([hidden])');
    await anna.press('#reply', 'Enter');
    await expect.poll(() => child.locator('.msg.counselor').allTextContents()).toContain('Привет! Я консультант, я рядом. Ты сейчас в безопасности?');
    // The web chat sends a typing signal at most every 3 s.
    await child.waitForTimeout(Math.max(0, 3100 - (Date.now() - typedAt)));
    await child.type('#text', 'да, я дома', { delay: 20 });
    await anna.waitForSelector('#child-typing:not([hidden])');
    await child.press('#text', 'Enter');
    await expect.poll(() => anna.locator('.entry.from-child .text').allTextContents()).toContain('да, я дома');

    // Canned reply from the locale file into the reply box.
    const cannedValue = await anna.locator('#canned option').nth(1).getAttribute('value');
    await anna.selectOption('#canned', cannedValue!);
    expect(await anna.inputValue('#reply')).toBe(cannedValue);
    await anna.fill('#reply', '');

    // A private note stays with staff.
    await anna.fill('#note', 'дома, взрослых рядом нет');
    await anna.click('#note-form button');
    await expect.poll(() => anna.locator('.entry.from-note .text').allTextContents()).toContain('дома, взрослых рядом нет');

    // Markup from a child is text: shown literally, nothing runs, no element is made.
    await child.fill('#text', XSS);
    await child.press('#text', 'Enter');
    await expect.poll(() => anna.locator('.entry.from-child .text').allTextContents()).toContain(XSS);
    expect(await anna.locator('#transcript img').count()).toBe(0);
    expect(await anna.locator('main img, aside img').count()).toBe(0);
    expect(await child.locator('#log img').count()).toBe(0);
    await anna.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await child.textContent('#log')).not.toContain('взрослых рядом нет');
    await anna.evaluate(() => (document.getElementById('toast')!.hidden = true));
    await anna.screenshot({ path: resolve(ARTIFACTS, 'console-chat.png') });
    // The README's screenshot is refreshed on request only: a test run leaves tracked files alone.
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(resolve(ROOT, 'docs'), { recursive: true });
      copyFileSync(resolve(ARTIFACTS, 'console-chat.png'), resolve(ROOT, 'docs/console.png'));
    }

    // Close with a CHI category and an outcome; the child gets the closing words and the feedback question.
    // A high suicide chat closes only with the risk screener: the dialog asks it, in order.
    await anna.click('#close');
    await anna.selectOption('#close-category', 'mental_health');
    await anna.selectOption('#close-outcome', 'supported');
    await anna.check('#close-subs-list input[value="mental_health.suicidal_thoughts"]');
    expect(await anna.textContent('#close-subs-list')).toContain('Суицидальные мысли');
    await anna.waitForSelector('#close-screener:not([hidden])');
    expect(await anna.locator('#screener-questions select').count()).toBe(7);
    await anna.click('#close-submit');
    // Unanswered, the browser keeps the dialog open (required answers).
    expect(await anna.isVisible('#close-dialog')).toBe(true);
    for (const q of ['wishDead', 'thoughts']) await anna.selectOption(`#screener-${q}`, 'yes');
    for (const q of ['method', 'intent', 'plan', 'behaviour']) await anna.selectOption(`#screener-${q}`, 'no');
    await anna.selectOption('#screener-timeFrame', 'today');
    await anna.click('#close-submit');
    await expect.poll(() => anna.textContent('#chat-state')).toContain('завершён');
    await expect.poll(() => child.locator('.msg.bot').allTextContents()).toContainEqual(expect.stringContaining('Береги себя'));
    await expect.poll(() => child.locator('#buttons button').allTextContents()).toContainEqual(expect.stringContaining('Разговор помог'));
    const secret = await child.evaluate(() => sessionStorage.getItem('hl-session'));
    const conv = await app.store.getConversation((await conversationOf(app, secret!))!);
    expect(conv).toMatchObject({ state: 'closed' });
    expect(JSON.stringify(conv)).toContain('"timeFrame":"today"');
    expect(JSON.stringify(conv)).toContain('mental_health.suicidal_thoughts');
    await child.screenshot({ path: resolve(ARTIFACTS, 'webchat-child.png') });

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
