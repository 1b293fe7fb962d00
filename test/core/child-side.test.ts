// Issue 13, the child's side, in the core (so every channel gets it): a real core on the memory
// store, a stand-in channel that records what the child is sent, and the real content.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContent, type Content } from '../../src/content/load.js';
import { createCore, type Core } from '../../src/core/core.js';
import { parseOpeningHours } from '../../src/core/opening-hours.js';
import type { Triage } from '../../src/core/ports.js';
import type { Risk, Topic } from '../../src/core/taxonomy.js';
import type { Outbound, StoreEvent } from '../../src/core/types.js';
import { Delivery } from '../../src/core/use-cases/delivery.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { LexiconTriage } from '../../src/triage/lexicon-triage.js';
import { makeContentDir } from '../content/fixture.js';

const content: Content = loadContent(makeContentDir());
const t = (key: string, args?: Record<string, string | number>) => content.i18n.t('ru', key, args);

/** Words a test names set the risk; anything else is a calm message about school. */
const LEVELS: Record<string, [Risk, Topic]> = {
  'мне страшно': ['high', 'suicide'],
  'я выпил таблетки': ['imminent', 'suicide'],
  'скучно на уроках': ['low', 'school'],
};
const scripted: Triage = {
  name: 'scripted',
  classify: async (text) => {
    const [risk, topic] = LEVELS[text] ?? ['low', 'school'];
    return { intent: `${topic}_${risk}`, topic, risk, confidence: 0.9, reasons: [], script: risk === 'imminent' ? 'crisis_imminent' : risk === 'high' ? 'crisis_high' : 'selfhelp_school' };
  },
};

let store: Store;
let core: Core;
let sent: { chatKey: string; out: Outbound }[];
let events: StoreEvent[];
let unsubscribe: () => void;
/** The core's clock: tests move it by hand. */
const clock = { now: Date.now() };

beforeEach(async () => {
  sent = [];
  events = [];
  clock.now = Date.now();
  store = new MemoryStore({ botMs: 60_000, handledMs: 60_000 });
  await store.setPresence('anna', 60_000);
  const delivery = new Delivery();
  delivery.register('test', { send: async (conv, out) => void sent.push({ chatKey: conv.chatKey, out }) });
  core = createCore({
    now: () => clock.now,
    store,
    triage: () => scripted,
    fallbackTriage: new LexiconTriage(() => content),
    content: () => content,
    sender: delivery,
    hours: parseOpeningHours('24/7', 'Europe/Moscow', ''),
    log: pino({ level: 'silent' }),
    maxTextChars: 500,
    graceMs: 60_000,
    waitingMessageMs: 180_000,
  });
  unsubscribe = store.subscribe((e) => events.push(e));
});
afterEach(async () => {
  unsubscribe();
  await core.waitingRoom.stop();
});

const write = (chatKey: string, text: string) => core.inbound.handle({ channel: 'test', chatKey, userKey: chatKey, kind: 'text', text });
const toChild = (chatKey: string) => sent.filter((s) => s.chatKey === chatKey);
const settle = () => new Promise((r) => setTimeout(r, 20));

async function withCounselor(chatKey: string): Promise<string> {
  await write(chatKey, 'мне страшно');
  const id = (await store.findChat('test', chatKey))!;
  await core.counselor.claim(id, 'anna');
  return id;
}

describe('with a counselor in the chat the bot is silent (item 7)', () => {
  it('a message scored imminent mid-chat updates the triage and alerts the counselor and supervisors; the child gets nothing from the bot', async () => {
    const id = await withCounselor('a');
    await core.counselor.message(id, 'anna', 'Я здесь, рассказывай');
    const before = toChild('a').length;
    await settle();
    events.length = 0;

    await write('a', 'я выпил таблетки');
    await settle();

    // Not a script, not the numbers again, not a second "I'm calling a counselor".
    expect(toChild('a').slice(before)).toEqual([]);
    const conv = (await store.getConversation(id))!;
    expect(conv.state).toBe('with_counselor');
    expect(conv.risk).toBe('imminent');
    expect(conv.imminent?.since).toBeTypeOf('number');
    // The console's fan-out: an alert naming whose chat it is, and the chat's new level for its card.
    expect(events).toContainEqual({ type: 'alert', id, risk: 'imminent', topic: 'suicide', counselorId: 'anna' });
    expect(events).toContainEqual({ type: 'conversation', id, state: 'with_counselor', risk: 'imminent' });
    expect(events.some((e) => e.type === 'queue')).toBe(false);
    // The counselor still reads the child's words with their triage.
    const last = (await store.getTranscript(id)).at(-1)!;
    expect(last).toMatchObject({ from: 'child', text: 'я выпил таблетки', triage: { risk: 'imminent' } });
    expect((await store.getTranscript(id)).filter((e) => e.from === 'bot').map((e) => e.text)).not.toContain(t('emergency'));
  });

  it('"I need help now" pressed on an old message mid-chat alerts the counselor and the bot says nothing', async () => {
    const id = await withCounselor('b');
    const before = toChild('b').length;
    await settle();
    events.length = 0;
    await core.inbound.handle({ channel: 'test', chatKey: 'b', userKey: 'b', kind: 'button', value: 'action:crisis' });
    await settle();
    expect(toChild('b').slice(before)).toEqual([]);
    // The child asked for help: the counselor's console hears it, loudly.
    expect(events).toContainEqual({ type: 'alert', id, risk: 'high', topic: 'suicide', counselorId: 'anna' });
    // A calmer message: nothing at all.
    await settle();
    events.length = 0;
    await write('b', 'скучно на уроках');
    await settle();
    expect(toChild('b').slice(before)).toEqual([]);
    expect((await store.getConversation(id))!.risk).toBe('high');
    expect(events.filter((e) => e.type === 'alert' || e.type === 'conversation')).toEqual([]);
  });
});

