import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { Socket, StaffClient, admin, consoleSocket, staff, start, wsUrl, webChild } from './helpers.js';

const CRISIS = 'хочу покончить с собой';

describe('console live feed (/api/events)', () => {
  let app: RunningApp;
  let anna: StaffClient;
  let boris: StaffClient;
  let sveta: StaffClient;

  beforeAll(async () => {
    app = await start();
    const boss = await admin(app);
    [anna, boris, sveta] = await Promise.all([
      staff(app, boss, 'anna', 'counselor'),
      staff(app, boss, 'boris', 'counselor'),
      staff(app, boss, 'sveta', 'supervisor'),
    ]);
  });
  afterAll(() => app.close());

  it('refuses a connection from another site', async () => {
    await expect(Socket.open(wsUrl(app, '/api/events'), { cookie: anna.cookie, origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    const own = await Socket.open(wsUrl(app, '/api/events'), { cookie: anna.cookie, origin: app.url });
    await own.next((f) => f.type === 'hello');
    own.close();
  });

  it('alerts every console at once when a child in crisis writes, then sends the queue', async () => {
    const [a, b] = await Promise.all([consoleSocket(app, anna), consoleSocket(app, boris)]);
    await Promise.all([a.next((f) => f.type === 'queue'), b.next((f) => f.type === 'queue')]);
    const sentAt = Date.now();
    const { socket: child, id } = await webChild(app, CRISIS);
    const [alertA, alertB] = await Promise.all([a.next((f) => f.type === 'alert' && f.id === id), b.next((f) => f.type === 'alert' && f.id === id)]);
    expect(alertA).toMatchObject({ risk: 'high', topic: 'suicide' });
    expect(alertA.receivedAt - sentAt).toBeLessThan(1000);
    expect(alertB.id).toBe(id);
    // The alert carries no text of the child's.
    expect(JSON.stringify(alertA)).not.toContain('покончить');
    const queue = await a.next((f) => f.type === 'queue' && f.items.some((q: { id: string }) => q.id === id), 3000, false);
    expect(queue.items.find((q: { id: string }) => q.id === id)).toMatchObject({ risk: 'high', topic: 'suicide', channel: 'webchat' });
    a.close();
    b.close();
    child.close();
  });

  it('sends messages and typing only to consoles that may read the conversation', async () => {
    const [a, b, s] = await Promise.all([consoleSocket(app, anna), consoleSocket(app, boris), consoleSocket(app, sveta)]);
    const { socket: child, id } = await webChild(app, CRISIS);
    await a.next((f) => f.type === 'alert' && f.id === id);

    // Boris previews the waiting child; then Anna takes it and Boris loses the feed.
    b.send({ type: 'watch', id });
    await b.next((f) => f.type === 'watching' && f.id === id);
    expect((await anna.post(`/api/conversations/${id}/claim`)).status).toBe(200);
    await b.next((f) => f.type === 'unwatch' && f.id === id);
    const taken = await b.next((f) => f.type === 'conversation' && f.id === id && f.state === 'with_counselor');
    expect(taken.counselorId).toBe('anna');

    a.send({ type: 'watch', id });
    s.send({ type: 'watch', id });
    await a.next((f) => f.type === 'watching' && f.id === id);
    await s.next((f) => f.type === 'watching' && f.id === id);
    b.send({ type: 'watch', id });
    const refused = await b.next((f) => f.type === 'error' && f.id === id);
    expect(refused.error).toMatch(/may not read/);

    child.send({ type: 'typing' });
    await a.next((f) => f.type === 'typing' && f.id === id && f.from === 'child');
    child.send({ type: 'message', text: 'мне страшно' });
    const msgA = await a.next((f) => f.type === 'message' && f.id === id && f.entry.text === 'мне страшно');
    expect(msgA.entry.from).toBe('child');
    expect(msgA.entry.triage).toBeDefined();
    await s.next((f) => f.type === 'message' && f.id === id && f.entry.text === 'мне страшно');
    await anna.post(`/api/conversations/${id}/messages`, { text: 'Я рядом' });
    await s.next((f) => f.type === 'message' && f.id === id && f.entry.from === 'counselor');
    // Give stray frames time to arrive, then check Boris got nothing of this conversation.
    await new Promise((r) => setTimeout(r, 200));
    const leaked = b.frames.filter((f) => (f.type === 'message' || f.type === 'typing') && f.id === id);
    expect(leaked.filter((f) => f.receivedAt > taken.receivedAt)).toEqual([]);

    b.send({ type: 'nonsense' });
    await b.next((f) => f.type === 'error' && /expected/.test(f.error));
    for (const sock of [a, b, s, child]) sock.close();
  });
});
