// Issue 13 on Telegram: what a child meets (items 1–8, 11, 12), with real grammY talking HTTP to
// the Bot API stand-in through the whole app (webhook mode: an update is answered when the
// webhook call returns). The words asserted are the content's own (locales/ru.ftl through the
// app's i18n), so a changed or lost message, button or keyboard fails here.
import type { Message } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../src/core/types.js';
import { buttonsOf, signIn, sleep, startHarness, type Console, type Harness } from './harness.js';
import { callbackUpdate, commandUpdate, newChild, textUpdate } from './updates.js';

const IMMINENT = 'сегодня ночью покончу с собой, таблетки уже приготовила';
const HIGH = 'хочу покончить с собой';
const LEAVE = 'action:leave_queue';

interface QueueCard {
  id: string;
  risk: string;
  ageGroup?: string;
  about?: string;
  position: number;
}

/** One app per describe; these are the helpers every describe's tests share. */
function child(h: Harness) {
  const me = newChild('ru');
  return {
    me,
    /** Everything the bot has sent this child, in order. */
    sent: () => h.api.sentTo(me.chatId),
    texts: () => h.api.sentTo(me.chatId).map((m) => m.text ?? ''),
    write: (text: string) => h.api.push(textUpdate(me, text)),
    start: () => h.api.push(commandUpdate(me, 'start')),
    /** Presses the button with this value under the newest message that offers it. */
    press: async (data: string) => {
      const msg = [...h.api.sentTo(me.chatId)].reverse().find((m) => buttonsOf(m).some((b) => b.data === data));
      if (!msg) throw new Error(`no message offers ${data}; buttons: ${JSON.stringify(h.api.sentTo(me.chatId).map((m) => buttonsOf(m).map((b) => b.data)))}`);
      return h.api.push(callbackUpdate(me, msg, data));
    },
    said: (text: string, timeoutMs?: number) => h.said(me.chatId, text, timeoutMs),
    conversation: async () => {
      const id = await h.app.store.findChat('telegram', String(me.chatId));
      return id ? h.app.store.getConversation(id) : null;
    },
  };
}
type Child = ReturnType<typeof child>;

