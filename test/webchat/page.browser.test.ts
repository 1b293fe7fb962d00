// The child's web chat page (issue 13, items 9, 10, 11, 13, 14, 15 and the page side of 1, 5, 6), in
// real Chromium at phone size, against the real app (memory store) and a real counselor account.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { WEBCHAT_PAGE_MESSAGES } from '../../src/core/page-messages.js';
import { StaffClient } from '../helpers/instance.js';
import { bubbles, childPage, launchChromium, PHONES, say } from '../helpers/child-page.js';
import { conversationOfSoon } from '../helpers/webchat.js';

const ADMIN_PASSWORD = 'admin-password-page';
let app: RunningApp;
let browser: Browser;
let neutral: Server;
let exitUrl: string;
let staff: StaffClient;

beforeAll(async () => {
  // Where quick exit goes: a page of our own, so the test sees the browser arrive there.
  neutral = createServer((_req, res) => res.end('<!doctype html><title>search</title>neutral'));
  await new Promise<void>((r) => neutral.listen(0, '127.0.0.1', r));
  exitUrl = `http://127.0.0.1:${(neutral.address() as AddressInfo).port}/search`;
  app = await startApp({
    PORT: '0',
    LOG_LEVEL: 'silent',
    RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '',
    ADMIN_PASSWORD,
    PASSWORD_SCRYPT_LOG2N: '14',
    QUICK_EXIT_URL: exitUrl,
  });
  browser = await launchChromium();
  const admin = new StaffClient(app.url);
  await admin.login('admin', ADMIN_PASSWORD);
  expect((await admin.call('POST', '/api/accounts', { username: 'olga', password: 'olga-password-page', role: 'counselor' })).status).toBe(201);
  staff = new StaffClient(app.url);
  await staff.login('olga', 'olga-password-page');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((r) => neutral?.close(r));
});

const i18n = () => app.content.current.i18n;
const secretOf = async (page: Page) => (await page.evaluate(() => sessionStorage.getItem('hl-session')))!;
const buttonValues = (page: Page) => page.$$eval('#buttons button', (els) => els.map((e) => (e as HTMLElement).dataset.value ?? ''));
const press = (page: Page, value: string) => page.click(`#buttons button[data-value="${value}"]`);
const botCount = (page: Page) => page.$$eval('#log .msg.bot', (els) => els.length);
async function pressAndWait(page: Page, value: string): Promise<void> {
  const before = await botCount(page);
  await press(page, value);
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
}
async function sayAndWait(page: Page, text: string): Promise<void> {
  const before = await botCount(page);
  await say(page, text);
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
}

