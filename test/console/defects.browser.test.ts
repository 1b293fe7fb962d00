// Issue 14's console defects in real Chromium, each with the test that failed before its fix:
// an urgent child already waiting at sign-in raises the banner and counts in the tab title, with
// the sound on by default (2); a transfer alerts its receiver with who and why and opens the chat
// (4); after kill -9 and a restart the console is live again within seconds and says plainly that
// the chat went back to the queue meanwhile (1).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/child-page.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { Instance, StaffClient as RemoteStaff } from '../helpers/instance.js';
import { conversationOfSoon } from '../helpers/webchat.js';
import { PASSWORD, StaffClient, admin, start, webChild } from './helpers.js';

const HIGH = 'хочу покончить с собой';
const SCREENS = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screens');
let browser: Browser;
const contexts: BrowserContext[] = [];

async function page(): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
  contexts.push(ctx);
  const p = await ctx.newPage();
  p.setDefaultTimeout(15_000);
  return p;
}

async function signIn(p: Page, base: string, username: string, password = PASSWORD): Promise<void> {
  await p.goto(`${base}/console`);
  await p.fill('#login-username', username);
  await p.fill('#login-password', password);
  await p.click('#login-submit');
  await p.waitForSelector('#app:not([hidden])');
}

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

describe('console defects (one instance)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await start();
    const boss = await admin(app);
    for (const name of ['anna', 'boris', 'vika']) {
      const r = await boss.post('/api/accounts', { username: name, password: PASSWORD, role: 'counselor' });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
    }
  });
  afterAll(() => app?.close());

  it('an urgent child already waiting raises the banner at sign-in; the tab counts them; sound is on by default', async () => {
    const child = await webChild(app, HIGH);
    const anna = await page();
    await signIn(anna, app.url, 'anna');
    await anna.waitForSelector('#alert:not([hidden])');
    expect(await anna.getAttribute('#alert', 'data-id')).toBe(child.id);
    await expect.poll(() => anna.title()).toMatch(/^\(1\) /);
    expect(await anna.isChecked('#sound')).toBe(true);
    // Turned off, it stays off for this counselor after a reload.
    await anna.uncheck('#sound');
    await anna.reload();
    await anna.waitForSelector('#app:not([hidden])');
    expect(await anna.isChecked('#sound')).toBe(false);
    // A reload is a reconnect: the child still waiting raises the banner again.
    await anna.waitForSelector('#alert:not([hidden])');
    child.socket.close();
  });

  it('the Russian console shows no Latin-script words beyond names and codes (sign-in, queue, chat, close and password dialogs)', async () => {
    // Usernames, channel ids and language codes are data, not words.
    const allowed = new Set(['vika', 'boris', 'admin', 'webchat', 'telegram', 'botframework', 'vk', 'max', 'ru', 'en']);
    const latin = async (p: Page) => [...new Set((await p.evaluate(() => document.body.innerText)).match(/[A-Za-z][A-Za-z_-]+/g) ?? [])].filter((w) => !allowed.has(w));
    const vika = await page();
    await vika.goto(`${app.url}/console`);
    await vika.fill('#login-username', 'vika');
    await vika.fill('#login-password', 'not-her-password');
    await vika.click('#login-submit');
    await vika.waitForSelector('#login-error:not([hidden])');
    expect(await latin(vika)).toEqual([]);
    const child = await webChild(app, HIGH);
    await signIn(vika, app.url, 'vika');
    // The server's refusals come in English ({error, code}); the console says them in its own words.
    // 409: the chat Vika has open is taken by Boris meanwhile.
    const other = await webChild(app, HIGH);
    await vika.click(`#queue li[data-id="${other.id}"]`);
    await vika.waitForSelector('#chat:not([hidden])');
    const boris = new StaffClient(app);
    expect((await boris.login('boris', PASSWORD)).status).toBe(200);
    expect((await boris.post(`/api/conversations/${other.id}/claim`)).status).toBe(200);
    await expect.poll(() => vika.textContent('#chat-state')).toContain('boris');
    await vika.click('#claim');
    await expect.poll(() => vika.textContent('#chat-notice')).toBe('Конфликт (409): Этот разговор уже взял другой консультант.');
    expect(await latin(vika)).toEqual([]);
    // 403: the real server refusing a claim sent without the CSRF token.
    const claims = '**/api/conversations/*/claim';
    await vika.route(claims, (r) => {
      const headers = { ...r.request().headers() };
      delete headers['x-csrf-token'];
      return r.continue({ headers });
    });
    await vika.click(`#queue li[data-id="${child.id}"]`);
    await expect.poll(() => vika.textContent('#chat-state')).toBe('Ждёт в очереди');
    await vika.click('#claim');
    await expect.poll(() => vika.textContent('#chat-notice')).toBe('Страница устарела: обновите её и повторите');
    expect(await latin(vika)).toEqual([]);
    // A status and code the console has no words for: a generic line with the status, not the English.
    await vika.unroute(claims);
    await vika.route(claims, (r) => r.fulfill({ status: 418, contentType: 'application/json', body: JSON.stringify({ error: 'I am a teapot', code: 'teapot' }) }));
    await vika.click('#claim');
    await expect.poll(() => vika.textContent('#chat-notice')).toBe('Не получилось (ошибка сервера 418)');
    expect(await latin(vika)).toEqual([]);
    await vika.unroute(claims);
    await vika.click('#claim');
    await vika.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    await vika.waitForSelector('#transcript .entry.from-system');
    expect(await latin(vika)).toEqual([]);
    // The close dialog: CHI categories, their subcategories, call types and the screener, in words.
    await vika.click('#close');
    await vika.waitForSelector('#close-dialog[open]');
    await vika.selectOption('#close-category', 'violence');
    await vika.waitForSelector('#close-subs:not([hidden])');
    expect(await vika.textContent('#close-subs-list')).toContain('Травля в школе');
    expect(await vika.isVisible('#close-screener')).toBe(true);
    expect(await latin(vika)).toEqual([]);
    await vika.click('#close-cancel');
    // Staff change their own password in the page; a wrong current one is refused in words.
    await vika.click('#password-button');
    await vika.fill('#password-current', 'wrong-current-password');
    await vika.fill('#password-next', 'a-new-password-2');
    await vika.click('#password-submit');
    await expect.poll(() => vika.textContent('#password-error')).toBe('Текущий пароль неверен');
    expect(await latin(vika)).toEqual([]);
    await vika.fill('#password-current', PASSWORD);
    await vika.click('#password-submit');
    await vika.waitForSelector('#password-dialog', { state: 'hidden' });
    const again = await page();
    await signIn(again, app.url, 'vika', 'a-new-password-2');
    child.socket.close();
    other.socket.close();
  });

  it('tells two identical urgent cards apart: one child online, one whose page is closed, each with their first words', async () => {
    const first = 'мне очень плохо, хочу покончить с собой, мама не знает';
    const second = 'хочу покончить с собой. я в школе в туалете';
    const gone = await webChild(app, first);
    const here = await webChild(app, second);
    const anna = await page();
    await signIn(anna, app.url, 'anna');
    const card = (id: string) => anna.locator(`#queue li[data-id="${id}"]`);
    await expect.poll(() => card(here.id).locator('.presence').textContent()).toBe('на связи');
    gone.socket.close();
    await expect.poll(() => card(gone.id).locator('.presence').textContent(), { timeout: 10_000 }).toMatch(/^не в сети · был\(а\) \d+ мин назад$/);
    expect(await card(gone.id).locator('.preview').textContent()).toBe(`«${first}»`);
    expect(await card(here.id).locator('.preview').textContent()).toBe(`«${second}»`);
    // UPDATE_SCREENSHOTS=1 writes the README's picture again (an ordinary run leaves docs/ alone).
    if (process.env.UPDATE_SCREENSHOTS === '1') await anna.screenshot({ path: resolve(SCREENS, 'console-queue-offline.png') });
    here.socket.close();
  });

  it('a transfer alerts the receiver with who and why, and opens the chat ready', async () => {
    const anna = await page();
    const boris = await page();
    await signIn(anna, app.url, 'anna');
    await signIn(boris, app.url, 'boris');
    const child = await webChild(app, 'меня бьёт отчим каждый день');
    await anna.click(`#queue li[data-id="${child.id}"]`);
    await anna.click('#claim');
    await anna.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    await anna.click('#transfer');
    await anna.selectOption('#transfer-to', 'boris');
    await anna.fill('#transfer-note', 'Моя смена кончается, девочка боится отчима');
    await anna.click('#transfer-submit');

    await boris.waitForSelector('#alert.transfer:not([hidden])');
    const text = await boris.textContent('#alert-text');
    expect(text).toContain('Вам передали разговор от anna');
    expect(text).toContain('девочка боится отчима');
    await boris.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    expect(await boris.textContent('#transcript')).toContain('меня бьёт отчим');
    expect(await boris.isHidden('#chat-notice')).toBe(true);
    child.socket.close();
  });
});

