// The supervisor safety net through the real API and live feed (real fastify, the real web chat
// socket for the child), on the memory store and on Redis. Time-based rules run through
// core.safety.run(at): a later clock instead of real waiting.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { REDIS_URL } from '../store/implementations.js';
import { Socket, StaffClient, admin, consoleSocket, sleep, staff, start, until, webChild, wsUrl } from './helpers.js';

const IMMINENT = 'я уже выпила все таблетки';
const HIGH = 'хочу покончить с собой';
const MIN = 60_000;

const stores = [
  { name: 'memory', env: {} as Record<string, string> },
  { name: 'redis', env: { REDIS_URL, REDIS_PREFIX: `test-safety-${randomUUID()}` } },
];

async function metric(app: RunningApp, name: string): Promise<number> {
  const text = (await app.app.inject({ url: '/metrics' })).body;
  const lines = text.split('\n').filter((l) => l.startsWith(name));
  return lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

for (const store of stores) {
  describe(`supervisor safety net (${store.name})`, () => {
    let app: RunningApp;
    let boss: StaffClient;
    let anna: StaffClient;
    let boris: StaffClient;
    let sveta: StaffClient;

    beforeAll(async () => {
      app = await start({ ...store.env, COUNSELOR_MAX_CHATS: '2' });
      boss = await admin(app);
      [anna, boris, sveta] = await Promise.all([
        staff(app, boss, 'anna', 'counselor'),
        staff(app, boss, 'boris', 'counselor'),
        staff(app, boss, 'sveta', 'supervisor'),
      ]);
    });
    afterAll(() => app.close());

    /** A child in crisis on the web chat, taken by `by`. */
    async function liveChat(by: StaffClient, text = HIGH) {
      const child = await webChild(app, text);
      await until(async () => (await by.post(`/api/conversations/${child.id}/claim`)).status === 200, 5000, 'claim');
      return child;
    }

    async function closeChat(id: string, by: StaffClient = anna) {
      return by.post(`/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported' });
    }

    it('whisper: the counselor sees it inline, the child never receives it (not live, not in history)', async () => {
      const { socket: child, id, secret } = await liveChat(anna);
      const a = await consoleSocket(app, anna);
      a.send({ type: 'watch', id });
      await a.next((f) => f.type === 'watching');
      // Counselors cannot whisper.
      expect((await boris.post(`/api/conversations/${id}/whisper`, { text: 'x' })).status).toBe(403);
      expect((await sveta.post(`/api/conversations/${id}/whisper`, { text: '' })).status).toBe(400);
      const hint = `Спроси про план <b>${randomUUID().slice(0, 6)}</b>`;
      const res = await sveta.post(`/api/conversations/${id}/whisper`, { text: hint });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ from: 'whisper', by: 'sveta', to: 'anna', text: hint });
      const seen = await a.next((f) => f.type === 'message' && f.id === id && f.entry.from === 'whisper');
      expect(seen.entry.text).toBe(hint);
      // The counselor's next message does reach the child: the channel works, and the whisper is not in it.
      await anna.post(`/api/conversations/${id}/messages`, { text: 'Я здесь' });
      await child.next((f) => f.type === 'message' && f.text === 'Я здесь');
      expect(child.frames.some((f) => JSON.stringify(f).includes(hint.slice(-10)))).toBe(false);
      // Nor after a reload: the history frame is the child's view.
      child.close();
      const again = await Socket.open(wsUrl(app, `/webchat/ws?session=${secret}`));
      const history = await again.next((f) => f.type === 'history');
      expect(history.messages.some((m: { text: string }) => m.text === 'Я здесь')).toBe(true);
      expect(JSON.stringify(history)).not.toContain(hint.slice(-10));
      // Staff see it in the transcript, attributed.
      const detail = await anna.get(`/api/conversations/${id}`);
      expect(detail.body.transcript.find((e: { from: string }) => e.from === 'whisper')).toMatchObject({ by: 'sveta', to: 'anna' });
      again.close();
      a.close();
      await closeChat(id);
    });

    it('join: after joining, the supervisor writes to the child as a second counselor', async () => {
      const { socket: child, id } = await liveChat(anna);
      expect((await sveta.post(`/api/conversations/${id}/messages`, { text: 'рано' })).status).toBe(403);
      expect((await boris.post(`/api/conversations/${id}/join`)).status).toBe(403);
      const joined = await sveta.post(`/api/conversations/${id}/join`);
      expect(joined.status).toBe(200);
      expect(joined.body.joined).toEqual(['sveta']);
      await child.next((f) => f.type === 'message' && /подключился ещё один консультант/.test(f.text));
      expect((await sveta.post(`/api/conversations/${id}/messages`, { text: 'Я тоже здесь, с тобой' })).status).toBe(201);
      const got = await child.next((f) => f.type === 'message' && f.text === 'Я тоже здесь, с тобой');
      expect(got.from).toBe('counselor');
      // The counselor still writes too, and the chat stays theirs.
      expect((await anna.post(`/api/conversations/${id}/messages`, { text: 'И я' })).status).toBe(201);
      await child.next((f) => f.type === 'message' && f.text === 'И я');
      expect((await anna.get(`/api/conversations/${id}`)).body.counselorId).toBe('anna');
      child.close();
      await closeChat(id);
    });

    it('imminent: unacknowledged after IMMINENT_ACK_SECONDS the alert repeats to every supervisor and admin online, counted in /metrics; ack stops it', async () => {
      const [s, b, a] = await Promise.all([consoleSocket(app, sveta), consoleSocket(app, boss), consoleSocket(app, anna)]);
      const before = await metric(app, 'helpline_imminent_unacknowledged_total');
      const { socket: child, id } = await liveChat(anna, IMMINENT);
      const conv = (await sveta.get(`/api/conversations/${id}`)).body;
      expect(conv.risk).toBe('imminent');
      const since = conv.imminent.since as number;
      expect(since).toBeGreaterThan(0);
      // Not yet: one second short of the minute.
      expect((await app.core.safety.run(since + MIN - 1000, true)).filter((x) => x.id === id)).toEqual([]);
      const done = await app.core.safety.run(since + MIN, true);
      expect(done.filter((x) => x.id === id)).toEqual([{ type: 'repeat_alert', id }]);
      const [rs, rb] = await Promise.all([
        s.next((f) => f.type === 'safety' && f.kind === 'repeat' && f.id === id),
        b.next((f) => f.type === 'safety' && f.kind === 'repeat' && f.id === id),
      ]);
      expect(rs).toMatchObject({ risk: 'imminent', counselorId: 'anna' });
      expect(rb.id).toBe(id);
      expect(await metric(app, 'helpline_imminent_unacknowledged_total')).toBe(before + 1);
      // The metric carries no id.
      expect((await app.app.inject({ url: '/metrics' })).body).not.toContain(id);
      // A counselor cannot acknowledge; a supervisor can, and it is audited.
      expect((await anna.post(`/api/conversations/${id}/ack`)).status).toBe(403);
      const acked = await sveta.post(`/api/conversations/${id}/ack`);
      expect(acked.status).toBe(200);
      expect(acked.body.imminent).toMatchObject({ ackBy: 'sveta' });
      await a.next((f) => f.type === 'safety' && f.kind === 'ack' && f.id === id && f.by === 'sveta');
      expect((await app.core.safety.run(since + 10 * MIN, true)).filter((x) => x.id === id)).toEqual([]);
      expect(await metric(app, 'helpline_imminent_unacknowledged_total')).toBe(before + 1);
      // Only an imminent chat is acknowledged.
      const high = await webChild(app, HIGH);
      const refused = await sveta.post(`/api/conversations/${high.id}/ack`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('not_imminent');
      for (const x of [s, b, a, child, high.socket]) x.close();
      await closeChat(id);
      await sveta.post(`/api/conversations/${high.id}/close`, { category: 'mental_health', outcome: 'supported' });
    });

    it('raise hand: one click shows in the supervisor live view and feed; a whisper answers it', async () => {
      const s = await consoleSocket(app, sveta);
      const { socket: child, id } = await liveChat(anna);
      expect((await boris.post(`/api/conversations/${id}/hand`)).status).toBe(403);
      const raised = await anna.post(`/api/conversations/${id}/hand`);
      expect(raised.status).toBe(200);
      expect(raised.body.hand).toMatchObject({ by: 'anna' });
      await s.next((f) => f.type === 'safety' && f.kind === 'hand' && f.id === id && f.by === 'anna');
      const live = await s.next((f) => f.type === 'live' && f.chats.some((c: { id: string; hand?: unknown }) => c.id === id && c.hand), 5000);
      expect(live.chats.find((c: { id: string }) => c.id === id)).toMatchObject({ counselorId: 'anna', state: 'with_counselor', hand: { by: 'anna' } });
      // Counselors get no live view.
      expect((await anna.get('/api/supervisor/live')).status).toBe(403);
      await sveta.post(`/api/conversations/${id}/whisper`, { text: 'Я смотрю, всё правильно' });
      await s.next((f) => f.type === 'safety' && f.kind === 'hand_lowered' && f.id === id);
      expect((await sveta.get('/api/supervisor/live')).body.chats.find((c: { id: string }) => c.id === id).hand).toBeUndefined();
      s.close();
      child.close();
      await closeChat(id);
    });

    it('live view: every chat with risk, counselor, the child\'s last message and the counselor\'s last reply', async () => {
      const { socket: child, id } = await liveChat(anna);
      const waiting = await webChild(app, 'мне одиноко, хочу поговорить с человеком');
      child.send({ type: 'message', text: 'ты тут?' });
      await until(async () => (await anna.get(`/api/conversations/${id}`)).body.transcript.some((e: { text: string }) => e.text === 'ты тут?'), 5000, 'child message');
      let view = (await sveta.get('/api/supervisor/live')).body;
      let row = view.chats.find((c: { id: string }) => c.id === id);
      expect(row).toMatchObject({ risk: 'high', counselorId: 'anna', channel: 'webchat', online: true });
      expect(row.lastChildAt).toBeGreaterThan(0);
      expect(row.lastCounselorAt).toBeUndefined();
      await anna.post(`/api/conversations/${id}/messages`, { text: 'Да, я тут' });
      view = (await sveta.get('/api/supervisor/live')).body;
      row = view.chats.find((c: { id: string }) => c.id === id);
      expect(row.lastCounselorAt).toBeGreaterThanOrEqual(row.lastChildAt);
      // No child text in the live view.
      expect(JSON.stringify(view)).not.toContain('ты тут');
      expect(view.counselors.find((c: { id: string }) => c.id === 'anna')).toMatchObject({ online: true, holding: 1 });
      expect(view.supervisorsOnline).toBeGreaterThanOrEqual(1);
      child.close();
      waiting.socket.close();
      await closeChat(id);
      await sveta.post(`/api/conversations/${waiting.id}/close`, { category: 'other', outcome: 'supported' });
    });

    it('COUNSELOR_MAX_CHATS: a claim beyond the cap is refused with a code and the cap; a transfer to a full counselor too', async () => {
      const one = await liveChat(boris);
      const two = await liveChat(boris);
      const three = await webChild(app, HIGH);
      const refused = await boris.post(`/api/conversations/${three.id}/claim`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'at_capacity', params: { max: 2, holding: 2 } });
      // The child still waits for someone else.
      expect((await anna.get('/api/queue')).body.some((q: { id: string }) => q.id === three.id)).toBe(true);
      // Anna's chat cannot be handed to Boris while he is full.
      const a = await consoleSocket(app, boris);
      const annas = await liveChat(anna);
      const transfer = await anna.post(`/api/conversations/${annas.id}/transfer`, { to: 'boris' });
      expect(transfer.body.code).toBe('at_capacity');
      // Closing one frees a place.
      await closeChat(one.id, boris);
      expect((await boris.post(`/api/conversations/${three.id}/claim`)).status).toBe(200);
      for (const x of [one, two, three, annas]) x.socket.close();
      a.close();
      for (const c of [two, three]) await closeChat(c.id, boris);
      await closeChat(annas.id, anna);
    });

    it('cool-down after a high chat (not after a low one); the supervisor sees who had how many this shift', async () => {
      const before = (await sveta.get('/api/supervisor/live')).body.counselors.find((c: { id: string }) => c.id === 'boris').heavyChats;
      const heavy = await liveChat(boris);
      const closed = await closeChat(heavy.id, boris);
      expect(closed.body.cooldown).toBe(true);
      const light = await webChild(app, 'позови человека пожалуйста');
      // Not urgent: the bot offers a counselor, then two short questions (age, about whom); the card shows the age group.
      await light.socket.next((f) => f.type === 'message' && f.buttons?.some((b: { value: string }) => b.value === 'action:counselor'));
      light.socket.send({ type: 'button', value: 'action:counselor' });
      await light.socket.next((f) => f.type === 'message' && f.buttons?.some((b: { value: string }) => b.value.startsWith('pre_age:')));
      light.socket.send({ type: 'button', value: 'pre_age:14_17' });
      await light.socket.next((f) => f.type === 'message' && f.buttons?.some((b: { value: string }) => b.value.startsWith('pre_about:')));
      light.socket.send({ type: 'button', value: 'pre_about:self' });
      const lightCard = await until(async () => (await anna.get('/api/queue')).body.find((q: { id: string }) => q.id === light.id), 5000, 'queued');
      expect(lightCard).toMatchObject({ ageGroup: '14_17', risk: expect.not.stringMatching(/high|imminent/), preview: 'позови человека пожалуйста' });
      await boris.post(`/api/conversations/${light.id}/claim`);
      expect((await anna.get(`/api/conversations/${light.id}`)).status).toBe(403);
      const lightClosed = await closeChat(light.id, boris);
      expect(lightClosed.body.cooldown).toBe(false);
      const after = (await sveta.get('/api/supervisor/live')).body.counselors.find((c: { id: string }) => c.id === 'boris').heavyChats;
      expect(after).toBe(before + 1);
      heavy.socket.close();
      light.socket.close();
    });

    it('queue cards: online/offline with last seen, channel, age group, preview; offline too long → abandoned, back → old place', async () => {
      const first = await webChild(app, `${HIGH}, мама опять кричит`);
      const second = await webChild(app, HIGH);
      const card = async (id: string) => (await anna.get('/api/queue')).body.find((q: { id: string }) => q.id === id);
      await until(async () => (await card(first.id))?.online === true && (await card(second.id))?.online === true, 5000, 'online cards');
      const c1 = await card(first.id);
      expect(c1).toMatchObject({ channel: 'webchat', risk: 'high', online: true, preview: `${HIGH}, мама опять кричит` });
      expect(c1.lastSeen).toBeGreaterThan(0);
      const position = c1.position as number;
      // The child closes the tab: offline, last seen then.
      first.socket.close();
      await until(async () => (await card(first.id))?.online === false, 5000, 'offline card');
      const lastSeen = (await card(first.id)).lastSeen as number;
      const before = await metric(app, 'helpline_queue_abandoned_total');
      const s = await consoleSocket(app, sveta);
      // Fourteen minutes: still waiting. Fifteen: abandoned.
      expect((await app.core.safety.run(lastSeen + 14 * MIN, true)).filter((x) => x.id === first.id)).toEqual([]);
      const out = await app.core.safety.run(lastSeen + 15 * MIN, true);
      expect(out.filter((x) => x.id === first.id)).toEqual([{ type: 'abandon', id: first.id }]);
      // The child who is still there is not let go.
      expect(out.some((x) => x.id === second.id)).toBe(false);
      await s.next((f) => f.type === 'abandoned' && f.id === first.id);
      expect(await card(first.id)).toBeUndefined();
      expect(await metric(app, 'helpline_queue_abandoned_total')).toBe(before + 1);
      // The conversation is kept.
      const kept = (await sveta.get(`/api/conversations/${first.id}`)).body;
      expect(kept.state).toBe('bot');
      expect(kept.transcript.some((e: { text: string }) => e.text.includes('мама опять кричит'))).toBe(true);
      // A child who came after them.
      const later = await webChild(app, HIGH);
      // Back: the page opens again with the resume secret.
      const back = await Socket.open(wsUrl(app, `/webchat/ws?session=${first.secret}`));
      await back.next((f) => f.type === 'message' && /место в очереди сохранено/.test(f.text));
      const again = await until(async () => card(first.id), 5000, 'back in the queue');
      expect(again.position).toBe(position);
      expect(again.online).toBe(true);
      expect(again.position).toBeLessThan((await card(later.id)).position);
      for (const x of [s, back, second.socket, later.socket]) x.close();
      for (const c of [first, second, later]) await sveta.post(`/api/conversations/${c.id}/close`, { category: 'other', outcome: 'child_left' });
    });

    it('audit: every supervisor action, in words, filtered by person, action and date; supervisors see no sign-ins', async () => {
      const all = (await boss.get('/api/audit?by=sveta&limit=500')).body as { action: string; text: string; by: string }[];
      const actions = new Set(all.map((e) => e.action));
      for (const a of ['whisper', 'join', 'ack']) expect(actions).toContain(a);
      expect(all.every((e) => e.by === 'sveta')).toBe(true);
      const acks = (await boss.get('/api/audit?action=ack')).body as { text: string; actionText: string }[];
      expect(acks.length).toBeGreaterThan(0);
      expect(acks[0]!.actionText).toBe('подтверждение немедленного риска');
      expect(acks[0]!.text).toMatch(/^sveta — подтверждение немедленного риска, разговор /);
      const en = (await boss.get('/api/audit?action=ack&locale=en')).body as { actionText: string }[];
      expect(en[0]!.actionText).toBe('acknowledged an imminent risk');
      const today = new Date().toISOString().slice(0, 10);
      expect(((await boss.get(`/api/audit?action=ack&from=${today}&to=${today}`)).body as unknown[]).length).toBe(acks.length);
      expect((await boss.get('/api/audit?action=ack&to=2000-01-01')).body).toEqual([]);
      expect((await boss.get('/api/audit?from=yesterday')).status).toBe(400);
      const hands = (await sveta.get('/api/audit?action=hand&by=anna')).body as { by: string }[];
      expect(hands.length).toBeGreaterThan(0);
      // A supervisor sees the work on conversations, not sign-ins; counselors see nothing.
      expect((await sveta.get('/api/audit?action=login')).body).toEqual([]);
      expect(((await sveta.get('/api/audit?limit=1000')).body as { action: string }[]).some((e) => e.action === 'login')).toBe(false);
      expect(((await boss.get('/api/audit?action=login')).body as unknown[]).length).toBeGreaterThan(0);
      expect((await anna.get('/api/audit')).status).toBe(403);
    });
  });
}

describe('supervisor safety net: nobody on shift to acknowledge', () => {
  it('tells the counselor holding an imminent chat that no supervisor is online', async () => {
    const app = await start({ COUNSELOR_GRACE_SECONDS: '60' });
    try {
      const boss = await admin(app);
      const vera = await staff(app, boss, 'vera', 'counselor');
      // The admin signed in above: its sign of life ends with the grace period; here, it is signed out.
      await boss.post('/api/auth/logout');
      await app.store.markSeen('admin', 1);
      await sleep(5);
      const v = await consoleSocket(app, vera);
      const { socket: child, id } = await webChild(app, IMMINENT);
      await until(async () => (await vera.post(`/api/conversations/${id}/claim`)).status === 200, 5000, 'claim');
      const since = (await vera.get(`/api/conversations/${id}`)).body.imminent.since as number;
      const out = await app.core.safety.run(since + MIN, true);
      expect(out).toEqual([
        { type: 'repeat_alert', id },
        { type: 'tell_no_supervisor', id, counselorId: 'vera' },
      ]);
      await v.next((f) => f.type === 'no_supervisor' && f.id === id && f.counselorId === 'vera');
      v.close();
      child.close();
    } finally {
      await app.close();
    }
  });
});
