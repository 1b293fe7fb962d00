// One address opening chat after chat (a script, a prank, an attack): idle sockets make no
// conversation, chats past the cap are answered with the numbers and queued but marked as a
// possible flood behind every other child, and a real child from elsewhere stays near the top.
// On 5813c3a, 200 crisis sockets made 200 imminent entries and 200 alerts, and a real high-risk
// child fell past the 200 items /api/queue returned.
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { ADMIN_PASSWORD, admin, consoleSocket, start, until, wsUrl, type StaffClient } from '../console/helpers.js';

let app: RunningApp;
let boss: StaffClient;
const CAP = 5;
const FLOOD = 40;

beforeAll(async () => {
  app = await start({ TRUST_PROXY: '1', NEW_CHATS_PER_ADDRESS_PER_MINUTE: String(CAP) });
  boss = await admin(app);
});
afterAll(() => app.close());

/** A web chat socket from `ip` (as one reverse proxy in front reports it). */
function childFrom(ip: string): Promise<{ ws: WebSocket; frames: { type: string; text?: string }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(app, '/webchat/ws?lang=ru'), { headers: { 'x-forwarded-for': ip } });
    const frames: { type: string; text?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.once('open', () => resolve({ ws, frames }));
    ws.once('error', reject);
  });
}

const conversations = () => (app.store as unknown as { conversations: Map<string, unknown> }).conversations.size;

describe('a flood from one address', () => {
  it('opens no conversation for sockets that never write', async () => {
    const before = conversations();
    const idle = await Promise.all(Array.from({ length: 50 }, () => childFrom('203.0.113.77')));
    await until(() => idle.every((c) => c.frames.some((f) => f.type === 'session')), 5000, 'session frames');
    expect(conversations()).toBe(before);
    for (const c of idle) c.ws.close();
  });

  it('answers every flood chat with the numbers, queues them behind everyone else, and a real child stays near the top', async () => {
    const feed = await consoleSocket(app, boss);
    await feed.next((f) => f.type === 'hello');
    const flood = await Promise.all(Array.from({ length: FLOOD }, () => childFrom('203.0.113.5')));
    for (const c of flood) c.ws.send(JSON.stringify({ type: 'message', text: 'хочу покончить с собой' }));
    // Nobody is left without the numbers, flood or not.
    await until(() => flood.every((c) => c.frames.some((f) => f.type === 'message' && String(f.text).includes('8-800-2000-122'))), 15_000, 'the numbers for every socket');

    const real = await childFrom('198.51.100.20');
    real.ws.send(JSON.stringify({ type: 'message', text: 'хочу покончить с собой' }));
    await until(() => real.frames.some((f) => f.type === 'queue'), 5000, 'the real child queued');

    const page = await boss.get('/api/queue?limit=10');
    expect(page.status).toBe(200);
    expect(Number(page.headers['x-total-count'])).toBeGreaterThanOrEqual(FLOOD + 1);
    const items = page.body as { id: string; flood: boolean; position: number }[];
    expect(items).toHaveLength(10);
    // The real child is among the first CAP + 1 (behind at most the chats the cap let through).
    const notFlood = items.filter((i) => !i.flood);
    expect(notFlood.length).toBe(CAP + 1);
    expect(items.slice(0, CAP + 1).every((i) => !i.flood)).toBe(true);
    const all = (await boss.get('/api/queue?limit=500')).body as { flood: boolean }[];
    expect(all.filter((i) => i.flood)).toHaveLength(FLOOD - CAP);

    // Alerts: the chats under the cap and the real child alert as usual; the flood raises one, marked.
    await until(() => feed.frames.filter((f) => f.type === 'alert').length >= CAP + 2, 5000, 'alerts');
    await new Promise((r) => setTimeout(r, 300));
    const alerts = feed.frames.filter((f) => f.type === 'alert');
    expect(alerts.filter((a) => a.flood)).toHaveLength(1);
    expect(alerts.length).toBeLessThanOrEqual(CAP + 2 + 2);

    // The console marks them, in a real browser: the real child's card is not marked.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await (await browser.newContext({ locale: 'ru-RU' })).newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${app.url}/console`);
      await page.fill('#login-username', 'admin');
      await page.fill('#login-password', ADMIN_PASSWORD);
      await page.press('#login-password', 'Enter');
      await page.waitForSelector('#queue li.flood .flood-badge');
      const marked = await page.locator('#queue li.flood').count();
      expect(marked).toBeGreaterThan(0);
      const realId = items.find((i) => !i.flood && i.position === items.filter((x) => !x.flood).length)?.id;
      expect(await page.locator(`#queue li[data-id="${realId}"].flood`).count()).toBe(0);
      expect(await page.textContent('#queue')).toContain('возможный флуд');
    } finally {
      await browser.close();
    }
    for (const c of [...flood, real]) c.ws.close();
    feed.close();
  });
});
