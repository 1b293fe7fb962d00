// What follows an account change, tried as outside clients would (HTTP and the live WebSocket):
// a signed-out or disabled console stops receiving at once; a disabled counselor's chat goes back
// to the head of the queue at once; a password change or reset ends the account's other
// sessions. Each of these held on 5813c3a only until the session expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { PASSWORD, StaffClient, admin, consoleSocket, sleep, staff, start, until, webChild, type Socket } from './helpers.js';

let app: RunningApp;
let boss: StaffClient;
beforeAll(async () => {
  app = await start();
  boss = await admin(app);
});
afterAll(() => app.close());

const closed = (s: Socket) => new Promise<number>((resolve) => s.ws.once('close', (code) => resolve(code)));

describe('account changes reach live consoles', () => {
  it('sign-out closes that session’s live feed, and it hears no alert after', async () => {
    const olga = await staff(app, boss, 'olga', 'counselor');
    const feed = await consoleSocket(app, olga);
    await feed.next((f) => f.type === 'hello');
    const code = closed(feed);
    expect((await olga.post('/api/auth/logout')).status).toBe(200);
    expect(await code).toBe(4401);
    const before = feed.frames.length;
    const child = await webChild(app, 'хочу покончить с собой');
    await child.socket.next((f) => f.type === 'queue');
    await sleep(300);
    expect(feed.frames.slice(before).filter((f) => f.type === 'alert')).toHaveLength(0);
    child.socket.close();
  });

  it('disabling a counselor closes their feed and returns their chat to the head of the queue at once', async () => {
    const ivan = await staff(app, boss, 'ivan', 'counselor');
    expect((await ivan.post('/api/presence', { available: true })).status).toBe(200);
    const feed = await consoleSocket(app, ivan);
    await feed.next((f) => f.type === 'hello');
    const child = await webChild(app, 'хочу покончить с собой');
    await child.socket.next((f) => f.type === 'queue');
    expect((await ivan.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    feed.send({ type: 'watch', id: child.id });
    await feed.next((f) => f.type === 'watching');

    const code = closed(feed);
    const startedAt = Date.now();
    expect((await boss.req('PATCH', '/api/accounts/ivan', { disabled: true })).status).toBe(200);
    expect(await code).toBe(4401);
    const queue = (await boss.get('/api/queue')).body as { id: string; position: number; returned: boolean }[];
    const back = queue.find((q) => q.id === child.id);
    expect(back).toMatchObject({ returned: true });
    expect(queue.filter((q) => q.position < back!.position && !q.returned && q.id !== child.id)).toEqual([]);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    // The child's next words reach nobody's closed socket; the child hears that the counselor left.
    const before = feed.frames.length;
    child.socket.send({ type: 'message', text: 'где вы? мой адрес улица Ленина 5' });
    await child.socket.next((f) => f.type === 'message' && f.from === 'bot', 3000, false).catch(() => undefined);
    expect(feed.frames.length).toBe(before);
    expect((await ivan.get('/api/auth/me')).status).toBe(401);
    child.socket.close();
  });

  it('a password change ends the account’s other sessions and their feeds, and keeps this one', async () => {
    const nina = await staff(app, boss, 'nina', 'counselor');
    const phone = new StaffClient(app);
    expect((await phone.login('nina', PASSWORD)).status).toBe(200);
    const phoneFeed = await consoleSocket(app, phone);
    await phoneFeed.next((f) => f.type === 'hello');
    const deskFeed = await consoleSocket(app, nina);
    await deskFeed.next((f) => f.type === 'hello');
    const code = closed(phoneFeed);
    expect((await nina.post('/api/auth/password', { current: PASSWORD, next: 'a-new-password-2' })).status).toBe(200);
    expect(await code).toBe(4401);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await nina.get('/api/auth/me')).status).toBe(200);
    await sleep(200);
    expect(deskFeed.ws.readyState).toBe(deskFeed.ws.OPEN);
    deskFeed.close();
  });

  it('an admin’s password reset ends every session of the account', async () => {
    const petr = await staff(app, boss, 'petr', 'counselor');
    const other = new StaffClient(app);
    await other.login('petr', PASSWORD);
    expect((await boss.req('PATCH', '/api/accounts/petr', { password: 'reset-by-admin-3' })).status).toBe(200);
    await until(async () => (await petr.get('/api/auth/me')).status === 401, 2000, 'the first session to end');
    expect((await other.get('/api/auth/me')).status).toBe(401);
    const fresh = new StaffClient(app);
    expect((await fresh.login('petr', 'reset-by-admin-3')).status).toBe(200);
  });
});