describe('the page’s words come from locales/ and configuration (item 15)', () => {
  it('shows the header and composer in Russian from ru.ftl, lists the locales present, and quick exit goes to QUICK_EXIT_URL', async () => {
    const page = await childPage(browser, app.url);
    await page.waitForFunction(() => document.title !== '');
    expect(await page.title()).toBe(i18n().t('ru', 'webchat-title'));
    expect(await page.textContent('.bar .sub')).toBe(i18n().t('ru', 'webchat-subtitle'));
    expect(await page.textContent('#send')).toBe(i18n().t('ru', 'webchat-send'));
    expect(await page.getAttribute('#text', 'placeholder')).toBe(i18n().t('ru', 'webchat-placeholder'));
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    // The header's number is tappable.
    expect(await page.getAttribute('.bar .sub a.tel', 'href')).toBe('tel:88002000122');
    const options = await page.$$eval('#lang option', (els) => els.map((e) => [(e as HTMLOptionElement).value, e.textContent]));
    expect(options).toEqual(i18n().locales.map((l) => [l, i18n().t(l, 'lang-name')]));

    await say(page, 'привет');
    await page.waitForSelector('#log .msg.bot');
    await page.click('#exit');
    await page.waitForURL(exitUrl);
    // Nothing of the chat is left in the tab, and Back does not return to it.
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  it('speaks English to an English browser, and switches words when the child picks a language', async () => {
    const page = await childPage(browser, app.url, { locale: 'en-US' });
    await page.waitForFunction(() => document.title !== '');
    expect(await page.textContent('#exit')).toBe(i18n().t('en', 'webchat-exit'));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.selectOption('#lang', 'ru');
    await page.waitForFunction((w) => document.querySelector('#send')!.textContent === w, i18n().t('ru', 'webchat-send'));
    expect(await page.textContent('#exit')).toBe(i18n().t('ru', 'webchat-exit'));
    await page.context().close();
  });

  it('the built page holds no words of its own and no inline script; CSP keeps script-src self', async () => {
    const res = await fetch(app.url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const body = html.slice(html.indexOf('<body'));
    // Every visible word would sit between tags: there is none (comments aside).
    const text = body.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '').trim();
    expect(text).toBe('');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const id of WEBCHAT_PAGE_MESSAGES) expect(i18n().hasMessage('ru', id) && i18n().hasMessage('en', id)).toBe(true);
  });
});

describe('the chat opens with the greeting, what is kept and the menu (items 1 and 2)', () => {
  it('before the child types anything: one greeting with the retention notice and the menu; "more" explains; a reload does not add a second', async () => {
    const page = await childPage(browser, app.url);
    await page.waitForSelector('#log .msg.bot');
    expect(await bubbles(page, 'bot')).toEqual([i18n().t('ru', 'greeting')]);
    expect(await bubbles(page, 'child')).toEqual([]);
    expect(await buttonValues(page)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
    await page.reload();
    await page.waitForSelector('#log .msg.bot');
    await page.waitForTimeout(300);
    expect(await bubbles(page, 'bot')).toEqual([i18n().t('ru', 'greeting')]);
    await pressAndWait(page, 'action:privacy');
    expect((await bubbles(page, 'bot')).at(-1)).toBe(i18n().t('ru', 'privacy-details'));
    // The greeting is the conversation's first line: after a reload it is still there, once.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#log .msg.bot').length >= 2);
    expect(await bubbles(page, 'bot')).toEqual([i18n().t('ru', 'greeting'), i18n().t('ru', 'privacy-details')]);
    await page.context().close();
  });
});

describe('phone numbers are tel: links, and nothing shown is HTML (item 11)', () => {
  it('the crisis answer links the helpline and 112; a counselor’s markup shows as text, with its number linked', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, app.url);
    await say(page, 'хочу покончить с собой');
    await page.waitForSelector('#log .msg.bot a.tel[href="tel:88002000122"]');
    expect(await page.$$eval('#log .msg.bot a.tel', (els) => els.map((e) => e.getAttribute('href')))).toContain('tel:112');
    // The words are unchanged: the links are the numbers as written.
    expect((await bubbles(page, 'bot')).join('\n')).toContain('8-800-2000-122');

    const id = await conversationOfSoon(app, await secretOf(page));
    expect((await staff.call('POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    const markup = '<img src=x onerror="document.title=\'owned\'"><b>жирный</b> звони 8 (800) 2000-122';
    expect((await staff.call('POST', `/api/conversations/${id}/messages`, { text: markup })).status).toBeLessThan(300);
    await page.waitForSelector('#log .msg.counselor');
    expect(await page.$$('#log img, #log b')).toHaveLength(0);
    expect((await bubbles(page, 'counselor'))[0]).toBe(markup);
    expect(await page.getAttribute('#log .msg.counselor a.tel', 'href')).toBe('tel:88002000122');
    expect(await page.title()).not.toBe('owned');
    await page.context().close();
  });
});

describe('resume, and messages the server refused (item 9)', () => {
  it('after a reload the child’s presses read as the labels pressed and the last buttons come back', async () => {
    const page = await childPage(browser, app.url);
    await sayAndWait(page, 'привет');
    await pressAndWait(page, 'goto:selfhelp_menu');
    const before = await buttonValues(page);
    expect(before.length).toBeGreaterThan(2);
    await page.reload();
    await page.waitForSelector('#log .msg.bot');
    await page.waitForFunction(() => document.querySelectorAll('#buttons button').length > 0);
    expect(await bubbles(page, 'child')).toEqual(['привет', i18n().t('ru', 'btn-selfhelp')]);
    expect((await page.textContent('#log'))!).not.toMatch(/\[[a-z_]+:[^\]]*\]/);
    expect(await buttonValues(page)).toEqual(before);
    await page.context().close();
  });

  it('a new tab of the same browser starts its own chat (the chat lives in its tab, for shared phones)', async () => {
    const page = await childPage(browser, app.url);
    await sayAndWait(page, 'привет');
    const other = await page.context().newPage();
    await other.goto(app.url);
    await other.waitForFunction(() => sessionStorage.getItem('hl-session') !== null);
    expect(await secretOf(other)).not.toBe(await secretOf(page));
    expect(await bubbles(other, 'child')).toEqual([]);
    await page.context().close();
  });

  it('a message refused by the rate limit is shown as not sent, and goes once its retry is pressed', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, app.url);
    await sayAndWait(page, 'привет');
    // Twelve at once: the socket's burst is 8, so some are refused.
    await page.evaluate(() => {
      const input = document.querySelector<HTMLTextAreaElement>('#text')!;
      for (let i = 1; i <= 12; i++) {
        input.value = `сообщение ${i}`;
        document.querySelector<HTMLFormElement>('#form')!.requestSubmit();
      }
    });
    await page.waitForSelector('#log .msg.child.failed .retry');
    // Nothing stays "pending" for ever: each is either acknowledged or marked as not sent.
    await page.waitForFunction(() => document.querySelectorAll('#log .msg.child.pending').length === 0);
    const failed = await page.$$eval('#log .msg.child.failed .text', (els) => els.map((e) => e.textContent ?? ''));
    expect(failed.length).toBeGreaterThan(0);
    expect(await page.textContent('#log .msg.child.failed .note')).toContain(i18n().t('ru', 'webchat-not-sent'));
    const id = await conversationOfSoon(app, await secretOf(page));
    const stored = async () => (await app.store.getTranscript(id)).filter((e) => e.from === 'child').map((e) => e.text);
    expect(await stored()).not.toContain(failed[0]);

    // The bucket refills at 2 a second: after a pause the retry goes through.
    await page.waitForTimeout(1500);
    await page.click('#log .msg.child.failed .retry >> nth=0');
    await page.waitForFunction((t) => [...document.querySelectorAll('#log .msg.child')].some((e) => e.querySelector('.text')!.textContent === t && !e.classList.contains('failed') && !e.classList.contains('pending')), failed[0]);
    expect((await stored()).filter((t) => t === failed[0])).toHaveLength(1);
    await page.context().close();
  });
});

