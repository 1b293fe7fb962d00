// The child's side in the web chat, in Chromium at phone size (issue 13, items 3, 4, 7, 8 and
// 12; the same items on Telegram and Bot Framework are in test/*/child-side.test.ts): queued at
// once with the questions while waiting, closed hours said with the next opening, a silent bot
// beside a counselor, a hand-over that does not sound like abandonment, one answer per service
// question.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { StaffClient } from '../helpers/instance.js';
import { bubbles, childPage, launchChromium, say } from '../helpers/child-page.js';
import { conversationOfSoon } from '../helpers/webchat.js';

const ADMIN_PASSWORD = 'admin-password-honest';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const base = { PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', ADMIN_PASSWORD, PASSWORD_SCRYPT_LOG2N: '14' };
let open: RunningApp;
let closed: RunningApp;
let browser: Browser;
let staff: StaffClient;
/** Three days from today (UTC, the default time zone is Moscow: still that weekday at 09:00). */
const closedDay = DAYS[(new Date().getUTCDay() + 3) % 7]!;

beforeAll(async () => {
  [open, closed] = await Promise.all([startApp(base), startApp({ ...base, OPENING_HOURS: `${closedDay} 09:00-18:00`, OPENING_TIMEZONE: 'UTC' })]);
  browser = await launchChromium();
  const admin = new StaffClient(open.url);
  await admin.login('admin', ADMIN_PASSWORD);
  expect((await admin.call('POST', '/api/accounts', { username: 'rita', password: 'rita-password-honest', role: 'counselor' })).status).toBe(201);
  staff = new StaffClient(open.url);
  await staff.login('rita', 'rita-password-honest');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([open?.close(), closed?.close()]);
});

const ru = (app: RunningApp, id: string, args?: Record<string, string | number>) => app.content.current.i18n.t('ru', id, args);
const secretOf = async (page: Page) => (await page.evaluate(() => sessionStorage.getItem('hl-session')))!;
const botCount = (page: Page) => page.$$eval('#log .msg.bot', (els) => els.length);
const settled = (page: Page) => page.waitForFunction(() => document.querySelectorAll('#log .msg.child.pending').length === 0);
const buttonValues = (page: Page) => page.$$eval('#buttons button', (els) => els.map((e) => (e as HTMLElement).dataset.value ?? ''));
async function pressAndWait(page: Page, value: string): Promise<void> {
  const before = await botCount(page);
  await page.click(`#buttons button[data-value="${value}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
}
async function sayAndWait(page: Page, text: string): Promise<void> {
  const before = await botCount(page);
  await say(page, text);
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
}

describe('asking for a counselor (item 3)', () => {
  it('queues at once; the questions come while waiting and go onto the queue card', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, open.url);
    await page.waitForFunction(() => document.querySelectorAll('#buttons button').length > 0);
    await pressAndWait(page, 'action:counselor');
    await page.waitForSelector('#queue:not([hidden])');
    const id = await conversationOfSoon(open, await secretOf(page));
    // In the queue before any answer.
    expect((await open.store.getConversation(id))?.state).toBe('queued');
    await page.waitForSelector('#buttons button[data-value^="pre_age:"]');
    expect((await bubbles(page, 'bot')).join('\n')).toContain(ru(open, 'prequeue-age'));
    const age = (await buttonValues(page)).find((v) => v.startsWith('pre_age:') && !v.endsWith(':skip'))!;
    await pressAndWait(page, age);
    const card = ((await staff.call('GET', '/api/queue')).json as { id: string; ageGroup?: string }[]).find((q) => q.id === id);
    expect(card?.ageGroup).toBe(age.split(':')[1]);
    await page.context().close();
  });
});

describe('outside the chat hours (item 4)', () => {
  it('the crisis numbers first, then "closed" with the next opening in words, the 24/7 phone and where the answer comes', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, closed.url);
    await say(page, 'хочу покончить с собой');
    await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length >= n, 3);
    await settled(page);
    const said = await bubbles(page, 'bot');
    const crisis = said.findIndex((b) => b.includes('112'));
    const hours = said.findIndex((b) => b.includes('чат с консультантами закрыт'));
    expect(crisis).toBeGreaterThanOrEqual(0);
    expect(hours).toBeGreaterThan(crisis);
    expect(said[hours]).toContain(ru(closed, 'chat-closed', { day: closedDay, time: '9:00', channel: 'webchat' }).split('\n')[0]!);
    expect(said[hours]).toContain('8-800-2000-122');
    expect(said[hours]).toContain('Ответ придёт в эту вкладку');
    // No promise that a counselor will write soon.
    expect(said.join('\n')).not.toContain('скоро напишет');
    await page.context().close();
  });
});

describe('with a counselor in the chat (items 7 and 8)', () => {
  it('the bot says nothing to an imminent message; a transfer is told as a hand-over, not a disconnect', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, open.url);
    await page.waitForFunction(() => document.querySelectorAll('#buttons button').length > 0);
    await pressAndWait(page, 'action:counselor');
    const id = await conversationOfSoon(open, await secretOf(page));
    expect((await staff.call('POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    expect((await staff.call('POST', `/api/conversations/${id}/messages`, { text: 'Привет, я консультант, я здесь' })).status).toBeLessThan(300);
    await page.waitForSelector('#log .msg.counselor');
    const bots = await botCount(page);
    await say(page, 'я прямо сейчас стою на крыше и прыгну');
    // Acknowledged (stored and answered through policy): whatever the bot would say is sent before that.
    await settled(page);
    expect(await botCount(page)).toBe(bots);
    expect((await open.store.getConversation(id))?.risk).toBe('imminent');

    expect((await staff.call('POST', `/api/conversations/${id}/transfer`, { to: 'queue' })).status).toBe(200);
    await page.waitForFunction((t) => [...document.querySelectorAll('#log .msg')].some((e) => e.textContent?.includes(t)), ru(open, 'counselor-handover').slice(0, 30));
    const log = (await page.textContent('#log'))!;
    expect(log).toContain('Тебя передают другому консультанту');
    expect(log).not.toContain(ru(open, 'counselor-left'));
    await page.context().close();
  });
});

describe('service questions (item 12)', () => {
  it('"это анонимно?", "во сколько вы работаете", "какой телефон": one answer each, then the menu', { timeout: 40_000 }, async () => {
    for (const [question, answer] of [
      ['это анонимно?', 'privacy-details'],
      ['во сколько вы работаете', 'service-hours'],
      ['какой телефон', 'helpline-info'],
    ] as const) {
      const page = await childPage(browser, open.url);
      await page.waitForFunction(() => document.querySelectorAll('#log .msg.bot').length > 0);
      await sayAndWait(page, question);
      await settled(page);
      const said = await bubbles(page, 'bot');
      expect(said.at(-1), question).toBe(ru(open, answer));
      expect(await buttonValues(page), question).toContain('action:counselor');
      await page.context().close();
    }
  });
});
