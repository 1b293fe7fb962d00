// The console's safety plan, blocking and earlier contacts (issue 18) in real Chromium: a
// counselor writes the plan in a form and the child gets it as one message; a supervisor blocks
// an abusive contact with days and a reason, and the child then gets the numbers only; the chat
// header says how often this identity wrote before, without a word of it; supervisors get the
// reports link, counselors do not.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { launchChromium } from '../helpers/child-page.js';
import { ADMIN_PASSWORD, PASSWORD, admin, childSays, start, webChild, type StaffClient } from './helpers.js';

const HIGH = 'хочу покончить с собой';

describe('safety plan, blocking and earlier contacts in the console', () => {
  let app: RunningApp;
  let browser: Browser;
  let boss: StaffClient;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function signIn(username: string, password = PASSWORD): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(10_000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(`${app.url}/console`);
    await p.fill('#login-username', username);
    await p.fill('#login-password', password);
    await p.click('#login-submit');
    await p.waitForSelector('#app:not([hidden])');
    return p;
  }

  beforeAll(async () => {
    app = await start({ PROFILE_SECRET: 'a-test-secret-of-at-least-32-characters!' });
    boss = await admin(app);
    expect((await boss.post('/api/accounts', { username: 'anna', password: PASSWORD, role: 'counselor' })).status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('a counselor fills the safety plan in a form; the child gets it as one message; no reports link for a counselor', async () => {
    const child = await webChild(app, HIGH);
    const anna = await signIn('anna');
    expect(await anna.isHidden('#reports-link')).toBe(true);
    expect(await anna.isHidden('#block')).toBe(true);
    await anna.click(`#queue li[data-id="${child.id}"]`);
    await anna.click('#claim');
    await anna.waitForFunction(() => !(document.getElementById('reply') as HTMLTextAreaElement).disabled);
    await anna.click('#plan');
    await anna.waitForSelector('#plan-dialog[open]');
    expect(await anna.isDisabled('#plan-submit')).toBe(true);
    await anna.fill('#plan-warningSigns', 'не могу уснуть\nне хочу ни с кем говорить');
    await anna.fill('#plan-helps', 'гулять с собакой');
    await anna.fill('#plan-people', 'тётя Оля');
    const before = child.socket.frames.length;
    await anna.click('#plan-submit');
    const msg = await child.socket.next((f) => f.type === 'message' && f.text.startsWith('Твой план безопасности') && child.socket.frames.indexOf(f) >= before);
    for (const line of ['не могу уснуть', 'не хочу ни с кем говорить', 'гулять с собакой', 'тётя Оля']) expect(msg.text).toContain(`• ${line}`);
    expect(msg.text).toContain('8-800-2000-122');
    await anna.waitForSelector('#toast:has-text("План отправлен")');
    child.socket.close();
    expect(pageErrors).toEqual([]);
  });

  it('a supervisor blocks a contact with days and a reason; the child then gets the numbers only', async () => {
    // A child who asked for a person (queued at low): a crisis message would go the whole way anyway.
    const child = await webChild(app, 'привет');
    child.socket.send({ type: 'button', value: 'action:counselor', id: 'c1' });
    await child.socket.next((f) => f.type === 'ack' && f.id === 'c1');
    const sup = await signIn('admin', ADMIN_PASSWORD);
    expect(await sup.isVisible('#reports-link')).toBe(true);
    expect(await sup.getAttribute('#reports-link', 'href')).toBe('/reports/');
    await sup.click(`#queue li[data-id="${child.id}"]`);
    await sup.click('#block');
    await sup.waitForSelector('#block-dialog[open]');
    await sup.fill('#block-days', '3');
    await sup.fill('#block-reason', 'оскорбления');
    await sup.click('#block-submit');
    await sup.waitForSelector('#toast:has-text("заблокированы до")');
    const seen = child.socket.frames.length;
    child.socket.send({ type: 'message', text: 'ну и что', id: 'x1' });
    const answer = await child.socket.next((f) => f.type === 'message' && f.from === 'bot' && child.socket.frames.indexOf(f) >= seen);
    expect(answer.text).toContain('приостановлен до');
    expect(JSON.stringify((await boss.get('/api/audit?limit=10')).body)).toContain('оскорбления');
    child.socket.close();
    expect(pageErrors).toEqual([]);
  });

  it('the chat header says how often this identity wrote before, with the last topic and risk, no text', async () => {
    const chatKey = `w-prev-${Date.now()}`;
    const first = await childSays(app, HIGH, chatKey);
    expect((await boss.post(`/api/conversations/${first.id}/close`, { callType: 'testing' })).status).toBe(200);
    await app.records.flush();
    const second = await childSays(app, HIGH, chatKey);
    const prev = (await boss.get(`/api/conversations/${second.id}`)).body.previous;
    expect(prev).toMatchObject({ count: 1 });
    const sup = await signIn('admin', ADMIN_PASSWORD);
    await sup.click(`#queue li[data-id="${second.id}"]`);
    await expect.poll(() => sup.textContent('#chat-facts')).toContain('обращений раньше: 1');
    expect(await sup.textContent('#chat-facts')).not.toContain(HIGH);
    expect(pageErrors).toEqual([]);
  });
});
