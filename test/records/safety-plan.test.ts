// The safety plan: the counselor fills it in, the child gets it as one clear message on their own
// channel (the web chat's socket, and Telegram through the Bot API stand-in), and "мой план" sends
// it again, after the close and in the chat's next conversation. The record notes only that a
// plan was made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { admin, childSays, staff, start, until, webChild, type StaffClient } from '../console/helpers.js';
import { signIn, startHarness, type Harness } from '../telegram/harness.js';
import { newChild, textUpdate } from '../telegram/updates.js';

const PLAN = {
  warningSigns: ['не могу уснуть', 'хочется ни с кем не говорить'],
  helps: ['гулять с собакой Жучкой'],
  people: ['тётя Оля'],
  places: ['библиотека на Садовой'],
  numbers: ['тётя Оля: 8-900-000-00-00'],
};
const CRISIS = 'хочу покончить с собой';

describe('the safety plan on the web chat', () => {
  let app: RunningApp;
  let anna: StaffClient;
  let boris: StaffClient;
  beforeAll(async () => {
    app = await start({ RECORDS_DIR: 'memory://' });
    const boss = await admin(app);
    anna = await staff(app, boss, 'anna', 'counselor');
    boris = await staff(app, boss, 'boris', 'counselor');
  }, 60_000);
  afterAll(() => app?.close());

  it('reaches the child as one message with every section and the numbers, comes again on "мой план", also in the next conversation', async () => {
    const child = await webChild(app, CRISIS);
    expect((await anna.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    // Only the counselor who has the chat sends it; a plan needs at least one line.
    expect((await boris.post(`/api/conversations/${child.id}/safety-plan`, PLAN)).status).toBe(403);
    const empty = await anna.post(`/api/conversations/${child.id}/safety-plan`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/^a plan needs at least one line/);
    expect((await anna.post(`/api/conversations/${child.id}/safety-plan`, { ...PLAN, name: 'x' })).body.error).toMatch(/Unrecognized key: "name"/);

    const before = child.socket.frames.length;
    const sent = await anna.post(`/api/conversations/${child.id}/safety-plan`, PLAN);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const msg = await child.socket.next((f) => f.type === 'message' && f.text.startsWith('Твой план безопасности'));
    // One message: nothing else arrived with it.
    expect(child.socket.frames.slice(before).filter((f) => f.type === 'message')).toHaveLength(1);
    for (const line of Object.values(PLAN).flat()) expect(msg.text).toContain(`• ${line}`);
    expect(msg.text).toContain('Что мне помогает:');
    expect(msg.text).toContain('8-800-2000-122');
    expect(msg.text).toContain('112');
    expect(msg.text).toContain('Напиши «мой план»');

    expect((await anna.post(`/api/conversations/${child.id}/close`, { subcategories: ['mental_health.suicidal_thoughts'], outcome: 'supported', assessment: { wishDead: 'yes', thoughts: 'yes', method: 'no', intent: 'no', plan: 'no', behaviour: 'no', timeFrame: 'this_week' } })).status).toBe(200);
    await app.records.flush();
    const rec = await (await app.records.repository()).get(child.id);
    expect(rec!.safety_plan).toBe(true);
    // The plan's words are the child's situation: not in the record.
    for (const word of ['Жучк', 'Оля', 'Садов', 'уснуть']) expect(JSON.stringify(rec)).not.toContain(word);

    // After the close: "мой план" answers with the plan, not a new conversation's greeting.
    const n = child.socket.frames.length;
    child.socket.send({ type: 'message', text: 'Мой план!' });
    const again = await child.socket.next((f) => f.type === 'message' && f.text.startsWith('Твой план безопасности') && child.socket.frames.indexOf(f) >= n, 5000, false);
    expect(again.text).toBe(msg.text);
  });

  it('stays the child\'s in the chat\'s next conversation; a chat without a plan gets the usual answer', async () => {
    const chatKey = `w-plan-${Date.now()}`;
    const { id } = await childSays(app, CRISIS, chatKey);
    await anna.post(`/api/conversations/${id}/claim`);
    await anna.post(`/api/conversations/${id}/safety-plan`, { helps: ['музыка'] });
    await anna.post(`/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported' });
    await childSays(app, 'привет', chatKey);
    const next = await app.store.findChat('webchat', chatKey);
    expect(next).not.toBe(id);
    await childSays(app, 'мой план', chatKey);
    const lines = await app.store.getTranscript(next!);
    expect(lines.at(-1)!.text).toContain('• музыка');
    const other = await childSays(app, 'мой план');
    expect((await app.store.getTranscript(other.id)).some((e) => e.text.includes('Твой план безопасности'))).toBe(false);
  });
});

describe('the safety plan on Telegram (Bot API stand-in)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => h?.close());

  it('is sent to the Telegram chat as one message and again on "my plan"', async () => {
    const child = newChild('en');
    await h.api.push(textUpdate(child, 'i want to kill myself'));
    const id = await until(() => h.app.store.findChat('telegram', String(child.chatId)), 5000, 'the conversation');
    const staffConsole = await signIn(h);
    expect((await staffConsole.call('POST', `/api/conversations/${id}/claim`)).status).toBe(200);
    const res = await staffConsole.call('POST', `/api/conversations/${id}/safety-plan`, { helps: ['music'], numbers: ['aunt: 555'] });
    expect(res.status).toBe(201);
    const msg = await h.api.waitFor(() => h.api.sentTo(child.chatId).find((m) => m.text?.startsWith('Your safety plan')), 5000, 'the plan');
    expect(msg.text).toContain('What helps me:\n• music');
    expect(msg.text).toContain('8-800-2000-122');
    const count = () => h.api.sentTo(child.chatId).filter((m) => m.text?.startsWith('Your safety plan')).length;
    await h.api.push(textUpdate(child, 'my plan'));
    await h.api.waitFor(() => count() === 2 || null, 5000, 'the plan again');
  });
});
