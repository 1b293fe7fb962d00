// The studio page in a real browser (Debian's Chromium through playwright-core): two editors in
// separate contexts edit the Russian breathing text with live validation, meet a conflict, publish;
// a crisis change waits for the second editor's approval; a counselor cannot use the studio.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/child-page.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { PASSWORD, admin, start, staff } from '../console/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(ROOT, 'test-artifacts');

describe('studio in a browser', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function signIn(username: string): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1100, height: 1400 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(`${app.url}/studio`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', PASSWORD);
    await p.click('#login-submit');
    return p;
  }

  const text = (p: Page, sel: string) => p.locator(sel).innerText();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await start();
    const boss = await admin(app);
    await staff(app, boss, 'olga', 'editor');
    await staff(app, boss, 'pavel', 'editor');
    await staff(app, boss, 'ivan', 'counselor');
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('edits, validates inline, resolves a conflict, tries, publishes, and holds a crisis change for approval', async () => {
    const olga = await signIn('olga');
    await olga.waitForSelector('#app:not([hidden])');
    expect(await olga.title()).toBe('Студия контента');
    await olga.fill('#draft-title', 'дыхание');
    await olga.click('#new-draft');
    await olga.waitForFunction(() => (document.getElementById('drafts') as HTMLSelectElement).options.length === 1);
    await olga.selectOption('#item', 'message:ru:breathing');
    await olga.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.includes('Давай вместе'));

    // A broken placeable is named inline by its message, as the editor types.
    await olga.fill('#text', 'breathing = Дыши { $broken');
    await olga.waitForSelector('#problems li:has-text("breathing: Fluent")');
    await olga.fill('#text', 'breathing = Вдох на 4, выдох на 6. Текст из студии.');
    await olga.waitForSelector('#problems li.ok');
    expect(await text(olga, '#problems')).toBe('Ошибок нет');
    await olga.click('#save');
    await olga.waitForSelector('#status:has-text("Сохранено")');

    // The preview: clicked through as a child would, the draft's text at the end; the live bot unchanged.
    await olga.click('#preview-start');
    await olga.click('#phone button[data-value="goto:selfhelp_menu"]');
    await olga.click('#phone button[data-value="goto:selfhelp_anxiety"]');
    await olga.click('#phone button[data-value="goto:breathing"]');
    await olga.waitForSelector('#phone p.bot:has-text("Текст из студии")');
    expect(app.content.current.i18n.t('ru', 'breathing')).toContain('Давай вместе');

    // Pavel opens the same draft and item, Olga saves again meanwhile: his save meets a conflict with both texts.
    const pavel = await signIn('pavel');
    await pavel.waitForSelector('#app:not([hidden])');
    await pavel.selectOption('#item', 'message:ru:breathing');
    await pavel.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.includes('Текст из студии'));
    await olga.fill('#text', 'breathing = Вдох на 4, выдох на 6. Повтори 3 раза.');
    await olga.click('#save');
    await olga.waitForSelector('#status:has-text("Сохранено")');
    await pavel.fill('#text', 'breathing = Дыши медленно.');
    await pavel.click('#save');
    await pavel.waitForSelector('#conflict:not([hidden])');
    expect(await text(pavel, '#conflict-text')).toContain('olga');
    expect(await pavel.inputValue('#theirs')).toBe('breathing = Вдох на 4, выдох на 6. Повтори 3 раза.');
    expect(await pavel.inputValue('#text')).toBe('breathing = Дыши медленно.');
    // The merge view: their line marked as theirs, his as his.
    expect(await pavel.$$eval('#merge li', (els) => els.map((e) => [e.className, e.textContent]))).toEqual([
      ['theirs', '− breathing = Вдох на 4, выдох на 6. Повтори 3 раза.'],
      ['mine', '+ breathing = Дыши медленно.'],
    ]);
    await pavel.click('#take-theirs');
    expect(await pavel.inputValue('#text')).toBe('breathing = Вдох на 4, выдох на 6. Повтори 3 раза.');

    // What would the bot say to an anxious child, with the draft.
    await olga.fill('#try-text', 'мне очень тревожно');
    await olga.click('#try');
    await olga.waitForSelector('#try-result:has-text("Тема:")');
    expect(await olga.locator('#try-reply p').count()).toBeGreaterThan(0);

    await olga.fill('#comment', 'короче упражнение на дыхание');
    await olga.click('#publish');
    await olga.waitForSelector('#publish-status:has-text("Опубликована версия 2")');
    expect(app.content.current.i18n.t('ru', 'breathing')).toBe('Вдох на 4, выдох на 6. Повтори 3 раза.');
    await olga.waitForSelector('#versions li:has-text("короче упражнение на дыхание")');
    await olga.screenshot({ path: resolve(ARTIFACTS, 'studio-editor.png'), fullPage: true });

    // A crisis change waits for someone else's approval.
    await olga.fill('#draft-title', 'экстренное');
    await olga.click('#new-draft');
    await olga.selectOption('#item', 'message:ru:emergency');
    await olga.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.startsWith('emergency ='));
    const emergency = await olga.inputValue('#text');
    await olga.fill('#text', emergency.replace('Если можешь, скажи взрослому рядом.', 'Если можешь, скажи взрослому рядом — маме или учителю.'));
    await olga.click('#save');
    await olga.waitForSelector('#status:has-text("Сохранено")');
    await olga.fill('#comment', 'кому сказать');
    await olga.click('#publish');
    await olga.waitForSelector('#publish-status:has-text("нужно одобрение")');
    expect(await text(olga, '#crisis')).toContain('message emergency (ru)');
    await pavel.reload();
    await pavel.waitForSelector('#app:not([hidden])');
    await pavel.selectOption('#drafts', { label: 'экстренное' });
    await pavel.click('#approve');
    await pavel.waitForSelector('#publish-status:has-text("Одобрено")');
    await olga.click('#publish');
    await olga.waitForSelector('#publish-status:has-text("Опубликована версия 3")');
    expect(app.content.current.i18n.t('ru', 'emergency')).toContain('маме или учителю');

    // A counselor signs in and is told the studio is not for them.
    const ivan = await signIn('ivan');
    await ivan.waitForSelector('#forbidden:not([hidden])');
    expect(await ivan.locator('#app').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
    // UPDATE_SCREENSHOTS=1 writes the README's picture again (an ordinary run leaves docs/ alone).
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(resolve(ARTIFACTS, 'studio-editor.png'), resolve(ROOT, 'docs/screens/studio-editor.png'));
  });
});