describe('a transfer does not sound like abandonment (item 8)', () => {
  it('a counselor passing the chat to the queue, or losing the right to counsel, is told as a hand-over; only a vanished console is a disconnect', async () => {
    const passed = await withCounselor('p');
    await core.counselor.release(passed, 'transferred to the queue by anna', 'transfer');
    const handover = toChild('p').at(-1)!.out;
    expect(handover).toMatchObject({ type: 'message', text: t('counselor-handover') });
    expect(t('counselor-handover')).toContain('Тебя передают другому консультанту');
    expect(t('counselor-handover')).not.toContain('отключ');

    const disabled = await withCounselor('d');
    expect(await core.staff.cannotCounsel('anna', 'disabled')).toBe(1);
    expect((await store.getConversation(disabled))!.state).toBe('queued');
    expect(toChild('d').at(-1)!.out).toMatchObject({ text: t('counselor-handover') });

    const vanished = await withCounselor('v');
    await core.counselor.release(vanished, 'the counselor lost connection', 'disconnect');
    expect(toChild('v').at(-1)!.out).toMatchObject({ text: t('counselor-left') });
  });
});

describe('the place in the queue is live, at most one update per 10 s, and the leave button stays (items 5 and 6)', () => {
  const places = (chatKey: string) => toChild(chatKey).flatMap((s) => (s.out.type === 'queue' ? [s.out.position] : []));
  const pass = async (ms: number) => {
    clock.now += ms;
    await core.waitingRoom.run(true);
  };

  it('a child behind others moves up when one leaves and down when a riskier one goes ahead; nothing once a counselor joins or after the close', async () => {
    // Anna stays on shift for the whole test, however far its clock moves.
    await store.setPresence('anna', 3_600_000);
    await store.markSeen('anna', 3_600_000);
    await write('first', 'мне страшно');
    clock.now += 1000;
    await write('second', 'мне страшно');
    expect(places('second')).toEqual([2]);
    await pass(1000);
    expect(places('second')).toEqual([2]);

    // The first leaves: the second is told at once when the last update is 10 s old…
    clock.now += 9000;
    await core.inbound.handle({ channel: 'test', chatKey: 'first', userKey: 'first', kind: 'button', value: 'action:leave_queue' });
    await pass(500);
    expect(places('second')).toEqual([2, 1]);

    // …and a riskier child going ahead 2 s later waits for the period's end: one update per 10 s.
    await write('riskier', 'я выпил таблетки');
    await pass(2000);
    expect(places('second')).toEqual([2, 1]);
    await pass(3000);
    expect(places('second')).toEqual([2, 1]);
    await pass(5000);
    expect(places('second')).toEqual([2, 1, 2]);
    // Nothing changed: nothing is sent.
    await pass(30_000);
    expect(places('second')).toEqual([2, 1, 2]);

    // Every bot message while waiting and every place carries the leave button (messengers have no bar).
    const all = toChild('second');
    const waiting = all.slice(all.findIndex((s) => s.out.type === 'queue')).filter((s) => s.out.type === 'queue' || s.out.type === 'message');
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    for (const s of waiting) expect((s.out as { buttons?: { value: string }[] }).buttons?.map((b) => b.value)).toContain('action:leave_queue');

    // A counselor takes the second child: no more places; after the close neither.
    const id = (await store.findChat('test', 'second'))!;
    await core.counselor.claim(id, 'anna');
    await write('late', 'мне страшно');
    await pass(20_000);
    await core.counselor.close(id, 'anna', { form: { categories: ['mental_health'], subcategories: [], outcome: 'supported' }, screen: false });
    await pass(20_000);
    expect(places('second')).toEqual([2, 1, 2]);
    const after = toChild('second').slice(-2).map((s) => s.out);
    expect(after.every((o) => o.type !== 'queue')).toBe(true);
    expect(after.some((o) => o.type === 'message' && (o.buttons ?? []).some((b) => b.value === 'action:leave_queue'))).toBe(false);
  });
});

