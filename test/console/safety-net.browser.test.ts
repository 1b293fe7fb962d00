// The supervisor's safety net in real Chromium: a board of every live chat with the unacknowledged
// imminent child on top, acknowledging, a counselor's raised hand, a whisper the child never sees,
// joining a chat. A counselor, a supervisor and a child in three browser contexts.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/child-page.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { PASSWORD, admin, start } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENS = resolve(ROOT, 'docs/screens');
const IMMINENT = 'я уже выпила все таблетки';
const WHISPER = 'Спроси, где она сейчас и есть ли рядом взрослый';

describe('supervisor safety net in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function page(width = 1280): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width, height: 800 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  async function signIn(p: Page, username: string): Promise<void> {
    await p.goto(`${app.url}/console`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', PASSWORD);
    await p.click('#login-submit');
    await p.waitForSelector('#app:not([hidden])');
  }

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    app = await start();
    const boss = await admin(app);
    for (const [name, role] of [
      ['anna', 'counselor'],
      ['sveta', 'supervisor'],
    ] as const) {
      const r = await boss.post('/api/accounts', { username: name, password: PASSWORD, role });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('shows the imminent child on the board until acknowledged; hand, whisper and join reach the right people only', async () => {
    const anna = await page();
    const sveta = await page();
    const child = await page(390);
    await signIn(anna, 'anna');
    await signIn(sveta, 'sveta');
    await anna.check('#available');
    // A counselor has no board.
    expect(await anna.isHidden('#board-section')).toBe(true);
    await sveta.waitForSelector('#board-section:not([hidden])');

    await child.goto(`${app.url}/`);
    await child.waitForFunction(() => !!sessionStorage.getItem('hl-session'));
    await child.fill('#text', IMMINENT);
    await child.press('#text', 'Enter');

    // The supervisor's board: the child on top, marked unacknowledged, with the button.
    const row = sveta.locator('#board li.board-chat.unacked').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('не подтверждён');
    // UPDATE_SCREENSHOTS=1 writes the README's picture again (an ordinary run leaves docs/ alone).
    if (process.env.UPDATE_SCREENSHOTS === '1') await sveta.screenshot({ path: resolve(SCREENS, 'console-supervisor-board.png') });

    // The counselor takes the chat and asks for help.
    await anna.waitForSelector('#alert:not([hidden])');
    await anna.click('#alert-open');
    await anna.click('#claim');
    await anna.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    expect(await anna.isHidden('#whisper-form')).toBe(true);
    await anna.click('#hand');
    await expect.poll(() => anna.textContent('#hand')).toContain('больше не нужен');
    await sveta.locator('#board li.board-chat .hand-badge').first().waitFor();

    // The supervisor opens it from the board and whispers: the counselor sees it inline, the child never.
    await sveta.click('#board li.board-chat');
    await sveta.waitForSelector('#whisper-form:not([hidden])');
    expect(await sveta.isDisabled('#reply')).toBe(true);
    await sveta.fill('#whisper', WHISPER);
    await sveta.press('#whisper', 'Enter');
    await expect.poll(() => anna.locator('#transcript .entry.from-whisper').allTextContents()).toContainEqual(expect.stringContaining(WHISPER));
    // A whisper answers the raised hand.
    await expect.poll(() => anna.textContent('#hand')).toBe('Позвать супервизора');

    // Acknowledged: the mark leaves the board, and the chat head no longer offers it.
    await sveta.click('#ack');
    await expect.poll(() => sveta.locator('#board li.board-chat.unacked').count()).toBe(0);
    expect(await sveta.locator('#board li.board-chat').first().textContent()).toContain('подтверждено: sveta');
    await expect.poll(() => sveta.isHidden('#ack')).toBe(true);

    // Joining as a second counselor.
    await sveta.click('#join');
    await expect.poll(() => sveta.isHidden('#join')).toBe(true);
    await expect.poll(async () => (await app.store.getConversation((await sveta.getAttribute('#board li.board-chat', 'data-id'))!))?.joined).toContain('sveta');
    // UPDATE_SCREENSHOTS=1 writes the README's picture again (an ordinary run leaves docs/ alone).
    if (process.env.UPDATE_SCREENSHOTS === '1') await sveta.screenshot({ path: resolve(SCREENS, 'console-supervisor-chat.png') });

    await child.waitForTimeout(300);
    expect(await child.textContent('body')).not.toContain(WHISPER);
    expect(pageErrors).toEqual([]);
  });
});
