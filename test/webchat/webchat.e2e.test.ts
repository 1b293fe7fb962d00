import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { conversationOf } from '../helpers/webchat.js';
import { ChatClient } from '../helpers/ws-client.js';

let app: RunningApp;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  app = await startApp({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' }, pino({ level: 'info' }, sink));
});
afterAll(async () => {
  await app?.close();
});

/** A reply to what the child sent (the welcome comes on open, unasked). */
const isMessage = (f: { type: string; welcome?: unknown }) => f.type === 'message' && !f.welcome;

describe('web chat over a real WebSocket', () => {
  it('starts with a session frame and, unasked, the greeting with what is kept and the menu (issue 13, items 1 and 2); "привет" then gets the menu', async () => {
    const openedAt = Date.now();
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    // The resume secret: 256 random bits, for this browser only.
    expect(String(session.id)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const welcome = await c.waitFor((f) => f.type === 'message' && f.welcome === true, 1000);
    expect(Date.now() - openedAt).toBeLessThan(1000);
    expect(welcome.text).toBe(app.content.current.i18n.t('ru', 'greeting'));
    // What is kept and for how long comes from the retention settings (defaults: 24 hours, 30 days).
    expect(welcome.text).toContain('24 часа');
    expect(welcome.text).toContain('30 дней');
    expect(welcome.text).not.toContain('никто не узнает');
    expect((welcome.buttons as { value: string }[]).map((b) => b.value)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
    // Nothing is stored for a page that only opened.
    expect(await conversationOf(app, String(session.id))).toBeNull();

    c.send({ type: 'message', text: 'привет' });
    const reply = await c.waitFor(isMessage);
    expect(reply.text).toBe(app.content.current.i18n.t('ru', 'menu'));
    // The conversation starts with the greeting the child saw, and it is not said twice.
    const transcript = await app.store.getTranscript((await conversationOf(app, String(session.id)))!);
    expect(transcript.map((e) => e.from)).toEqual(['bot', 'child', 'bot']);
    expect(transcript[0]!.text).toBe(welcome.text);
    expect(c.frames.filter((f) => f.type === 'message' && f.text === welcome.text)).toHaveLength(1);

    // "More": what is kept, who reads it, the one exception.
    c.send({ type: 'button', value: 'action:privacy' });
    const more = await c.waitFor((f) => isMessage(f) && f.text !== reply.text);
    expect(more.text).toBe(app.content.current.i18n.t('ru', 'privacy-details'));
    c.close();
  });

  it('a crisis phrase gets the numbers at once and the conversation is queued at high or imminent', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'хочу покончить с собой' });
    const reply = await c.waitFor(isMessage);
    expect(reply.text).toContain('8-800-2000-122');
    expect(reply.text).toContain('112');
    const queue = await c.waitFor((f) => f.type === 'queue');
    expect(queue.position).toBeGreaterThanOrEqual(1);
    const id = (await conversationOf(app, String(session.id)))!;
    const item = (await app.store.listQueue()).find((q) => q.id === id);
    expect(['high', 'imminent']).toContain(item?.risk);
    const conv = await app.store.getConversation(id);
    expect(conv?.state).toBe('queued');
    c.close();
  });

  it('reconnecting with ?session=ID resumes the conversation with its history', async () => {
    const a = await ChatClient.connect(app.url);
    const s1 = await a.waitFor((f) => f.type === 'session');
    a.send({ type: 'message', text: 'привет' });
    await a.waitFor(isMessage);
    a.close();
    const b = await ChatClient.connect(app.url, `?session=${s1.id}`);
    const s2 = await b.waitFor((f) => f.type === 'session');
    expect(s2.id).toBe(s1.id);
    const history = await b.waitFor((f) => f.type === 'history');
    expect((history.messages as { from: string; text: string }[]).map((m) => m.from)).toEqual(['bot', 'child', 'bot']);
    // A resumed chat is not greeted again: its history has the greeting.
    await new Promise((r) => setTimeout(r, 100));
    expect(b.frames.some((f) => f.welcome === true)).toBe(false);
    // A malformed session secret starts a fresh chat (with a new secret) rather than failing.
    const c = await ChatClient.connect(app.url, '?session=does-not-exist');
    expect((await c.waitFor((f) => f.type === 'session')).id).not.toBe('does-not-exist');
    b.close();
    c.close();
  });

  it('the conversation id staff see does not open the child’s chat; resumes are limited per address', async () => {
    const a = await ChatClient.connect(app.url);
    const s1 = await a.waitFor((f) => f.type === 'session');
    a.send({ type: 'message', text: 'меня бьют дома, никому не говори' });
    await a.waitFor(isMessage);
    const id = (await conversationOf(app, String(s1.id)))!;
    expect(id).not.toBe(s1.id);
    // A counselor who knows the id tries it as a resume secret: a fresh, empty chat, no history.
    const spy = await ChatClient.connect(app.url, `?session=${id}`);
    const s2 = await spy.waitFor((f) => f.type === 'session');
    expect(s2.id).not.toBe(s1.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(spy.frames.some((f) => f.type === 'history')).toBe(false);
    spy.close();
    // The secret itself is nowhere in what staff can read.
    const conv = await app.store.getConversation(id);
    expect(JSON.stringify(conv)).not.toContain(String(s1.id));
    // Guessing secrets from one address is cut off after 20 tries a minute.
    let refused = 0;
    for (let i = 0; i < 22; i++) {
      const guess = await ChatClient.connect(app.url, `?session=${'A'.repeat(42)}${String.fromCharCode(65 + (i % 26))}`);
      const first = await guess.waitFor((f) => f.type === 'session' || f.type === 'error');
      if (first.type === 'error') refused++;
      guess.close();
    }
    expect(refused).toBeGreaterThanOrEqual(1);
    a.close();
  });

  it('acknowledges frames with ids and does not process a resent frame twice', async () => {
    const c = await ChatClient.connect(app.url);
    await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'привет', id: 'm1' });
    await c.waitFor((f) => f.type === 'ack' && f.id === 'm1');
    const before = c.messages().length;
    c.send({ type: 'message', text: 'привет', id: 'm1' });
    const dup = await c.waitFor((f) => f.type === 'ack' && f.duplicate === true);
    expect(dup.id).toBe('m1');
    expect(c.messages().length).toBe(before);
    c.close();
  });

  it('answers frames that are not JSON or of unknown type with an error, and stays open', async () => {
    const c = await ChatClient.connect(app.url);
    await c.waitFor((f) => f.type === 'session');
    c.send('this is not json');
    expect((await c.waitFor((f) => f.type === 'error')).error).toBe('frames must be JSON');
    const n = c.frames.length;
    c.send({ type: 'launch_missiles' });
    c.send({ type: 'message' });
    c.send({ type: 'message', text: 42 });
    c.send([1, 2, 3]);
    await c.waitFor((f) => f.type === 'error' && String(f.error).startsWith('unknown frame'), 3000, n);
    c.send({ type: 'message', text: '   ' });
    await c.waitFor((f) => f.type === 'error' && f.error === 'empty message');
    c.send({ type: 'ping' });
    await c.waitFor((f) => f.type === 'pong');
    expect(c.closed).toBe(false);
    c.close();
  });

  it('truncates a 100 KB message with a note and keeps going', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'а'.repeat(100_000) });
    const note = await c.waitFor((f) => f.type === 'message' && String(f.text).includes('длинное'));
    expect(note).toBeTruthy();
    const transcript = await app.store.getTranscript((await conversationOf(app, String(session.id)))!);
    // After the greeting the page showed on open, the child's words, cut.
    expect(transcript.find((e) => e.from === 'child')!.text.length).toBe(app.config.MAX_TEXT_CHARS);
    const from = c.frames.length;
    c.send({ type: 'message', text: 'привет' });
    await c.waitFor(isMessage, 3000, from);
    c.close();
  });

  it('rate-limits a flood of 1,000 messages a second with a friendly message', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    for (let i = 0; i < 1000; i++) c.send({ type: 'message', text: `спам ${i}` });
    const warn = await c.waitFor((f) => f.type === 'message' && String(f.text).includes('очень быстро'), 5000);
    expect(warn).toBeTruthy();
    await c.waitFor((f) => f.type === 'error' && f.error === 'rate limited');
    // Let the accepted ones finish, then check that most were refused, not processed.
    await new Promise((r) => setTimeout(r, 500));
    const transcript = await app.store.getTranscript((await conversationOf(app, String(session.id)))!);
    const fromChild = transcript.filter((e) => e.from === 'child').length;
    expect(fromChild).toBeGreaterThan(0);
    expect(fromChild).toBeLessThan(50);
    c.close();
  });

  it('never writes message text or conversation ids to the logs at info', async () => {
    const c = await ChatClient.connect(app.url);
    const session = await c.waitFor((f) => f.type === 'session');
    c.send({ type: 'message', text: 'секретная фраза ребёнка 12345' });
    await c.waitFor(isMessage);
    c.close();
    const all = logLines.join('');
    expect(all).not.toContain('секретная фраза');
    expect(all).not.toContain(String(session.id));
    expect(all).not.toContain(String(await conversationOf(app, String(session.id))));
    expect(all.length).toBeGreaterThan(0);
  });

  it('serves the chat page and health', async () => {
    const page = await app.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    // The built page (dist/web), not the source: a hashed module script under /assets.
    expect(page.body).toMatch(/<script type="module"[^>]* src="\/assets\/webchat-[^"]+\.js"/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const health = await app.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
  });
});
