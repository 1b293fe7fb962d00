// Issue 13 on the Bot Framework: what a child meets (items 1–8, 11, 12), with real botbuilder in
// the whole app (BOTFRAMEWORK_LOCAL=1) answering activities posted to /api/messages, its replies
// and proactive messages caught by the Bot Connector stand-in. A tapped quick reply comes back as
// its label (imBack), as on a real channel. The words asserted are the content's own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatKeyOf } from '../../src/channels/botframework/activity.js';
import type { StoreEvent } from '../../src/core/types.js';
import { startApp } from '../../src/main.js';
import { startConnectorStandIn, type Received } from './connector-stand-in.js';

const ADMIN_PASSWORD = 'botframework-test-password';
const BASE_ENV = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', BOTFRAMEWORK_LOCAL: '1', ADMIN_PASSWORD };
const IMMINENT = 'сегодня ночью покончу с собой, таблетки уже приготовила';
const HIGH = 'хочу покончить с собой';

interface QueueCard {
  id: string;
  ageGroup?: string;
  about?: string;
}

type Activity = Record<string, unknown>;
interface SuggestedActions {
  actions: { type: string; title: string; value: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(check: () => Promise<T> | T, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The quick replies under a message (suggested actions on the emulator channel). */
const titles = (r: Received) => ((r.body.suggestedActions as SuggestedActions | undefined)?.actions ?? []).map((a) => a.title);
const firstNumberLine = (text: string) => text.split('\n').find((l) => /\d{3}/.test(l)) ?? '';

/** One running app and the connector, with the console signed in. */
async function startBot(env: Record<string, string> = {}) {
  const connector = await startConnectorStandIn();
  const app = await startApp({ ...BASE_ENV, ...env });
  const login = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.statusCode}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const { csrfToken } = login.json() as { csrfToken: string };
  const staff = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrfToken }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, json: () => res.json() as unknown };
  };
  const t = (id: string, args?: Record<string, string | number>) => app.content.current.i18n.t('ru', id, args);

  /** A child in a new conversation on a channel. */
  const child = (channelId = 'emulator') => {
    const conversation = { id: `conv-${randomUUID()}` };
    let n = 0;
    const base = () => ({
      id: `act-${++n}`,
      channelId,
      serviceUrl: connector.url,
      conversation,
      from: { id: 'user-1', name: 'Child' },
      recipient: { id: 'bot-1', name: 'Helpline bot' },
      locale: 'ru-RU',
      timestamp: new Date().toISOString(),
    });
    const post = async (activity: Activity) => {
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    };
    const got = () => connector.received.filter((r) => decodeURIComponent(r.conversationId ?? '') === conversation.id && r.body.type === 'message');
    const chatKey = chatKeyOf({ channelId, conversation } as never);
    return {
      /** Opens the chat: the Bot Connector's conversationUpdate with the child added. */
      join: () => post({ ...base(), type: 'conversationUpdate', membersAdded: [{ id: 'bot-1' }, { id: 'user-1' }] }),
      write: (text: string) => post({ ...base(), type: 'message', text }),
      /** Taps a quick reply: its label comes back as the child's words. */
      tap: async (labelId: string) => {
        const label = t(labelId);
        expect(titles(got().at(-1)!), `the newest message offers "${label}"`).toContain(label);
        await post({ ...base(), type: 'message', text: label });
      },
      got,
      texts: () => got().map((r) => String(r.body.text)),
      said: async (text: string, timeoutMs = 5000) => {
        await connector.waitFor(() => got().some((r) => r.body.text === text), timeoutMs);
        return got().find((r) => r.body.text === text)!;
      },
      conversation: async () => {
        const id = await app.store.findChat('botframework', chatKey);
        return id ? app.store.getConversation(id) : null;
      },
    };
  };
  return {
    app,
    connector,
    staff,
    t,
    child,
    close: async () => {
      await app.close();
      await connector.close();
    },
  };
}
type Bot = Awaited<ReturnType<typeof startBot>>;
type Child = ReturnType<Bot['child']>;