/** The newest message lies wholly inside the log's visible part, above the buttons and inside the viewport. */
async function newestInSight(page: Page): Promise<void> {
  const g = await page.evaluate(() => {
    const rect = (el: Element) => el.getBoundingClientRect();
    const last = [...document.querySelectorAll('#log .msg')].pop()!;
    const buttons = document.querySelector('#buttons')!;
    return { last: rect(last), log: rect(document.querySelector('#log')!), buttons: rect(buttons), hasButtons: buttons.children.length > 0, vh: window.innerHeight, vw: window.innerWidth };
  });
  expect(g.last.height).toBeGreaterThan(0);
  expect(g.last.top).toBeGreaterThanOrEqual(g.log.top - 0.5);
  expect(g.last.bottom).toBeLessThanOrEqual(g.log.bottom + 0.5);
  if (g.hasButtons) expect(g.last.bottom).toBeLessThanOrEqual(g.buttons.top + 0.5);
  expect(g.last.bottom).toBeLessThanOrEqual(g.vh);
  expect(g.last.right).toBeLessThanOrEqual(g.vw);
}

describe('the newest message is always in sight above the quick replies (item 10)', () => {
  for (const [name, viewport] of Object.entries(PHONES)) {
    it(`at ${viewport.width}×${viewport.height}: through self-help, the breathing exercise and the age question`, { timeout: 40_000 }, async () => {
      const page = await childPage(browser, app.url, { viewport });
      await sayAndWait(page, 'привет');
      await newestInSight(page);
      for (const value of ['goto:selfhelp_menu', 'goto:selfhelp_anxiety', 'goto:breathing']) {
        await pressAndWait(page, value);
        // The buttons arrive with the message; give the layout its frame before measuring.
        await page.evaluate(() => new Promise(requestAnimationFrame));
        await newestInSight(page);
      }
      // "Still bad" calls a counselor: the age question (many buttons) or the queue bar follows.
      await pressAndWait(page, 'action:counselor');
      await page.evaluate(() => new Promise(requestAnimationFrame));
      await newestInSight(page);
      await page.screenshot({ path: `test-artifacts/webchat-${name}-${viewport.width}x${viewport.height}.png` });
      await page.context().close();
    });
  }
});