describe('"Talk to a counselor" queues at once; the questions come while waiting (item 3)', () => {
  it('queued before any question; each answer goes onto the queue card at once; skipping and writing work', async () => {
    await core.inbound.handle({ channel: 'test', chatKey: 'q', userKey: 'q', kind: 'button', value: 'action:counselor' });
    const id = (await store.findChat('test', 'q'))!;
    expect((await store.getConversation(id))!.state).toBe('queued');
    expect(await store.queuePosition(id)).toBe(1);
    const said = toChild('q').map((s) => s.out);
    // "You're in the queue" is true when it is said: the queue frame follows, then the first question.
    expect(said.map((o) => (o.type === 'message' ? o.text : o.type))).toEqual([t('queued'), 'queue', t('prequeue-age')]);

    await settle();
    events.length = 0;
    await core.inbound.handle({ channel: 'test', chatKey: 'q', userKey: 'q', kind: 'button', value: 'pre_age:14_17' });
    await settle();
    expect((await store.getConversation(id))!.meta.ageGroup).toBe('14_17');
    // Consoles redraw the queue (the card shows the age group).
    expect(events.some((e) => e.type === 'queue')).toBe(true);
    expect((toChild('q').at(-1)!.out as { text: string }).text).toBe(t('prequeue-about'));

    events.length = 0;
    await core.inbound.handle({ channel: 'test', chatKey: 'q', userKey: 'q', kind: 'button', value: 'pre_about:other' });
    await settle();
    const conv = (await store.getConversation(id))!;
    expect(conv.meta).toMatchObject({ ageGroup: '14_17', about: 'other', pending: undefined });
    expect(events.some((e) => e.type === 'queue')).toBe(true);
    expect((toChild('q').at(-1)!.out as { text: string }).text).toBe(t('prequeue-thanks'));
    expect(conv.state).toBe('queued');

    // Another child writes instead of answering: the question is dropped, nothing more is asked.
    await core.inbound.handle({ channel: 'test', chatKey: 'w', userKey: 'w', kind: 'button', value: 'action:counselor' });
    const before = toChild('w').length;
    await write('w', 'скучно на уроках');
    const w = (await store.getConversation((await store.findChat('test', 'w'))!))!;
    expect(w.meta).toMatchObject({ ageGroup: 'skip', about: 'skip', pending: undefined });
    expect(toChild('w').slice(before)).toEqual([]);
  });
});

describe('closed hours are told honestly, after the crisis answer (item 4)', () => {
  it('a crisis on Thursday night: the numbers first, then "closed, back tomorrow from 9:00", the 24/7 phone and where the answer will come', async () => {
    const delivery = new Delivery();
    delivery.register('test', { send: async (conv, out) => void sent.push({ chatKey: conv.chatKey, out }) });
    // Thursday 2025-03-06, 22:00 in Moscow.
    clock.now = Date.parse('2025-03-06T22:00:00+03:00');
    const closed = createCore({
      now: () => clock.now,
      store,
      triage: () => scripted,
      fallbackTriage: new LexiconTriage(() => content),
      content: () => content,
      sender: delivery,
      hours: parseOpeningHours('mon-fri 09:00-21:00', 'Europe/Moscow', ''),
      log: pino({ level: 'silent' }),
      maxTextChars: 500,
      graceMs: 60_000,
      waitingMessageMs: 180_000,
    });
    await closed.inbound.handle({ channel: 'test', chatKey: 'night', userKey: 'night', kind: 'text', text: 'мне страшно' });
    const texts = toChild('night').flatMap((s) => (s.out.type === 'message' ? [s.out.text] : []));
    // The crisis answer first, without "I'm calling a counselor, they'll write soon".
    expect(texts[0]).toBe(t('crisis-high-closed'));
    expect(texts[0]).toContain('8-800-2000-122');
    const honest = texts.find((x) => x.startsWith('Честно скажу'))!;
    expect(honest).toBe(t('chat-closed', { day: 'tomorrow', time: '9:00', channel: 'messenger' }));
    expect(honest).toContain('завтра с 9:00');
    expect(honest).toContain('8-800-2000-122');
    expect(honest).toContain('Ответ придёт сюда, в этот чат');
    // The message left now waits for the shift: the child is in the queue.
    expect((await store.getConversation((await store.findChat('test', 'night'))!))!.state).toBe('queued');
    expect(texts.some((x) => x === t('no-counselors'))).toBe(false);
  });
});
