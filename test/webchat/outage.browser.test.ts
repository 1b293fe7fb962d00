// Nothing acknowledged is lost: a page whose messages could not be stored (Redis down) keeps
// them and sends them again until the server acknowledges them, in a real browser. On 5813c3a
// the frames were acknowledged although nothing was stored, and the messages were lost.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { TestRedis } from '../helpers/redis-server.js';
import { conversationOf } from '../helpers/webchat.js';

let redis: TestRedis;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  // Persistent (append-only file): what was stored before the outage is still there after it.
  redis = await TestRedis.create(true);
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, REDIS_PREFIX: 'lost', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await redis?.stop();
});

const WORDS = ['мне страшно', 'я не хочу жить', 'никто не поймёт', 'ответьте пожалуйста'];

describe('web chat during a Redis outage, in a browser', () => {
  it('messages written while the store is down are stored once it is back, each exactly once', { timeout: 60_000 }, async () => {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(app.url);
    await page.fill('#text', 'привет');
    await page.press('#text', 'Enter');
    await page.waitForSelector('.msg.bot');
    // The greeting is on the page from the start: wait until "привет" itself is stored.
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('hl-pending') || '[]').length === 0);
    const session = await page.evaluate(() => sessionStorage.getItem('hl-session'));
    expect(session).toBeTruthy();

    await redis.stop();
    for (const w of WORDS) {
      await page.fill('#text', w);
      await page.press('#text', 'Enter');
    }
    // The child is not left alone: the numbers come at once, from memory.
    await page.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('8-800-2000-122'));
    const pending = await page.evaluate(() => JSON.parse(sessionStorage.getItem('hl-pending') || '[]').length);
    expect(pending).toBe(WORDS.length);

    await redis.start();
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('hl-pending') || '[]').length === 0, undefined, { timeout: 40_000 });
    const said = (await app.store.getTranscript((await conversationOf(app, session!))!)).filter((e) => e.from === 'child').map((e) => e.text);
    for (const w of WORDS) expect(said.filter((t) => t === w)).toHaveLength(1);
    // In the order the child wrote them.
    expect(said.filter((t) => WORDS.includes(t))).toEqual(WORDS);
    await ctx.close();
  });
});
