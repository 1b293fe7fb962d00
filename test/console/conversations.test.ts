import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { StaffClient, admin, childButton, childSays, consoleSocket, sleep, staff, start, until, webChild } from './helpers.js';

const CRISIS = 'хочу покончить с собой';
const FAKE_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Every console route with the least role that may use it. */
const ROUTES: { method: 'GET' | 'POST' | 'PATCH'; url: string; min: 'counselor' | 'supervisor' | 'admin'; body?: unknown }[] = [
  { method: 'GET', url: '/api/queue', min: 'counselor' },
  { method: 'GET', url: '/api/conversations', min: 'counselor' },
  { method: 'GET', url: `/api/conversations/${FAKE_ID}`, min: 'counselor' },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/claim`, min: 'counselor' },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/messages`, min: 'counselor', body: { text: 'hi' } },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/notes`, min: 'counselor', body: { text: 'hi' } },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/typing`, min: 'counselor' },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/transfer`, min: 'counselor', body: { to: 'queue' } },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/close`, min: 'counselor', body: { category: 'other', outcome: 'other' } },
  { method: 'POST', url: '/api/presence', min: 'counselor', body: { available: false } },
  { method: 'GET', url: '/api/staff', min: 'counselor' },
  { method: 'GET', url: '/api/canned?locale=ru', min: 'counselor' },
  { method: 'GET', url: '/api/meta', min: 'counselor' },
  { method: 'GET', url: '/api/accounts', min: 'admin' },
  { method: 'POST', url: '/api/accounts', min: 'admin', body: { username: 'never', password: 'never-ever-1', role: 'counselor' } },
  { method: 'PATCH', url: '/api/accounts/admin', min: 'admin', body: { role: 'admin' } },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/hand`, min: 'counselor' },
  // The safety net; the audit log (supervisors see the work on conversations, admins all).
  { method: 'GET', url: '/api/audit', min: 'supervisor' },
  { method: 'GET', url: '/api/supervisor/live', min: 'supervisor' },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/whisper`, min: 'supervisor', body: { text: 'hi' } },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/join`, min: 'supervisor' },
  { method: 'POST', url: `/api/conversations/${FAKE_ID}/ack`, min: 'supervisor' },
];

describe('console API: roles and states', () => {
  let app: RunningApp;
  let boss: StaffClient;
  let anna: StaffClient;
  let boris: StaffClient;
  let sveta: StaffClient;
  let edith: StaffClient;

  beforeAll(async () => {
    app = await start();
    boss = await admin(app);
    [anna, boris, sveta, edith] = await Promise.all([
      staff(app, boss, 'anna', 'counselor'),
      staff(app, boss, 'boris', 'counselor'),
      staff(app, boss, 'sveta', 'supervisor'),
      staff(app, boss, 'edith', 'editor'),
    ]);
  });
  afterAll(() => app.close());

  it('answers 401 to every route without a session', async () => {
    const anon = new StaffClient(app);
    for (const r of ROUTES) {
      const res = await anon.req(r.method, r.url, r.body);
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
    await expect(consoleSocket(app, anon)).rejects.toMatchObject({ status: 401 });
  });

  it('answers 403 to an editor on every console route, to counselors on supervisor routes, and to both on admin routes', async () => {
    for (const r of ROUTES) {
      expect((await edith.req(r.method, r.url, r.body)).status, `editor ${r.method} ${r.url}`).toBe(403);
      if (r.min !== 'counselor') expect((await anna.req(r.method, r.url, r.body)).status, `counselor ${r.method} ${r.url}`).toBe(403);
      if (r.min === 'admin') expect((await sveta.req(r.method, r.url, r.body)).status, `supervisor ${r.method} ${r.url}`).toBe(403);
    }
    await expect(consoleSocket(app, edith)).rejects.toMatchObject({ status: 403 });
    // An editor may still ask who they are.
    expect((await edith.get('/api/auth/me')).body.user.role).toBe('editor');
  });

  it('answers 404 for an unknown or malformed conversation id', async () => {
    expect((await anna.get(`/api/conversations/${FAKE_ID}`)).status).toBe(404);
    expect((await anna.post(`/api/conversations/${FAKE_ID}/claim`)).status).toBe(404);
    expect((await anna.get('/api/conversations/..%2F..%2Fetc')).status).toBe(404);
  });

  it('lists the queue most urgent first (risk, then longest wait) with what a counselor needs', async () => {
    const low = await childSays(app, 'привет');
    await childButton(app, low.chatKey, 'action:counselor');
    await childButton(app, low.chatKey, 'pre_age:14_17');
    await childButton(app, low.chatKey, 'pre_about:other');
    const high1 = await childSays(app, CRISIS);
    await sleep(5); // waits are kept in ms: two children in the same ms have no order between them
    const high2 = await childSays(app, CRISIS);
    const queue = (await anna.get('/api/queue')).body;
    const ours = queue.filter((q: { id: string }) => [low.id, high1.id, high2.id].includes(q.id));
    expect(ours.map((q: { id: string }) => q.id)).toEqual([high1.id, high2.id, low.id]);
    expect(ours[0]).toMatchObject({ channel: 'webchat', risk: 'high', topic: 'suicide', locale: 'ru', returned: false });
    expect(ours[2]).toMatchObject({ risk: 'low', ageGroup: '14_17', about: 'other' });
    expect(ours[0].position).toBeLessThan(ours[1].position);
    expect(typeof ours[0].waitingSince).toBe('number');
    // Clean up so later tests see their own children first.
    for (const q of ours) await sveta.post(`/api/conversations/${q.id}/close`, { category: 'other', outcome: 'not_genuine' });
  });

  it('opens a waiting transcript with the triage of each message, and writes who opened it to the audit log', async () => {
    const child = await childSays(app, CRISIS);
    const res = await anna.get(`/api/conversations/${child.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: child.id, state: 'queued', risk: 'high', topic: 'suicide' });
    const first = res.body.transcript.find((e: { from: string }) => e.from === 'child');
    expect(first.text).toBe(CRISIS);
    expect(first.triage).toMatchObject({ risk: 'high', topic: 'suicide' });
    expect(first.triage.reasons.length).toBeGreaterThan(0);
    expect(res.body.triage[0]).toMatchObject({ risk: 'high', topic: 'suicide' });
    expect(res.body.transcript.some((e: { from: string }) => e.from === 'bot')).toBe(true);
    const audit = (await boss.get('/api/audit?limit=50')).body;
    expect(audit.find((a: { action: string; target: string }) => a.action === 'open' && a.target === child.id)).toMatchObject({ by: 'anna' });
    await sveta.post(`/api/conversations/${child.id}/close`, { category: 'mental_health', outcome: 'other' });
  });

  it('claims atomically: of two counselors racing, one gets 200 and the other 409 with a clear message', async () => {
    const child = await childSays(app, CRISIS);
    const [a, b] = await Promise.all([anna.post(`/api/conversations/${child.id}/claim`), boris.post(`/api/conversations/${child.id}/claim`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error).toMatch(/another counselor has already taken/);
    const winner = a.status === 200 ? anna : boris;
    const conv = await app.store.getConversation(child.id);
    expect(conv).toMatchObject({ state: 'with_counselor', counselorId: winner.id });
    // Claiming again is harmless for the owner.
    expect((await winner.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    await winner.post(`/api/conversations/${child.id}/close`, { category: 'mental_health', outcome: 'supported' });
    // A closed conversation cannot be claimed.
    const closed = await boris.post(`/api/conversations/${child.id}/claim`);
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatch(/closed/);
  });

  it('relays messages both ways, with typing, notes and canned replies', async () => {
    const { socket: child, id } = await webChild(app, CRISIS, { frameId: 'm1' });
    await until(async () => (await app.store.getConversation(id))?.state === 'queued', 5000, 'queued');

    expect((await anna.post(`/api/conversations/${id}/messages`, { text: 'рано' })).status).toBe(409);
    const claim = await anna.post(`/api/conversations/${id}/claim`);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ id, state: 'with_counselor', counselorId: 'anna', risk: 'high' });
    await child.next((f) => f.type === 'message' && f.text.includes('Консультант на связи'));

    const sent = await anna.post(`/api/conversations/${id}/messages`, { text: 'Я здесь. Ты в безопасности сейчас?' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ from: 'counselor', by: 'anna', text: 'Я здесь. Ты в безопасности сейчас?' });
    await child.next((f) => f.type === 'message' && f.from === 'counselor' && f.text === 'Я здесь. Ты в безопасности сейчас?');

    expect((await anna.post(`/api/conversations/${id}/typing`)).status).toBe(204);
    await child.next((f) => f.type === 'typing' && f.receivedAt > sent.body.at);

    expect((await boris.post(`/api/conversations/${id}/messages`, { text: 'чужой' })).status).toBe(403);
    expect((await boris.post(`/api/conversations/${id}/typing`)).status).toBe(403);
    expect((await anna.post(`/api/conversations/${id}/messages`, { text: '   ' })).status).toBe(400);
    expect((await anna.post(`/api/conversations/${id}/messages`, {})).status).toBe(400);

    child.send({ type: 'message', text: 'да, я дома', id: 'm2' });
    await until(async () => (await app.store.getTranscript(id)).some((e) => e.from === 'child' && e.text === 'да, я дома'), 5000, 'child reply');

    const note = await anna.post(`/api/conversations/${id}/notes`, { text: 'говорит, что дома; спросить про взрослых' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ from: 'note', by: 'anna' });
    expect((await boris.post(`/api/conversations/${id}/notes`, { text: 'x' })).status).toBe(403);
    // The note never reaches the child.
    expect(child.frames.some((f) => typeof f.text === 'string' && f.text.includes('спросить про взрослых'))).toBe(false);

    const canned = (await anna.get('/api/canned?locale=ru')).body;
    expect(canned.length).toBeGreaterThanOrEqual(4);
    expect(canned.every((c: { id: string }) => c.id.startsWith('canned-'))).toBe(true);
    expect(canned.find((c: { id: string }) => c.id === 'canned-112').text).toContain('112');
    expect((await anna.get('/api/canned?locale=en')).body[0].text).toMatch(/[A-Za-z]/);

    // Counselors see their own live chats; supervisors see all; a counselor cannot read a colleague's chat.
    expect((await anna.get('/api/conversations')).body.map((c: { id: string }) => c.id)).toContain(id);
    expect((await boris.get('/api/conversations')).body.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await sveta.get('/api/conversations')).body.map((c: { id: string }) => c.id)).toContain(id);
    expect((await boris.get(`/api/conversations/${id}`)).status).toBe(403);
    expect((await sveta.get(`/api/conversations/${id}`)).status).toBe(200);

    // Close: the category must be one of CHI's; only the owner or a supervisor may close.
    expect((await anna.post(`/api/conversations/${id}/close`, { category: 'made_up', outcome: 'supported' })).status).toBe(400);
    expect((await anna.post(`/api/conversations/${id}/close`, { category: 'violence' })).status).toBe(400);
    expect((await boris.post(`/api/conversations/${id}/close`, { category: 'violence', outcome: 'supported' })).status).toBe(403);
    const closed = await anna.post(`/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported', note: 'safety plan made' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    const conv = await app.store.getConversation(id);
    expect(conv?.meta).toMatchObject({ closeCategory: 'mental_health', closeOutcome: 'supported', pending: 'feedback' });
    // The closing words carry the optional one-question feedback as buttons.
    const closing = await child.next((f) => f.type === 'message' && f.text.includes('Береги себя'));
    expect(closing.buttons.map((b: { value: string }) => b.value)).toEqual(['feedback:helped', 'feedback:partly', 'feedback:not_helped']);
    expect(closing.buttons[0].label).toMatch(/помог/);
    expect((await anna.post(`/api/conversations/${id}/close`, { category: 'other', outcome: 'other' })).status).toBe(409);
    expect((await anna.post(`/api/conversations/${id}/messages`, { text: 'after' })).status).toBe(409);

    // The child's one-question feedback lands on the closed conversation.
    child.send({ type: 'button', value: 'feedback:helped', id: 'f1' });
    await until(async () => (await app.store.getConversation(id))?.meta.feedback === 'helped', 5000, 'feedback');
    await child.next((f) => f.type === 'message' && f.text.startsWith('Спасибо за ответ'));
    expect((await app.store.getConversation(id))?.meta.pending).toBeUndefined();
    // Counted in /metrics by answer only (issue 13, item 14): no conversation id.
    const metrics = (await app.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/helpline_feedback_total\{answer="helped"\} 1\b/);
    expect(metrics).toMatch(/helpline_feedback_total\{answer="not_helped"\} 0\b/);
    expect(metrics).not.toContain(id);
    child.close();
  });

  it('transfers to the queue (to its head, the child is told) and to an online counselor', async () => {
    const waiting = await childSays(app, CRISIS);
    const child = await childSays(app, CRISIS);
    expect((await anna.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);

    expect((await boris.post(`/api/conversations/${child.id}/transfer`, { to: 'queue' })).status).toBe(403);
    expect((await anna.post(`/api/conversations/${child.id}/transfer`, {})).status).toBe(400);
    expect((await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'no-such-person' })).status).toBe(400);
    expect((await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'edith' })).status).toBe(400);
    expect((await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'anna' })).status).toBe(409);

    const back = await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'queue' });
    expect(back.status).toBe(200);
    expect(back.body.state).toBe('queued');
    const queue = (await anna.get('/api/queue')).body;
    // Back at the head of its risk band, ahead of the child who waited longer.
    expect(queue.findIndex((q: { id: string }) => q.id === child.id)).toBeLessThan(queue.findIndex((q: { id: string }) => q.id === waiting.id));
    expect(queue.find((q: { id: string }) => q.id === child.id).returned).toBe(true);
    const said = (await app.store.getTranscript(child.id)).filter((e) => e.from === 'bot').map((e) => e.text);
    // A transfer is not a disconnect (issue 13, item 8): the child hears they are being passed on with the whole conversation.
    expect(said.at(-1)).toBe(app.content.current.i18n.t('ru', 'counselor-handover'));
    expect(said.some((t) => t.includes('отключился'))).toBe(false);
    expect((await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'queue' })).status).toBe(409);

    // To a colleague: they must be online (a console or API call within the grace period).
    expect((await anna.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    const nobody = await staff(app, boss, 'offline-olga', 'counselor');
    await app.store.kvDel('console-seen:offline-olga');
    expect(nobody.id).toBe('offline-olga');
    const offline = await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'offline-olga' });
    expect(offline.status).toBe(409);
    expect(offline.body.error).toMatch(/not online/);
    await boris.get('/api/queue');
    const moved = await anna.post(`/api/conversations/${child.id}/transfer`, { to: 'boris' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ state: 'with_counselor', counselorId: 'boris' });
    expect((await anna.post(`/api/conversations/${child.id}/messages`, { text: 'x' })).status).toBe(403);
    expect((await boris.post(`/api/conversations/${child.id}/messages`, { text: 'Привет, я продолжу' })).status).toBe(201);
    const told = (await app.store.getTranscript(child.id)).filter((e) => e.from === 'bot').map((e) => e.text);
    expect(told.some((t) => t.includes('передали другому консультанту'))).toBe(true);

    // A supervisor may transfer and close any live chat, and close a waiting one.
    expect((await sveta.post(`/api/conversations/${child.id}/transfer`, { to: 'anna' })).status).toBe(200);
    expect((await sveta.post(`/api/conversations/${child.id}/close`, { category: 'violence', outcome: 'referred' })).status).toBe(200);
    expect((await anna.post(`/api/conversations/${waiting.id}/close`, { category: 'other', outcome: 'other' })).status).toBe(403);
    expect((await sveta.post(`/api/conversations/${waiting.id}/close`, { category: 'other', outcome: 'child_left' })).status).toBe(200);
    const audit = (await boss.get('/api/audit?limit=100')).body;
    expect(audit.some((a: { action: string; by: string; detail: string }) => a.action === 'transfer' && a.by === 'anna' && a.detail === 'boris')).toBe(true);
    expect(audit.some((a: { action: string; by: string }) => a.action === 'close' && a.by === 'sveta')).toBe(true);
  });

  it('toggles availability, which the service state counts', async () => {
    expect((await anna.post('/api/presence', { available: true })).body).toEqual({ available: true });
    expect((await anna.post('/api/presence', { available: 'yes' })).status).toBe(400);
    expect((await anna.get('/api/auth/me')).body.available).toBe(true);
    const list = (await sveta.get('/api/staff')).body;
    expect(list.find((s: { id: string }) => s.id === 'anna')).toMatchObject({ available: true, online: true });
    expect(list.some((s: { id: string }) => s.id === 'edith')).toBe(false);
    const meta = (await anna.get('/api/meta')).body;
    expect(meta).toMatchObject({ open: true, openingHours: '24/7', available: 1 });
    expect(meta.categories).toContain('missing_children');
    expect((await anna.post('/api/presence', { available: false })).status).toBe(200);
    expect((await anna.get('/api/meta')).body.available).toBe(0);
  });

  it('lets admins manage accounts', async () => {
    const created = await boss.post('/api/accounts', { username: 'New.Person', password: 'long-enough-1', role: 'supervisor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'new.person', role: 'supervisor', createdBy: 'admin' });
    expect(created.body.hash).toBeUndefined();
    expect((await boss.post('/api/accounts', { username: 'new.person', password: 'long-enough-1', role: 'counselor' })).status).toBe(409);
    expect((await boss.post('/api/accounts', { username: 'x', password: 'long-enough-1', role: 'counselor' })).status).toBe(400);
    expect((await boss.post('/api/accounts', { username: 'shorty', password: 'short', role: 'counselor' })).status).toBe(400);
    expect((await boss.post('/api/accounts', { username: 'king', password: 'long-enough-1', role: 'king' })).status).toBe(400);
    const list = (await boss.get('/api/accounts')).body;
    expect(list.find((a: { id: string }) => a.id === 'new.person')).toBeDefined();
    expect(JSON.stringify(list)).not.toContain('scrypt');
    expect((await boss.req('PATCH', '/api/accounts/new.person', { role: 'counselor' })).body.role).toBe('counselor');
    expect((await boss.req('PATCH', '/api/accounts/new.person', {})).status).toBe(400);
    expect((await boss.req('PATCH', '/api/accounts/ghost', { role: 'counselor' })).status).toBe(404);
    expect((await boss.req('PATCH', '/api/accounts/admin', { disabled: true })).status).toBe(409);
    expect((await boss.req('PATCH', '/api/accounts/admin', { role: 'counselor' })).status).toBe(409);
    const audit = (await boss.get('/api/audit')).body;
    expect(audit.some((a: { action: string; target: string }) => a.action === 'account-create' && a.target === 'new.person')).toBe(true);
  });
});