describe('waiting for a counselor (page side of items 5 and 6)', () => {
  it('the queue bar and its leave button stay while waiting, and go when a counselor joins; none after the close', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, app.url);
    await say(page, 'хочу покончить с собой');
    await page.waitForSelector('#queue:not([hidden]) #leave');
    expect(await page.textContent('#leave')).toBe(i18n().t('ru', 'btn-leave-queue'));
    // A follow-up while waiting (the child writes more; the bot may answer): the leave button stays.
    await say(page, 'мне очень плохо');
    await page.waitForFunction(() => document.querySelectorAll('#log .msg.child:not(.pending)').length >= 2);
    expect(await page.isVisible('#queue #leave')).toBe(true);
    // After a reload too: the session frame says the child waits.
    await page.reload();
    await page.waitForSelector('#queue:not([hidden]) #leave');

    const id = await conversationOfSoon(app, await secretOf(page));
    expect((await staff.call('POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    await page.waitForSelector('#queue', { state: 'hidden' });
    expect((await staff.call('POST', `/api/conversations/${id}/messages`, { text: 'Привет, я здесь' })).status).toBeLessThan(300);
    await page.waitForSelector('#log .msg.counselor');
    expect(await page.isHidden('#queue')).toBe(true);
    expect((await staff.call('POST', `/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported' })).status).toBe(200);
    await page.waitForFunction(() => document.querySelectorAll('#buttons button').length > 0);
    expect(await page.isHidden('#queue')).toBe(true);
    await page.context().close();
  });

  it('the leave button takes the child out of the queue, and the bar goes', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, app.url);
    await say(page, 'хочу покончить с собой');
    await page.waitForSelector('#queue:not([hidden]) #leave');
    await page.click('#leave');
    await page.waitForSelector('#queue', { state: 'hidden' });
    const id = await conversationOfSoon(app, await secretOf(page));
    expect((await app.store.getConversation(id))?.state).toBe('bot');
    expect(await bubbles(page, 'child')).toContain(i18n().t('ru', 'btn-leave-queue'));
    await page.context().close();
  });
});

describe('the place in the queue follows the server (page side of item 6)', () => {
  it('the bar shows the newest queue frame: a child behind another moves up when that one leaves', { timeout: 40_000 }, async () => {
    const first = await childPage(browser, app.url);
    await say(first, 'хочу покончить с собой');
    await first.waitForSelector('#queue:not([hidden])');

    const second = await childPage(browser, app.url);
    const frames: { position: number; text: string }[] = [];
    second.on('websocket', (ws) =>
      ws.on('framereceived', (f) => {
        const m = JSON.parse(String(f.payload)) as { type: string; position: number; text: string };
        if (m.type === 'queue') frames.push(m);
      }),
    );
    await second.reload();
    await say(second, 'хочу покончить с собой');
    await second.waitForSelector('#queue:not([hidden])');
    await expect.poll(() => frames.length).toBeGreaterThan(0);
    const behind = frames.at(-1)!;
    expect(behind.position).toBeGreaterThan(1);
    expect(await second.textContent('#queue-text')).toBe(behind.text);

    // The first leaves; the waiting room's next pass tells the second its new place.
    await first.click('#leave');
    await first.waitForSelector('#queue', { state: 'hidden' });
    await expect.poll(() => frames.at(-1)!.position, { timeout: 20_000 }).toBe(behind.position - 1);
    await second.waitForFunction((t) => document.querySelector('#queue-text')!.textContent === t, frames.at(-1)!.text);
    expect(frames.at(-1)!.text).not.toBe(behind.text);
    await first.context().close();
    await second.context().close();
  });
});

describe('wording and the closing question (items 13 and 14)', () => {
  it('"Мне нужна помощь сейчас" is answered as a request, and nothing the child reads uses "(а)" forms', { timeout: 40_000 }, async () => {
    const page = await childPage(browser, app.url);
    await page.waitForFunction(() => document.querySelectorAll('#buttons button').length > 0);
    await pressAndWait(page, 'action:crisis');
    const said = (await bubbles(page, 'bot')).join('\n');
    // A counselor is signed in but none has the console open: the request gets the numbers
    // without a promise, never "thank you for telling me".
    expect(said).toContain(i18n().t('ru', 'help-now-closed'));
    expect(said).not.toContain('Спасибо, что рассказываешь');
    expect(said).not.toMatch(/\((а|на|ла|ая)\)/);
    await page.context().close();
  });

  it('the answer to "did it help?" after the close lands on the conversation and in /metrics, by answer only', { timeout: 40_000 }, async () => {
    const metric = async () => Number(/helpline_feedback_total\{answer="partly"\} (\d+)/.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1] ?? NaN);
    const before = await metric();
    const page = await childPage(browser, app.url);
    await say(page, 'хочу покончить с собой');
    await page.waitForSelector('#queue:not([hidden])');
    const id = await conversationOfSoon(app, await secretOf(page));
    expect((await staff.call('POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    expect(
      (await staff.call('POST', `/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported', assessment: { wishDead: 'yes', thoughts: 'yes', method: 'no', intent: 'no', plan: 'no', behaviour: 'no', timeFrame: 'this_week' } })).status,
    ).toBe(200);
    await page.waitForSelector('#buttons button[data-value="feedback:partly"]');
    expect(await page.textContent('#buttons button[data-value="feedback:partly"]')).toBe(i18n().t('ru', 'btn-feedback-partly'));
    await pressAndWait(page, 'feedback:partly');
    expect((await bubbles(page, 'bot')).at(-1)).toBe(i18n().t('ru', 'feedback-thanks'));
    expect((await app.store.getConversation(id))?.meta.feedback).toBe('partly');
    expect(await metric()).toBe(before + 1);
    await page.context().close();
  });
});