async function until<T>(check: () => Promise<T> | T, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const labels = (m: Message) => buttonsOf(m).map((b) => b.text);
const values = (m: Message) => buttonsOf(m).map((b) => b.data);

/** The first line of a text that carries a phone number. */
const firstNumberLine = (text: string) => text.split('\n').find((l) => /\d{3}/.test(l)) ?? '';

describe('Telegram, open 24/7, nobody on shift', () => {
  let h: Harness;
  let staff: Console;
  const t = (id: string, args?: Record<string, string | number>) => h.t('ru', id, args);
  const queue = async () => (await staff.call('GET', '/api/queue')).json() as QueueCard[];

  beforeAll(async () => {
    h = await startHarness({}, { webhook: true });
    staff = await signIn(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('item 1: /start gets, at once and alone, the greeting with what is kept and the menu as inline buttons', async () => {
    const c = child(h);
    await c.start();
    // The webhook call returned: everything the child got for /start is out.
    expect(c.texts()).toEqual([t('greeting')]);
    const [greeting] = c.sent();
    expect(greeting!.text).toContain(t('kept-bot-time'));
    expect(greeting!.text).toContain(t('kept-chat-time'));
    expect(labels(greeting!)).toEqual([t('btn-counselor'), t('btn-help-now'), t('btn-selfhelp'), t('btn-about'), t('btn-privacy')]);
    expect(values(greeting!)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about', 'action:privacy']);
  });

  it('item 2: the greeting says it is anonymous, the retention from the settings (defaults 24 h / 30 days), the one limit; "подробнее" answers', async () => {
    const c = child(h);
    await c.start();
    const greeting = c.sent()[0]!.text!;
    expect(greeting).toContain('анонимно');
    expect(greeting).toContain('24 часа');
    expect(greeting).toContain('30 дней');
    expect(greeting).toContain('жизнь в опасности');
    await c.press('action:privacy');
    const more = await c.said(t('privacy-details'));
    expect(more.text).toContain('24 часа');
    expect(more.text).toContain('30 дней');
    expect(values(more)).toEqual(['action:counselor', 'action:menu']);
    expect(labels(more)).toEqual([t('btn-counselor'), t('btn-menu')]);
    // The pressed keyboard went away so the old choice is not pressed again.
    expect(c.sent()[0]!.reply_markup).toBeUndefined();
  });

  /** Items 3, 4 (open) and 5 follow one child: Telegram lets a bot send one message a second per chat, so each new child costs seconds. */
  let waiting: Child;

  it('item 3: "Поговорить с консультантом" queues at once; the questions come while waiting and each answer is on the queue card', async () => {
    const c = (waiting = child(h));
    await c.start();
    await c.press('action:counselor');
    // In the queue (the console's queue API) before any question is answered.
    const conv = (await c.conversation())!;
    expect(conv.state).toBe('queued');
    const card = (await queue()).find((q) => q.id === conv.id);
    expect(card).toBeDefined();
    expect(card!.ageGroup).toBeUndefined();
    const after = c.texts().slice(1);
    expect(after[0]).toBe(t('queued'));
    expect(after).toContain(t('prequeue-age'));
    // "You're in the queue" came before the question.
    expect(after.indexOf(t('queued'))).toBeLessThan(after.indexOf(t('prequeue-age')));

    const age = c.sent().find((m) => m.text === t('prequeue-age'))!;
    expect(values(age)).toEqual(['pre_age:under_10', 'pre_age:10_13', 'pre_age:14_17', 'pre_age:18_plus', 'pre_age:skip', LEAVE]);
    await c.press('pre_age:14_17');
    expect((await queue()).find((q) => q.id === conv.id)).toMatchObject({ ageGroup: '14_17' });
    await c.said(t('prequeue-about'));
    await c.press('pre_about:self');
    expect((await queue()).find((q) => q.id === conv.id)).toMatchObject({ ageGroup: '14_17', about: 'self' });
    await c.said(t('prequeue-thanks'));
    expect((await c.conversation())!.state).toBe('queued');
  });

  it('item 4 (open, nobody on shift): said honestly with the phone, never "closed", and the child stays queued', async () => {
    const c = waiting;
    const honest = await c.said(t('no-counselors'));
    expect(honest.text).toContain('8-800-2000-122');
    expect(c.texts().some((x) => x.startsWith(t('chat-closed', { day: 'tomorrow', time: '9:00', channel: 'messenger' }).slice(0, 20)))).toBe(false);
    expect((await c.conversation())!.state).toBe('queued');
  });

  it('item 5: the leave-queue button is under every bot message while waiting, and it works', async () => {
    const c = waiting;
    // Writing while waiting gets no answer (the words are for the counselor); the button stays on the newest message.
    const before = c.sent().length;
    await c.write('а долго ждать?');
    expect(c.sent()).toHaveLength(before);
    const shown = c.sent().slice(1);
    expect(shown.length).toBeGreaterThanOrEqual(6); // queued, honest, place, two questions, thanks
    for (const m of shown) {
      // A pressed question lost its keyboard (Telegram keeps buttons forever otherwise).
      if (m.text === t('prequeue-age') || m.text === t('prequeue-about')) continue;
      expect(values(m), `"${m.text?.slice(0, 40)}…" lost the leave button`).toContain(LEAVE);
      expect(labels(m)).toContain(t('btn-leave-queue'));
    }
    // The newest message offers leaving.
    expect(values(c.sent().at(-1)!)).toContain(LEAVE);
    await c.press(LEAVE);
    await c.said(t('queue-left'));
    expect((await c.conversation())!.state).toBe('bot');
    const id = (await c.conversation())!.id;
    expect((await queue()).some((q) => q.id === id)).toBe(false);
    // Out of the queue: the menu again, no leave button.
    expect(values(c.sent().at(-1)!)).not.toContain(LEAVE);
  });

  it('item 7: with a counselor in the chat an imminent message gets no bot word; the counselor is alerted', async () => {
    const c = child(h);
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await staff.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    const events: StoreEvent[] = [];
    const unsubscribe = h.app.store.subscribe((e) => events.push(e));
    try {
      const before = h.api.callsOf('sendMessage', c.me.chatId).length;
      await c.write(IMMINENT);
      expect((await c.conversation())!.risk).toBe('imminent');
      await until(() => events.some((e) => e.type === 'alert' && e.id === conv.id), 'the alert');
      expect(events.find((e) => e.type === 'alert' && e.id === conv.id)).toMatchObject({ risk: 'imminent', counselorId: expect.any(String) });
      await sleep(200);
      // Not the emergency script, not "I'm calling a counselor": nothing.
      expect(h.api.callsOf('sendMessage', c.me.chatId)).toHaveLength(before);
      expect(c.texts()).not.toContain(t('emergency'));
    } finally {
      unsubscribe();
    }
  });

  it('item 8: a transfer to the queue is told as a hand-over (with the leave button), never as a disconnect', async () => {
    const c = child(h);
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await staff.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    expect((await staff.call('POST', `/api/conversations/${conv.id}/transfer`, { to: 'queue' })).status).toBe(200);
    const handover = await c.said(t('counselor-handover'));
    expect(handover.text).toContain('Тебя передают другому консультанту');
    expect(handover.text).not.toContain('отключ');
    expect(values(handover)).toContain(LEAVE);
    expect(c.texts()).not.toContain(t('counselor-left'));
  });

  it('item 11: the numbers are plain text (no image, no markup); imminent: 112 on the first line with a number; high: the helpline first, 112 after', async () => {
    const imminent = child(h);
    await imminent.write(IMMINENT);
    const emergency = imminent.sent().find((m) => m.text?.includes('112'))!;
    // Nobody has a console open here: the numbers without "a counselor will write soon".
    expect(emergency.text).toBe(t('emergency-now'));
    expect(firstNumberLine(emergency.text!)).toContain('112');
    expect(emergency.text!.indexOf('112')).toBeLessThan(emergency.text!.indexOf('8-800-2000-122'));

    const high = child(h);
    await high.write(HIGH);
    const crisis = high.sent().find((m) => m.text?.includes('8-800-2000-122'))!;
    expect(crisis.text).toBe(t('crisis-high-closed'));
    expect(firstNumberLine(crisis.text!)).toContain('8-800-2000-122');
    expect(crisis.text!.indexOf('8-800-2000-122')).toBeLessThan(crisis.text!.indexOf('112'));

    // Sent as text: no photo or document ever, and no parse mode that could hide a number in markup.
    for (const c of [imminent, high]) {
      const calls = h.api.calls.filter((x) => String(x.payload.chat_id) === String(c.me.chatId));
      expect(calls.some((x) => /^send(Photo|Document|Sticker|MediaGroup)$/.test(x.method))).toBe(false);
      for (const x of calls.filter((y) => y.method === 'sendMessage')) expect(x.payload.parse_mode).toBeUndefined();
    }
  });

  it('item 12: "это анонимно?", "во сколько вы работаете", "какой телефон": one answer each, then the menu', async () => {
    const cases: [string, string, string[]][] = [
      ['это анонимно?', 'privacy-details', ['action:counselor', 'action:menu']],
      ['во сколько вы работаете', 'service-hours', ['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about']],
      ['какой телефон', 'helpline-info', ['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about']],
    ];
    for (const [question, answer, menu] of cases) {
      const c = child(h);
      await c.start();
      await c.write(question);
      const answers = c.sent().slice(1);
      expect(answers.map((m) => m.text), question).toEqual([t(answer)]);
      expect(values(answers[0]!), question).toEqual(menu);
    }
    // The hours answer says the chat's hours from the settings (24/7: around the clock) and the phone.
    expect(t('service-hours')).toContain('круглосуточно');
    expect(t('service-hours')).toContain('8-800-2000-122');
    expect(t('helpline-info')).toContain('112');
  });

  // Last in this app: a counselor comes on shift (the tests above rely on nobody being there).
  it('item 11 with a counselor on shift: the answers that call a counselor keep the order (imminent: 112 first; high: the helpline, then 112)', async () => {
    expect((await staff.call('POST', '/api/presence', { available: true })).status).toBe(200);
    // The service reads presence at most once a second.
    await until(async () => (await h.app.core.service.current()).countersAvailable > 0, 'the counselor on shift');
    const imminent = child(h);
    await imminent.write(IMMINENT);
    expect(imminent.texts()[0]).toBe(t('emergency'));
    expect(firstNumberLine(imminent.texts()[0]!)).toContain('112');
    const high = child(h);
    await high.write(HIGH);
    expect(high.texts()[0]).toBe(t('crisis-high'));
    expect(firstNumberLine(high.texts()[0]!)).toContain('8-800-2000-122');
    expect(high.texts()[0]!.indexOf('8-800-2000-122')).toBeLessThan(high.texts()[0]!.indexOf('112'));
    // On shift: no "nobody is on shift" words.
    expect([...imminent.texts(), ...high.texts()]).not.toContain(t('no-counselors'));
  });
});

describe('Telegram, closed today, retention 6 hours / 7 days, a counselor who vanishes after 1 s', () => {
  let h: Harness;
  let staff: Console;
  const t = (id: string, args?: Record<string, string | number>) => h.t('ru', id, args);
  const closedWords = () => t('chat-closed', { day: 'tomorrow', time: '9:00', channel: 'messenger' });

  beforeAll(async () => {
    // Today (in the service's zone) is a holiday: closed all day, open again tomorrow at 9:00.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
    h = await startHarness(
      { OPENING_HOURS: 'mon-sun 09:00-21:00', HOLIDAYS: today, BOT_RETENTION_HOURS: '6', TRANSCRIPT_RETENTION_DAYS: '7', COUNSELOR_GRACE_SECONDS: '1' },
      { webhook: true },
    );
    staff = await signIn(h);
    // A counselor on shift: closed hours still say closed, not "nobody on shift".
    expect((await staff.call('POST', '/api/presence', { available: true })).status).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('item 2: the greeting and "подробнее" follow the retention settings', async () => {
    const c = child(h);
    await c.start();
    const greeting = c.sent()[0]!;
    expect(greeting.text).toBe(t('greeting'));
    expect(greeting.text).toContain('6 часов');
    expect(greeting.text).toContain('7 дней');
    expect(greeting.text).not.toContain('24 часа');
    expect(greeting.text).not.toContain('30 дней');
    await c.press('action:privacy');
    const more = await c.said(t('privacy-details'));
    expect(more.text).toContain('6 часов');
    expect(more.text).toContain('7 дней');
  });

  it('item 4: closed — said so, the next opening in words, the 24/7 phone, leaving a message offered and where the answer comes', async () => {
    const c = child(h);
    await c.start();
    await c.press('action:counselor');
    const closed = await c.said(closedWords());
    expect(closed.text).toContain('закрыт');
    expect(closed.text).toContain('завтра с 9:00');
    expect(closed.text).toContain('8-800-2000-122');
    expect(closed.text).toContain('оставить сообщение');
    // On a messenger the answer comes in this chat (the web chat says "this tab").
    expect(closed.text).toContain('в этот чат');
    expect(values(closed)).toContain(LEAVE);
    expect(c.texts()).not.toContain(t('no-counselors'));
    // The message left waits for the shift.
    expect((await c.conversation())!.state).toBe('queued');
  });

  it('item 4: a crisis while closed gets the numbers first, then the closed-hours words; never "a counselor will write soon"', async () => {
    const imminent = child(h);
    await imminent.write(IMMINENT);
    const texts = imminent.texts();
    expect(texts[0]).toBe(t('emergency-now'));
    expect(firstNumberLine(texts[0]!)).toContain('112');
    expect(texts).toContain(closedWords());
    expect(texts.indexOf(closedWords())).toBeGreaterThan(0);
    expect(texts).not.toContain(t('emergency'));

    const high = child(h);
    await high.write(HIGH);
    expect(high.texts()[0]).toBe(t('crisis-high-closed'));
    expect(firstNumberLine(high.texts()[0]!)).toContain('8-800-2000-122');
    expect(high.texts()).toContain(closedWords());
    expect(high.texts()).not.toContain(t('crisis-high'));
  });

  it('item 12: "во сколько вы работаете" gets the chat hours from OPENING_HOURS in Russian words (not the setting\'s Latin), the phone, then the menu', async () => {
    const c = child(h);
    await c.start();
    await c.write('во сколько вы работаете');
    const [answer, ...more] = c.sent().slice(1);
    expect(more).toEqual([]);
    expect(answer!.text).toBe(t('service-hours'));
    // The setting "mon-sun 09:00-21:00" was shown as it is.
    expect(answer!.text).toContain('пн–вс 9:00–21:00');
    expect(answer!.text).not.toMatch(/[A-Za-z]/);
    expect(answer!.text).toContain('8-800-2000-122');
    expect(values(answer!)).toEqual(['action:counselor', 'action:crisis', 'goto:selfhelp_menu', 'goto:about']);
  });

  it('item 8: a counselor whose console vanished is told as a disconnect (and the chat goes back to the queue)', async () => {
    const c = child(h);
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await staff.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    // No console heartbeat and no API call for the 1 s grace: the waiting room releases the chat.
    const left = await c.said(t('counselor-left'), 8000);
    expect(values(left)).toContain(LEAVE);
    expect(c.texts()).not.toContain(t('counselor-handover'));
    expect((await c.conversation())!.state).toBe('queued');
  });
});

describe('Telegram, the place in the queue (one update per 3 s at most)', () => {
  let h: Harness;
  let staff: Console;
  const t = (id: string, args?: Record<string, string | number>) => h.t('ru', id, args);

  beforeAll(async () => {
    // WAITING_MESSAGE_SECONDS=6: places at most every 3 s (half of it, under the 10 s default).
    h = await startHarness({ WAITING_MESSAGE_SECONDS: '6' }, { webhook: true });
    staff = await signIn(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The places a child was told, read back through the content's own words. */
  const places = (c: Child) =>
    c.texts().flatMap((text) => {
      for (let position = 1; position <= 20; position++) {
        for (const staffed of ['yes', 'no']) {
          for (const eta of [0, ...Array.from({ length: 30 }, (_, i) => i + 1)]) if (text === t('queue-position', { position, eta, staffed })) return [position];
        }
      }
      return [];
    });

  it('item 6: moves up when those ahead leave (newest place only, throttled), down when a riskier child goes ahead; nothing once a counselor joins', async () => {
    // Three children at high risk wait; a fourth asks for a counselor (/counselor) and is behind them.
    const ahead = [child(h), child(h), child(h)];
    for (const c of ahead) await c.write(HIGH);
    const d = child(h);
    await h.api.push(commandUpdate(d.me, 'counselor'));
    expect((await d.conversation())!.state).toBe('queued');
    expect(places(d)).toEqual([4]);
    // All three ahead leave at once: within one period, so only the newest place is told.
    for (const c of ahead) await c.press(LEAVE);
    await until(() => places(d).at(-1) === 1, 'the new place', 10_000);
    expect(places(d)).toEqual([4, 1]);
    expect(values(d.sent().at(-1)!)).toContain(LEAVE);

    // A riskier child goes ahead: told too.
    const riskier = child(h);
    await riskier.write(IMMINENT);
    await until(() => places(d).at(-1) === 2, 'the place after a riskier child', 10_000);
    expect(places(d)).toEqual([4, 1, 2]);

    // A counselor takes the child: no more places, though the queue keeps moving.
    const conv = (await d.conversation())!;
    expect((await staff.call('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await d.said(t('counselor-joined'));
    await riskier.write('мне страшно');
    const more = child(h);
    await more.write(IMMINENT);
    const riskierConv = (await riskier.conversation())!;
    expect((await staff.call('POST', `/api/conversations/${riskierConv.id}/claim`)).status).toBe(200);
    await sleep(3500);
    expect(places(d)).toEqual([4, 1, 2]);
    expect(d.texts().at(-1)).toBe(t('counselor-joined'));
  });
});
