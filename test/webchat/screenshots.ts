// The web chat's screens for docs/screens/ (issue 13): ru, 390×844, in real Chromium against the
// real app. Regenerate with `npm run screenshots` after a change to the page or its words.
//   webchat-first.png   — what a child sees on opening the page
//   webchat-crisis.png  — the answer to a crisis message (numbers as tel: links)
//   webchat-waiting.png — waiting for a counselor (queue bar with the leave button)
//   webchat-closed.png  — asking for a counselor outside the chat's hours
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { startApp } from '../../src/main.js';
import { childPage, launchChromium, PHONES, say } from '../helpers/child-page.js';

const root = resolve(import.meta.dirname, '../..');
const out = resolve(root, 'docs/screens');
mkdirSync(out, { recursive: true });
await build({ configFile: resolve(root, 'web/vite.config.ts'), logLevel: 'error' });

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** One minute a week, on a day that is not today: the chat is closed now. */
const closedNow = `${DAYS[(new Date().getUTCDay() + 3) % 7]} 09:00-09:01`;
const base = { PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? 'test-artifacts/triage-model' };
const open = await startApp(base);
const closed = await startApp({ ...base, OPENING_HOURS: closedNow });
const browser = await launchChromium();

const bots = (page: Page) => page.$$eval('#log .msg.bot', (els) => els.length);
async function answered(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await bots(page);
  await act();
  await page.waitForFunction((n) => document.querySelectorAll('#log .msg.bot').length > n, before);
  // The quick replies and bars arrive with or just after the message.
  await page.waitForTimeout(300);
}
const shot = (page: Page, name: string) => page.screenshot({ path: resolve(out, `webchat-${name}.png`) });

try {
  const first = await childPage(browser, open.url, { viewport: PHONES.tall });
  // The greeting comes on opening when the server sends it; a server that waits for the child's first word gets "привет".
  const greeted = await first.waitForSelector('#log .msg.bot', { timeout: 3000 }).then(() => true, () => false);
  if (!greeted) await answered(first, () => say(first, 'привет'));
  await first.waitForTimeout(300);
  await shot(first, 'first');
  console.log(`first screen: ${greeted ? 'greeting on open' : 'no greeting on open; shown after "привет"'}`);

  const crisis = await childPage(browser, open.url, { viewport: PHONES.tall });
  await answered(crisis, () => say(crisis, 'я не хочу больше жить'));
  await crisis.waitForSelector('#queue:not([hidden])');
  await shot(crisis, 'crisis');

  const waiting = await childPage(browser, open.url, { viewport: PHONES.tall });
  await answered(waiting, () => say(waiting, 'мне нужен консультант'));
  const counselor = await waiting.$('#buttons button[data-value="action:counselor"]');
  if (counselor) await answered(waiting, () => counselor.click());
  // A server that asks the pre-survey before queueing: skip its questions.
  for (let i = 0; i < 3 && (await waiting.isHidden('#queue')); i++) {
    const skip = await waiting.$('#buttons button[data-value$=":skip"]');
    if (!skip) break;
    await answered(waiting, () => skip.click());
  }
  await waiting.waitForSelector('#queue:not([hidden])');
  await shot(waiting, 'waiting');

  const after = await childPage(browser, closed.url, { viewport: PHONES.tall });
  await answered(after, () => say(after, 'мне нужен консультант'));
  const ask = await after.$('#buttons button[data-value="action:counselor"]');
  if (ask) await answered(after, () => ask.click());
  await shot(after, 'closed');
  console.log(`closed hours: OPENING_HOURS="${closedNow}"`);
  console.log(`written to ${out}`);
} finally {
  await browser.close();
  await open.close();
  await closed.close();
}