describe('console defects (kill -9 under an open console)', () => {
  const prefix = `defects-${randomUUID()}`;
  const ADMIN_PASSWORD = 'admin-password-defects';
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, ADMIN_PASSWORD, COUNSELOR_GRACE_SECONDS: '2' };
  let a: Instance;
  let b: Instance;
  let lookup: RedisStore;
  beforeAll(async () => {
    // One after the other: two start-ups at once on a busy 2-core machine took over 30 s. Alone
    // here a start-up takes about 5 s; in CI, beside the studio gate's and the triage tests'
    // model trainings, one passed 60 s twice: the model load and tsx starve.
    a = await Instance.start(env, undefined, 120_000);
    b = await Instance.start(env, undefined, 120_000);
    lookup = await RedisStore.connect({ url: env.REDIS_URL, prefix, retention: { botMs: 60_000, handledMs: 60_000 } });
    const boss = new RemoteStaff(a.url);
    await boss.login('admin', ADMIN_PASSWORD);
    expect((await boss.call('POST', '/api/accounts', { username: 'vera', password: PASSWORD, role: 'counselor' })).status).toBe(201);
  }, 270_000);
  afterAll(async () => {
    await lookup?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('is live again within 5 s of /healthz answering and says the chat went back to the queue', { timeout: 90_000 }, async () => {
    const childCtx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    contexts.push(childCtx);
    const child = await childCtx.newPage();
    await child.goto(a.url);
    await child.fill('#text', HIGH);
    await child.press('#text', 'Enter');
    await child.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('8-800-2000-122'));
    const id = await conversationOfSoon(lookup, (await child.evaluate(() => sessionStorage.getItem('hl-session')))!);

    const desk = await page();
    await signIn(desk, b.url, 'vera');
    await desk.click(`#queue li[data-id="${id}"]`);
    await desk.click('#claim');
    await desk.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);

    await b.kill();
    await desk.waitForSelector('#connection:not([hidden])');
    // The other instance returns the chat to the queue once vera's grace (2 s) is over.
    await expect.poll(async () => (await lookup.getConversation(id))?.state, { timeout: 20_000 }).toBe('queued');
    await b.start(60_000);
    const healthyAt = Date.now();
    await desk.waitForSelector('#connection', { state: 'hidden', timeout: 5000 });
    const liveMs = Date.now() - healthyAt;
    await desk.waitForFunction(() => !document.getElementById('chat-notice')!.hidden);
    expect(await desk.textContent('#chat-notice')).toContain('разговор вернулся в очередь');
    await expect.poll(() => desk.isHidden('#claim')).toBe(false);
    console.log(`console live again ${liveMs} ms after /healthz answered 200`);
  });
});
