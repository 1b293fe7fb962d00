// Blocking an abusive contact (issue 18): a supervisor blocks the identity behind a conversation
// for 1–365 days with a reason (audited); the blocked child still gets the numbers at once, and a
// crisis message from a blocked identity still goes the whole crisis way; the block expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { Blocking } from '../../src/core/use-cases/blocking.js';
import { identityKeys } from '../../src/core/profiles.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { admin, start, staff, webChild, type StaffClient } from './helpers.js';

describe('blocking a contact', () => {
  let app: RunningApp;
  let boss: StaffClient;
  let sveta: StaffClient;
  let ivan: StaffClient;
  beforeAll(async () => {
    app = await start();
    boss = await admin(app);
    sveta = await staff(app, boss, 'sveta', 'supervisor');
    ivan = await staff(app, boss, 'ivan', 'counselor');
  });
  afterAll(() => app?.close());

  it('a supervisor blocks with a reason; the child then gets the numbers only, a crisis still reaches staff; unblock restores', async () => {
    const { socket, id } = await webChild(app, 'привет');
    await socket.next((f) => f.type === 'message' && f.from === 'bot' && !f.welcome);

    expect((await ivan.post(`/api/conversations/${id}/block`, { days: 7, reason: 'оскорбления' })).status).toBe(403);
    expect((await sveta.post(`/api/conversations/${id}/block`, { days: 0, reason: 'оскорбления' })).status).toBe(400);
    expect((await sveta.post(`/api/conversations/${id}/block`, { days: 400, reason: 'оскорбления' })).status).toBe(400);
    expect((await sveta.post(`/api/conversations/${id}/block`, { days: 7 })).status).toBe(400);
    const blocked = await sveta.post(`/api/conversations/${id}/block`, { days: 7, reason: 'оскорбления в каждом сообщении' });
    expect(blocked.status).toBe(200);
    expect(blocked.body.until).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    // Anything but a crisis: the numbers and until when, nothing else, not queued.
    const seen = socket.frames.length;
    socket.send({ type: 'message', text: 'ты тупой бот', id: 'b1' });
    const answer = await socket.next((f) => f.type === 'message' && f.from === 'bot' && socket.frames.indexOf(f) >= seen);
    expect(answer.text.split('\n')[0]).toBe(app.content.current.i18n.t('ru', 'blocked-answer', { date: new Intl.DateTimeFormat('ru', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(blocked.body.until) }).split('\n')[0]);
    expect(answer.text).toContain('8-800-2000-122');
    expect(answer.text).toContain('112');
    expect((await app.store.getConversation(id))?.state).toBe('bot');

    // A crisis from the blocked identity: the crisis answer and the queue, marked for staff.
    socket.send({ type: 'message', text: 'я хочу покончить с собой', id: 'b2' });
    await socket.next((f) => f.type === 'ack' && f.id === 'b2');
    const conv = await app.store.getConversation(id);
    expect(conv?.state).toBe('queued');
    expect(['high', 'imminent']).toContain(conv?.risk);
    expect((await sveta.get(`/api/conversations/${id}`)).body.blocked).toBe(true);

    const audit = JSON.stringify((await boss.get('/api/audit?limit=20')).body);
    expect(audit).toContain('block');
    expect(audit).toContain('оскорбления в каждом сообщении');

    expect((await sveta.del(`/api/conversations/${id}/block`)).status).toBe(200);
    expect(await app.core.blocking.of(conv!.channel, conv!.chatKey)).toBeNull();
    socket.close();
  });

  it('a block ends by itself when its days are over', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ botMs: 60_000, handledMs: 60_000 });
    const blocking = new Blocking(store, identityKeys(undefined), () => now);
    await store.saveConversation({ id: 'c1', channel: 'webchat', chatKey: 'k1', locale: 'ru', state: 'bot', risk: 'none', topic: 'other', createdAt: now, updatedAt: now, meta: {} });
    await blocking.block('c1', 1, 'spam', 'sveta');
    expect(await blocking.of('webchat', 'k1')).toMatchObject({ reason: 'spam' });
    expect(await blocking.of('webchat', 'k2')).toBeNull();
    now += 24 * 3600_000 + 1;
    expect(await blocking.of('webchat', 'k1')).toBeNull();
  });
});