describe('Bot Framework, open 24/7, nobody on shift', () => {
  let bot: Bot;
  let t: Bot['t'];
  const queue = async () => (await bot.staff('GET', '/api/queue')).json() as QueueCard[];
  const MENU = () => [t('btn-counselor'), t('btn-help-now'), t('btn-selfhelp'), t('btn-about')];

  beforeAll(async () => {
    bot = await startBot();
    t = bot.t;
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('item 1: conversationUpdate gets, at once and alone, the greeting with what is kept and the menu as quick replies', async () => {
    const c = bot.child();
    await c.join();
    expect(c.texts()).toEqual([t('greeting')]);
    const [greeting] = c.got();
    expect(greeting!.body.text).toContain(t('kept-bot-time'));
    expect(greeting!.body.text).toContain(t('kept-chat-time'));
    expect(titles(greeting!)).toEqual([...MENU(), t('btn-privacy')]);
    // Channels without quick replies get the same choices on a card.
    const slack = bot.child('slack');
    await slack.join();
    const [card] = slack.got()[0]!.body.attachments as { content: { buttons: { title: string }[] } }[];
    expect(card!.content.buttons.map((b) => b.title)).toEqual([...MENU(), t('btn-privacy')]);
  });

  it('item 2: anonymous, the retention from the settings (defaults 24 h / 30 days), the one limit; "подробнее" answers', async () => {
    const c = bot.child();
    await c.join();
    const greeting = c.texts()[0]!;
    expect(greeting).toContain('анонимно');
    expect(greeting).toContain('24 часа');
    expect(greeting).toContain('30 дней');
    expect(greeting).toContain('жизнь в опасности');
    await c.tap('btn-privacy');
    const more = await c.said(t('privacy-details'));
    expect(more.body.text).toContain('24 часа');
    expect(titles(more)).toEqual([t('btn-counselor'), t('btn-menu')]);
  });

  let waiting: Child;

  it('item 3: "Поговорить с консультантом" queues at once; the questions come while waiting and each answer is on the queue card', async () => {
    const c = (waiting = bot.child());
    await c.join();
    await c.tap('btn-counselor');
    const conv = (await c.conversation())!;
    expect(conv.state).toBe('queued');
    const card = (await queue()).find((q) => q.id === conv.id);
    expect(card).toBeDefined();
    expect(card!.ageGroup).toBeUndefined();
    const after = c.texts().slice(1);
    expect(after[0]).toBe(t('queued'));
    expect(after.at(-1)).toBe(t('prequeue-age'));
    expect(titles(c.got().at(-1)!)).toEqual([t('btn-age-under-10'), t('btn-age-10-13'), t('btn-age-14-17'), t('btn-age-18-plus'), t('btn-skip'), t('btn-leave-queue')]);
    await c.tap('btn-age-14-17');
    expect((await queue()).find((q) => q.id === conv.id)).toMatchObject({ ageGroup: '14_17' });
    await c.said(t('prequeue-about'));
    await c.tap('btn-about-self');
    expect((await queue()).find((q) => q.id === conv.id)).toMatchObject({ ageGroup: '14_17', about: 'self' });
    await c.said(t('prequeue-thanks'));
  });

  it('item 4 (open, nobody on shift): said honestly with the phone, never "closed"', async () => {
    const honest = waiting.got().find((r) => r.body.text === t('no-counselors'))!;
    expect(honest).toBeDefined();
    expect(honest.body.text).toContain('8-800-2000-122');
    expect(waiting.texts().some((x) => x.includes('чат с консультантами закрыт'))).toBe(false);
  });

  it('item 5: the leave-queue quick reply is under every bot message while waiting, and it works', async () => {
    const c = waiting;
    const before = c.got().length;
    await c.write('а долго ждать?');
    expect(c.got()).toHaveLength(before);
    const shown = c.got().slice(1);
    expect(shown.length).toBeGreaterThanOrEqual(6);
    for (const r of shown) expect(titles(r), `"${String(r.body.text).slice(0, 40)}…" lost the leave button`).toContain(t('btn-leave-queue'));
    await c.tap('btn-leave-queue');
    await c.said(t('queue-left'));
    expect((await c.conversation())!.state).toBe('bot');
    expect(titles(c.got().at(-1)!)).not.toContain(t('btn-leave-queue'));
  });

  it('item 7: with a counselor in the chat an imminent message gets no bot word; the counselor is alerted', async () => {
    const c = bot.child();
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await bot.staff('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    const events: StoreEvent[] = [];
    const unsubscribe = bot.app.store.subscribe((e) => events.push(e));
    try {
      const before = c.got().length;
      await c.write(IMMINENT);
      expect((await c.conversation())!.risk).toBe('imminent');
      await until(() => events.some((e) => e.type === 'alert' && e.id === conv.id), 'the alert');
      expect(events.find((e) => e.type === 'alert' && e.id === conv.id)).toMatchObject({ risk: 'imminent', counselorId: expect.any(String) });
      await sleep(200);
      expect(c.got()).toHaveLength(before);
    } finally {
      unsubscribe();
    }
  });

  it('item 8: a transfer to the queue is told as a hand-over (with the leave button), never as a disconnect', async () => {
    const c = bot.child();
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await bot.staff('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    expect((await bot.staff('POST', `/api/conversations/${conv.id}/transfer`, { to: 'queue' })).status).toBe(200);
    const handover = await c.said(t('counselor-handover'));
    expect(handover.body.text).not.toContain('отключ');
    expect(titles(handover)).toContain(t('btn-leave-queue'));
    // Outside the child's turn: a proactive message to the conversation.
    expect(handover.route).toBe('send');
    expect(c.texts()).not.toContain(t('counselor-left'));
  });

  it('item 11: the numbers are plain text (no image, no card); imminent: 112 on the first line with a number; high: the helpline first, 112 after', async () => {
    const imminent = bot.child();
    await imminent.write(IMMINENT);
    const emergency = imminent.got().find((r) => String(r.body.text).includes('112'))!;
    // Nobody is on shift here: the numbers without "a counselor will write soon".
    expect(emergency.body.text).toBe(t('emergency-now'));
    expect(firstNumberLine(String(emergency.body.text))).toContain('112');
    expect(String(emergency.body.text).indexOf('112')).toBeLessThan(String(emergency.body.text).indexOf('8-800-2000-122'));

    const high = bot.child();
    await high.write(HIGH);
    const crisis = high.got().find((r) => String(r.body.text).includes('8-800-2000-122'))!;
    expect(crisis.body.text).toBe(t('crisis-high-closed'));
    expect(firstNumberLine(String(crisis.body.text))).toContain('8-800-2000-122');
    expect(String(crisis.body.text).indexOf('8-800-2000-122')).toBeLessThan(String(crisis.body.text).indexOf('112'));

    for (const r of [emergency, crisis]) {
      expect(r.body.textFormat).toBe('plain');
      expect(r.body.attachments ?? []).toEqual([]);
    }
  });

  it('item 12: "это анонимно?", "во сколько вы работаете", "какой телефон": one answer each, then the menu', async () => {
    const cases: [string, string, string[]][] = [
      ['это анонимно?', 'privacy-details', [t('btn-counselor'), t('btn-menu')]],
      ['во сколько вы работаете', 'service-hours', MENU()],
      ['какой телефон', 'helpline-info', MENU()],
    ];
    for (const [question, answer, menu] of cases) {
      const c = bot.child();
      await c.join();
      await c.write(question);
      const answers = c.got().slice(1);
      expect(answers.map((r) => r.body.text), question).toEqual([t(answer)]);
      expect(titles(answers[0]!), question).toEqual(menu);
    }
  });

  // Last in this app: a counselor comes on shift (the tests above rely on nobody being there).
  it('item 11 with a counselor on shift: the answers that call a counselor keep the order (imminent: 112 first; high: the helpline, then 112)', async () => {
    expect((await bot.staff('POST', '/api/presence', { available: true })).status).toBe(200);
    // The service reads presence at most once a second.
    await until(async () => (await bot.app.core.service.current()).countersAvailable > 0, 'the counselor on shift');
    const imminent = bot.child();
    await imminent.write(IMMINENT);
    const emergency = imminent.got().find((r) => String(r.body.text).includes('112'))!;
    expect(emergency.body.text).toBe(t('emergency'));
    expect(firstNumberLine(String(emergency.body.text))).toContain('112');
    const high = bot.child();
    await high.write(HIGH);
    const crisis = high.got().find((r) => String(r.body.text).includes('8-800-2000-122'))!;
    expect(crisis.body.text).toBe(t('crisis-high'));
    expect(firstNumberLine(String(crisis.body.text))).toContain('8-800-2000-122');
    expect(String(crisis.body.text).indexOf('8-800-2000-122')).toBeLessThan(String(crisis.body.text).indexOf('112'));
    expect([...imminent.texts(), ...high.texts()]).not.toContain(t('no-counselors'));
  });
});

describe('Bot Framework, closed today, retention 6 hours / 7 days, a counselor who vanishes after 1 s', () => {
  let bot: Bot;
  let t: Bot['t'];
  const closedWords = () => t('chat-closed', { day: 'tomorrow', time: '9:00', channel: 'messenger' });

  beforeAll(async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
    bot = await startBot({ OPENING_HOURS: 'mon-sun 09:00-21:00', HOLIDAYS: today, BOT_RETENTION_HOURS: '6', TRANSCRIPT_RETENTION_DAYS: '7', COUNSELOR_GRACE_SECONDS: '1' });
    t = bot.t;
    expect((await bot.staff('POST', '/api/presence', { available: true })).status).toBe(200);
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('item 2: the greeting and "подробнее" follow the retention settings', async () => {
    const c = bot.child();
    await c.join();
    const greeting = c.texts()[0]!;
    expect(greeting).toBe(t('greeting'));
    expect(greeting).toContain('6 часов');
    expect(greeting).toContain('7 дней');
    expect(greeting).not.toContain('24 часа');
    await c.tap('btn-privacy');
    const more = await c.said(t('privacy-details'));
    expect(more.body.text).toContain('6 часов');
    expect(more.body.text).toContain('7 дней');
  });

  it('item 4: closed — said so, the next opening in words, the 24/7 phone, leaving a message offered and where the answer comes', async () => {
    const c = bot.child();
    await c.join();
    await c.tap('btn-counselor');
    const closed = await c.said(closedWords());
    expect(closed.body.text).toContain('завтра с 9:00');
    expect(closed.body.text).toContain('8-800-2000-122');
    expect(closed.body.text).toContain('оставить сообщение');
    expect(closed.body.text).toContain('в этот чат');
    expect(titles(closed)).toContain(t('btn-leave-queue'));
    expect(c.texts()).not.toContain(t('no-counselors'));
    expect((await c.conversation())!.state).toBe('queued');
  });

  it('item 4: a crisis while closed gets the numbers first, then the closed-hours words', async () => {
    const imminent = bot.child();
    await imminent.write(IMMINENT);
    expect(imminent.texts()[0]).toBe(t('emergency-now'));
    expect(firstNumberLine(t('emergency-now'))).toContain('112');
    expect(imminent.texts().indexOf(closedWords())).toBeGreaterThan(0);
    expect(imminent.texts()).not.toContain(t('emergency'));

    const high = bot.child();
    await high.write(HIGH);
    expect(high.texts()[0]).toBe(t('crisis-high-closed'));
    expect(high.texts().indexOf(closedWords())).toBeGreaterThan(0);
    expect(high.texts()).not.toContain(t('crisis-high'));
  });

  it('item 12: "во сколько вы работаете" gets the chat hours from OPENING_HOURS in Russian words, the phone, then the menu', async () => {
    const c = bot.child();
    await c.join();
    await c.write('во сколько вы работаете');
    const answers = c.got().slice(1);
    expect(answers.map((r) => r.body.text)).toEqual([t('service-hours')]);
    expect(answers[0]!.body.text).toContain('пн–вс 9:00–21:00');
    expect(answers[0]!.body.text).not.toMatch(/[A-Za-z]/);
    expect(titles(answers[0]!)).toEqual([t('btn-counselor'), t('btn-help-now'), t('btn-selfhelp'), t('btn-about')]);
  });

  it('item 8: a counselor whose console vanished is told as a disconnect (and the chat goes back to the queue)', async () => {
    const c = bot.child();
    await c.write(HIGH);
    const conv = (await c.conversation())!;
    expect((await bot.staff('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await c.said(t('counselor-joined'));
    const left = await c.said(t('counselor-left'), 8000);
    expect(titles(left)).toContain(t('btn-leave-queue'));
    expect(c.texts()).not.toContain(t('counselor-handover'));
    expect((await c.conversation())!.state).toBe('queued');
  });
});

describe('Bot Framework, the place in the queue (one update per 3 s at most)', () => {
  let bot: Bot;
  let t: Bot['t'];

  beforeAll(async () => {
    bot = await startBot({ WAITING_MESSAGE_SECONDS: '6' });
    t = bot.t;
  });
  afterAll(async () => {
    await bot?.close();
  });

  const places = (c: Child) =>
    c.texts().flatMap((text) => {
      for (let position = 1; position <= 20; position++) {
        for (const staffed of ['yes', 'no']) for (let eta = 0; eta <= 30; eta++) if (text === t('queue-position', { position, eta, staffed })) return [position];
      }
      return [];
    });

  it('item 6: moves up when those ahead leave (newest place only, throttled), down when a riskier child goes ahead; nothing once a counselor joins', async () => {
    const ahead = [bot.child(), bot.child(), bot.child()];
    for (const c of ahead) await c.write(HIGH);
    const d = bot.child();
    await d.join();
    await d.tap('btn-counselor');
    expect(places(d)).toEqual([4]);
    for (const c of ahead) await c.tap('btn-leave-queue');
    await until(() => places(d).at(-1) === 1, 'the new place', 10_000);
    expect(places(d)).toEqual([4, 1]);
    const newest = d.got().at(-1)!;
    expect(newest.route).toBe('send');
    expect(titles(newest)).toContain(t('btn-leave-queue'));

    const riskier = bot.child();
    await riskier.write(IMMINENT);
    await until(() => places(d).at(-1) === 2, 'the place after a riskier child', 10_000);
    expect(places(d)).toEqual([4, 1, 2]);

    const conv = (await d.conversation())!;
    expect((await bot.staff('POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    await d.said(t('counselor-joined'));
    const more = bot.child();
    await more.write(IMMINENT);
    const riskierConv = (await riskier.conversation())!;
    expect((await bot.staff('POST', `/api/conversations/${riskierConv.id}/claim`)).status).toBe(200);
    await sleep(3500);
    expect(places(d)).toEqual([4, 1, 2]);
    expect(d.texts().at(-1)).toBe(t('counselor-joined'));
  });
});
