// bench/webchat-open: how long a child waits, on this machine, from opening the web chat to the
// bot's first words, in real Chromium (390×844, ru), against the real app (memory store).
// For each of N fresh tabs the page records, on its own clock (performance.now(), 0 = navigation
// start): DOMContentLoaded, its own words shown (GET /webchat/ui), and the first bot message.
// Baseline: DOMContentLoaded of the same page — the floor no chat work can go under; the ratio
// says how much the chat adds on top of loading the page.
// When the server sends no greeting on open (within 2 s), "привет" is typed and the figure is
// typed → first reply instead (said so in the output).
//
//   npx tsx bench/webchat-open.ts [--tabs 20]
// Human-readable lines go to stderr; the last stdout line is one JSON object.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { build } from 'vite';
import { startApp } from '../src/main.js';
import { launchChromium, PHONES } from '../test/helpers/child-page.js';

const { values: args } = parseArgs({ options: { tabs: { type: 'string', default: '20' } } });
const tabs = Number(args.tabs);
const root = resolve(import.meta.dirname, '..');
await build({ configFile: resolve(root, 'web/vite.config.ts'), logLevel: 'error' });
const app = await startApp({ PORT: '0', LOG_LEVEL: 'error', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? 'test-artifacts/triage-model' });
const browser = await launchChromium();

/** Runs in the page before its own script: marks when things first appear. */
const probe = () => {
  const w = window as unknown as { marks: Record<string, number> };
  w.marks = {};
  document.addEventListener('DOMContentLoaded', () => {
    w.marks.dcl = performance.now();
    new MutationObserver(() => {
      if (w.marks.words === undefined && document.title !== '') w.marks.words = performance.now();
      if (w.marks.bot === undefined && document.querySelector('#log .msg.bot')) w.marks.bot = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
};

const rows: { dcl: number; words: number; bot: number }[] = [];
let greetedOnOpen = true;
try {
  // One tab first, unmeasured: Chromium's own start-up is not the child's wait.
  for (let i = -1; i < tabs; i++) {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: PHONES.tall, isMobile: true, hasTouch: true });
    await ctx.addInitScript(probe);
    const page = await ctx.newPage();
    await page.goto(app.url, { waitUntil: 'domcontentloaded' });
    const greeted = await page.waitForSelector('#log .msg.bot', { timeout: 2000 }).then(() => true, () => false);
    let sent = 0;
    if (!greeted) {
      greetedOnOpen = false;
      sent = await page.evaluate(() => performance.now());
      await page.fill('#text', 'привет');
      await page.press('#text', 'Enter');
      await page.waitForSelector('#log .msg.bot');
    }
    await page.waitForFunction(() => document.title !== '');
    const m = await page.evaluate(() => (window as unknown as { marks: { dcl: number; words: number; bot: number } }).marks);
    if (i >= 0) rows.push({ ...m, bot: m.bot - sent });
    await ctx.close();
  }
} finally {
  await browser.close();
  await app.close();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const summary = (xs: number[]) => ({ p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)) });
const dcl = summary(rows.map((r) => r.dcl));
const words = summary(rows.map((r) => r.words));
const bot = summary(rows.map((r) => r.bot));
const what = greetedOnOpen ? 'open → greeting (sent by the server on open)' : '"привет" typed → first reply (the server sends no greeting on open)';
console.error(`${tabs} tabs, ru, 390×844, memory store`);
console.error(`  DOMContentLoaded (baseline): p50 ${dcl.p50} ms, p95 ${dcl.p95} ms`);
console.error(`  page's words shown:          p50 ${words.p50} ms, p95 ${words.p95} ms`);
console.error(`  ${what}: p50 ${bot.p50} ms, p95 ${bot.p95} ms (${(bot.p50 / Math.max(1, dcl.p50)).toFixed(1)}× the baseline)`);
console.log(JSON.stringify({ bench: 'webchat-open', tabs, greetedOnOpen, dcl, words, bot, ratio: bot.p50 / Math.max(1, dcl.p50) }));
