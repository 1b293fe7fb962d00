// The studio's script map and the messages side by side (issue 16 items 1 and 2) in Chromium: the
// map shows every step and its arrows; an arrow opens the step it leads to; a step is edited as a
// form (a button added, moved up, saved to the draft as YAML the bot reads); a step still pointed
// at is not deleted and the page says what points at it; a new step is created and deleted; the
// messages table finds a text and opens it in the editor.
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunningApp } from '../../src/main.js';
import { PASSWORD, admin, start, staff, type StaffClient } from '../console/helpers.js';
import { launchChromium } from '../helpers/child-page.js';

const SHOTS = resolve(import.meta.dirname, '../../docs/screens');

describe('studio script map in a browser', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let browser: Browser;
  let olga: StaffClient;
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
    await p.waitForSelector('#app:not([hidden])');
    return p;
  }

  beforeAll(async () => {
    app = await start();
    const boss = await admin(app);
    olga = await staff(app, boss, 'olga', 'editor');
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('navigates the map, edits a step as a form, refuses deleting a step in use, creates and deletes one', async () => {
    const p = await signIn('olga');
    await p.fill('#draft-title', 'карта');
    await p.click('#new-draft');
    await p.waitForFunction(() => (document.getElementById('drafts') as HTMLSelectElement).options.length === 1);
    const steps = Object.keys(app.content.current.steps);
    await p.waitForFunction((n) => document.querySelectorAll('#map .step').length === n, steps.length);
    expect(await p.$$eval('#map .step-id', (els) => els.map((e) => e.textContent))).toEqual(steps);
    // The card shows the step's Russian words.
    expect(await p.locator('#map-breathing .step-text').innerText()).toContain('Давай вместе');

    // An arrow on the self-help menu leads to the anxiety step: it opens as a form.
    await p.click('#map-selfhelp_menu button.arrow[data-goto="selfhelp_anxiety"]');
    await p.waitForSelector('#step-form:not([hidden]) h3:has-text("selfhelp_anxiety")');
    expect(await p.locator('#step-form .used-by').innerText()).toContain('шаг selfhelp_menu');
    const before = app.content.current.steps.selfhelp_anxiety!.buttons ?? [];
    expect(await p.locator('#step-form .button-row').count()).toBe(before.length);

    // Add a button to the main menu and move it up to first place; save to the draft.
    await p.click('#step-form .add-button');
    const last = p.locator('#step-form .button-row').last();
    await last.locator('select.label').selectOption('btn-menu');
    await last.locator('select.target').selectOption('action:menu');
    // The new row climbs one place per click: from the bottom (index n) to the top.
    for (let i = before.length; i > 0; i--) await p.locator('#step-form .button-row').nth(i).locator('button.up').click();
    await p.click('#step-form .save-step');
    await p.waitForSelector('#step-status:has-text("Сохранено")');
    const draftId = await p.locator('#drafts').inputValue();
    const saved = (await olga.get(`/api/studio/drafts/${draftId}`)).body.items['step:selfhelp_anxiety'].value as string;
    const step = parse(saved) as { text: string; buttons: { label: string; goto?: string; action?: string }[] };
    expect(step.text).toBe(app.content.current.steps.selfhelp_anxiety!.text);
    expect(step.buttons[0]).toEqual({ label: 'btn-menu', action: 'menu' });
    expect(step.buttons.slice(1)).toEqual(before);
    // The draft's map (and so the preview) has the new button.
    const map = (await olga.get(`/api/studio/map?draft=${draftId}`)).body;
    expect(map.problems).toEqual([]);
    expect(map.steps.find((s: { id: string }) => s.id === 'selfhelp_anxiety').buttons[0].action).toBe('menu');

    // A step something points at is not deleted: the page says what points at it, the API too.
    await p.click('#step-form .delete-step');
    await p.waitForSelector('#step-status:has-text("нельзя удалить")');
    expect(await p.locator('#step-status').innerText()).toContain('шаг selfhelp_menu');
    const refused = await olga.post(`/api/studio/drafts/${draftId}/items`, { key: 'step:selfhelp_anxiety', value: null, rev: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('step_in_use');
    expect(refused.body.usedBy).toContain('step:selfhelp_menu');

    // A new step nothing points at: created, shown, deleted.
    await p.fill('#new-step', 'selfhelp_sleep');
    await p.click('#create-step');
    await p.waitForSelector('#map-selfhelp_sleep');
    await p.waitForSelector('#step-form h3:has-text("selfhelp_sleep")');
    expect(await p.locator('#step-form .used-by').innerText()).toBe('На этот шаг пока ничего не ведёт.');
    await p.click('#step-form .delete-step');
    await p.waitForSelector('#map-selfhelp_sleep', { state: 'detached' });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await p.click('#map-greeting .step-id');
      await p.locator('section.map').screenshot({ path: resolve(SHOTS, 'studio-script-map.png') });
    }
    expect(pageErrors).toEqual([]);
  });

  it('finds what children say in examples and lexicon phrases, explains the *, and opens the intent file', async () => {
    const p = await signIn('olga');
    expect(await p.locator('section.intents .hint').innerText()).toContain('*');
    await p.fill('#intents-search', 'поконч');
    await p.waitForSelector('#intents .intent');
    const ids = await p.$$eval('#intents .intent', (els) => els.map((e) => (e as HTMLElement).dataset.intent));
    const api = (await olga.get(`/api/studio/intents?q=${encodeURIComponent('поконч')}`)).body;
    expect(ids).toEqual(api.intents.map((i: { id: string }) => i.id));
    expect(await p.locator('#intents-found').innerText()).toBe(`Найдено намерений: ${api.total}`);
    const suicide = api.intents.find((i: { topic: string }) => i.topic === 'suicide');
    expect(suicide).toBeTruthy();
    // Every line shown holds the words, with its language and risk.
    for (const line of await p.locator(`#intents .intent[data-intent="${suicide.id}"] li`).allInnerTexts()) expect(line.toLowerCase()).toContain('поконч');
    await p.locator(`#intents .intent[data-intent="${suicide.id}"] button`).click();
    await p.waitForFunction((key) => (document.getElementById('item') as HTMLSelectElement).value === key, `file:${suicide.file}`);
    expect((await olga.get('/api/studio/intents?q=x')).status).toBe(400);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the text in the browser when the sign-in expired mid-edit, and saves it after signing in again', async () => {
    const p = await signIn('olga');
    await p.fill('#draft-title', 'сессия');
    await p.click('#new-draft');
    await p.waitForFunction(() => [...(document.getElementById('drafts') as HTMLSelectElement).options].some((o) => o.textContent === 'сессия'));
    const draftId = await p.locator('#drafts').inputValue();
    await p.selectOption('#item', 'message:ru:breathing');
    await p.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.includes('Давай вместе'));
    const mine = 'breathing = Медленно вдохни на четыре счёта и выдохни на шесть.';
    await p.fill('#text', mine);
    // The session ends (expired, or signed out elsewhere) while the editor types.
    await p.context().clearCookies();
    await p.click('#save');
    await p.waitForSelector('#login-notice:not([hidden])');
    expect(await p.locator('#login-notice').innerText()).toContain('сохранён в этом браузере');
    expect((await olga.get(`/api/studio/drafts/${draftId}`)).body.items['message:ru:breathing']).toBeUndefined();
    await p.fill('#login-username', 'olga');
    await p.fill('#login-password', PASSWORD);
    await p.click('#login-submit');
    await p.waitForSelector('#status:has-text("записан в черновик")');
    expect((await olga.get(`/api/studio/drafts/${draftId}`)).body.items['message:ru:breathing'].value).toBe(mine);
    expect(await p.evaluate(() => localStorage.getItem('studio-pending-save'))).toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it('shows every message side by side per language, finds one and opens it in the editor', async () => {
    const p = await signIn('olga');
    await p.waitForSelector('#messages tr:nth-child(3)');
    // Russian (the page's language) first.
    const locales = ['ru', ...app.content.current.i18n.locales.filter((l) => l !== 'ru')];
    expect(await p.$$eval('#messages tr:first-child th', (els) => els.map((e) => e.textContent))).toEqual(['id', ...locales]);
    await p.fill('#messages-search', 'Давай вместе: вдох');
    await p.waitForFunction(() => document.querySelectorAll('#messages tr').length === 2);
    expect(await p.locator('#messages tr:nth-child(2) th').innerText()).toBe('breathing');
    expect(await p.locator('#messages button[data-key="message:en:breathing"]').innerText()).toBe(app.content.current.i18n.t('en', 'breathing'));
    await p.click('#messages button[data-key="message:ru:breathing"]');
    await p.waitForFunction(() => (document.getElementById('item') as HTMLSelectElement).value === 'message:ru:breathing');
    await p.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value.includes('Давай вместе'));
    expect(pageErrors).toEqual([]);
  });
});
