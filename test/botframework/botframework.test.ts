// The Bot Framework channel over HTTP: activities posted to /api/messages of the running app (as
// the Bot Connector or the Emulator would), replies caught by a Bot Connector stand-in.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatKeyOf } from '../../src/channels/botframework/activity.js';
import { Presence } from '../../src/core/use-cases/presence.js';
import { startApp, type RunningApp } from '../../src/main.js';
import { startConnectorStandIn, type ConnectorStandIn, type Received } from './connector-stand-in.js';

const BASE_ENV = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '' };

let connector: ConnectorStandIn;
let app: RunningApp;

beforeAll(async () => {
  connector = await startConnectorStandIn();
  app = await startApp({ ...BASE_ENV, BOTFRAMEWORK_LOCAL: '1' });
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

type Activity = Record<string, unknown>;

/** A new conversation on a channel, and activities in it from one child. */
function chat(channelId = 'emulator', extra: Activity = {}) {
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
    ...extra,
  });
  return {
    conversation,
    chatKey: chatKeyOf({ channelId, conversation } as never),
    message: (text: string, more: Activity = {}): Activity => ({ ...base(), type: 'message', text, ...more }),
    joined: (): Activity => ({ ...base(), type: 'conversationUpdate', membersAdded: [{ id: 'bot-1' }, { id: 'user-1' }] }),
    /** What the connector got for this conversation. */
    got: () => connector.received.filter((r) => decodeURIComponent(r.conversationId ?? '') === conversation.id),
  };
}

async function post(body: unknown, target: RunningApp = app, headers: Record<string, string> = {}) {
  const res = await fetch(`${target.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const t = (key: string, locale = 'ru') => app.content.current.i18n.t(locale, key);
const messages = (rs: Received[]) => rs.filter((r) => r.body.type === 'message');
const texts = (rs: Received[]) => messages(rs).map((r) => String(r.body.text));

/** A counselor with the console open: without a heartbeat the waiting room hands their chats back to the queue. */
async function consoleOpen(target: RunningApp, counselorId: string): Promise<void> {
  await new Presence(target.store, 60_000, 60_000).heartbeat(counselorId);
}

async function conversationOf(chatKey: string, target: RunningApp = app) {
  const id = await target.store.findChat('botframework', chatKey);
  expect(id).toBeTruthy();
  return (await target.store.getConversation(id!))!;
}

describe('Bot Framework channel, local mode (BOTFRAMEWORK_LOCAL=1)', () => {
  it('greets a child who joins (conversationUpdate), in their locale, with quick replies as suggested actions', async () => {
    const c = chat();
    const res = await post(c.joined());
    expect(res.status).toBe(200);
    const [greeting] = messages(c.got());
    expect(greeting).toBeDefined();
    expect(greeting!.body.text).toBe(t('greeting'));
    expect(greeting!.body.locale).toBe('ru');
    // A reply to the joining activity, through the Bot Connector reply route.
    expect(greeting!.route).toBe('reply');
    expect(greeting!.replyToId).toBe('act-1');
    const actions = (greeting!.body.suggestedActions as { actions: { type: string; title: string }[] }).actions;
    expect(actions.map((a) => a.title)).toEqual([t('btn-counselor'), t('btn-help-now'), t('btn-selfhelp'), t('btn-about'), t('btn-privacy')]);
    expect(actions.every((a) => a.type === 'imBack')).toBe(true);
    // Issue 13, items 1 and 2: what is kept and for how long (the retention defaults), and the one limit.
    expect(greeting!.body.text).toContain('24 часа');
    expect(greeting!.body.text).toContain('30 дней');
    expect(greeting!.body.text).toContain('жизнь в опасности');
  });

  it('does not greet when only the bot joins; greets on the first message when no conversationUpdate came', async () => {
    const c = chat();
    const onlyBot = { ...c.joined(), membersAdded: [{ id: 'bot-1' }] };
    expect((await post(onlyBot)).status).toBe(200);
    expect(messages(c.got())).toHaveLength(0);
    expect((await post(c.message('привет'))).status).toBe(200);
    expect(texts(c.got())).toEqual([t('greeting')]);
    // Typing first, while the message is read.
    expect(c.got()[0]!.body.type).toBe('typing');
  });

  it('a crisis message gets the emergency numbers at once and the child is queued', async () => {
    const c = chat();
    await post(c.joined());
    const res = await post(c.message('хочу покончить с собой'));
    expect(res.status).toBe(200);
    const said = texts(c.got()).slice(1).join('\n');
    expect(said).toContain('112');
    expect(said).toContain('8-800-2000-122');
    const conv = await conversationOf(c.chatKey);
    expect(conv.state).toBe('queued');
    expect(['high', 'imminent']).toContain(conv.risk);
    const queue = await app.store.listQueue();
    expect(queue.map((q) => q.id)).toContain(conv.id);
  });

  it("a counselor's message reaches the child proactively through the stored conversation reference", async () => {
    const c = chat();
    await post(c.message('хочу покончить с собой'));
    const conv = await conversationOf(c.chatKey);
    const before = c.got().length;
    // A queue update, outside any turn of the child's.
    await app.core.outgoing.queueStatus(conv);
    const position = messages(c.got().slice(before)).at(-1)!;
    expect(position.route).toBe('send');
    const place = (await app.store.queuePosition(conv.id))!;
    const eta = (await app.core.outgoing.estimateWait(place)) ?? 0;
    // Nobody is on shift yet: the bar says so instead of "soon".
    expect(position.body.text).toBe(app.content.current.i18n.t('ru', 'queue-position', { position: place, eta, staffed: 'no' }));
    await consoleOpen(app, 'counselor-7');
    await app.core.counselor.claim(conv.id, 'counselor-7');
    await app.core.counselor.message(conv.id, 'counselor-7', 'Я здесь. Ты сейчас в безопасности?');
    // (The waiting room may add position updates meanwhile; only these two matter here.)
    const later = messages(c.got().slice(before)).filter((r) => r.body.text === t('counselor-joined') || r.body.text === 'Я здесь. Ты сейчас в безопасности?');
    expect(later.map((r) => r.body.text)).toEqual([t('counselor-joined'), 'Я здесь. Ты сейчас в безопасности?']);
    // Not a reply to anything: send-to-conversation, addressed to the child from the bot.
    expect(later.every((r) => r.route === 'send')).toBe(true);
    expect((later[1]!.body.recipient as { id: string }).id).toBe('user-1');
    expect((later[1]!.body.from as { id: string }).id).toBe('bot-1');
    expect(later[1]!.body.textFormat).toBe('plain');
    // A counselor's typing indicator goes the same way.
    await app.core.counselor.typing(conv.id, 'counselor-7');
    expect(c.got().at(-1)!.body).toMatchObject({ type: 'typing', recipient: { id: 'user-1' } });
    // The counselor sees the message in the transcript.
    const transcript = await app.store.getTranscript(conv.id);
    expect(transcript.some((e) => e.from === 'counselor' && e.text === 'Я здесь. Ты сейчас в безопасности?')).toBe(true);
  });

  it('an attachment is not downloaded: a kind reply, and "[image]" for the counselor', async () => {
    const c = chat();
    const photo = { contentType: 'image/png', contentUrl: `${connector.url}/attachments/photo.png`, name: 'photo.png' };
    const res = await post(c.message('', { attachments: [photo] }));
    expect(res.status).toBe(200);
    expect(texts(c.got())).toEqual([t('media-not-supported')]);
    expect(connector.received.some((r) => r.url.includes('/attachments/'))).toBe(false);
    const conv = await conversationOf(c.chatKey);
    const transcript = await app.store.getTranscript(conv.id);
    expect(transcript.filter((e) => e.from === 'child').map((e) => [e.text, e.kind])).toEqual([['[image]', 'media']]);

    // Audio and any other file likewise; Teams' HTML copy of the text is not an attachment.
    const d = chat('msteams');
    await post(d.message('', { attachments: [{ contentType: 'audio/ogg', contentUrl: 'https://example.invalid/a.ogg' }] }));
    await post(d.message('', { attachments: [{ contentType: 'application/pdf', contentUrl: 'https://example.invalid/b.pdf' }] }));
    await post(d.message('привет', { attachments: [{ contentType: 'text/html', content: '<p>привет</p>' }] }));
    const dConv = await conversationOf(d.chatKey);
    const dChild = (await app.store.getTranscript(dConv.id)).filter((e) => e.from === 'child').map((e) => e.text);
    expect(dChild).toEqual(['[audio]', '[file]', 'привет']);
  });

  it('a tapped quick reply (its label comes back as text) acts as the button', async () => {
    const c = chat();
    await post(c.joined());
    await post(c.message(t('btn-counselor')));
    const conv = await conversationOf(c.chatKey);
    const transcript = await app.store.getTranscript(conv.id);
    expect(transcript.filter((e) => e.from === 'child').map((e) => [e.kind, e.text])).toEqual([
      ['text', '/start'],
      ['button', '[action:counselor]'],
    ]);
    // The same words typed again, once that set of buttons has been answered, are words.
    await post(c.message(t('btn-counselor')));
    const after = (await app.store.getTranscript(conv.id)).filter((e) => e.from === 'child');
    expect(after.at(-1)).toMatchObject({ kind: 'text', text: t('btn-counselor') });
  });

  it('channels without suggested actions get the buttons on a hero card', async () => {
    const c = chat('slack');
    await post(c.joined());
    const [greeting] = messages(c.got());
    expect(greeting!.body.suggestedActions).toBeUndefined();
    const [card] = greeting!.body.attachments as { contentType: string; content: { buttons: { title: string }[] } }[];
    expect(card!.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card!.content.buttons.map((b) => b.title)).toContain(t('btn-counselor'));
  });

  it('takes the locale from the activity', async () => {
    const c = chat('webchat', { locale: 'en-US' });
    await post(c.joined());
    expect(texts(c.got())).toEqual([t('greeting', 'en')]);
    expect((await conversationOf(c.chatKey)).locale).toBe('en');
  });

  it('deliveryMode expectReplies: the replies come back in the HTTP response, not through the connector', async () => {
    const c = chat('directline');
    const res = await post(c.message('привет', { deliveryMode: 'expectReplies' }));
    expect(res.status).toBe(200);
    const replies = (res.body.activities as { type: string; text?: string }[]).filter((a) => a.type === 'message');
    expect(replies.map((a) => a.text)).toEqual([t('greeting')]);
    expect(c.got()).toHaveLength(0);
  });

  it('a redelivered activity (same id) is answered once', async () => {
    const c = chat();
    const m = c.message('привет');
    await post(m);
    await post(m);
    expect(texts(c.got())).toEqual([t('greeting')]);
  });

  it('an invalid body gets 400 with the reason, and nothing is sent', async () => {
    const before = connector.received.length;
    const noUrl = await post({ type: 'message', channelId: 'emulator', conversation: { id: 'x' }, text: 'hi' });
    expect(noUrl.status).toBe(400);
    expect(String(noUrl.body.error)).toContain('serviceUrl');
    const noConv = await post({ type: 'message', channelId: 'emulator', serviceUrl: connector.url, text: 'hi' });
    expect(noConv.status).toBe(400);
    expect(String(noConv.body.error)).toContain('conversation');
    const array = await post([]);
    expect(array.status).toBe(400);
    expect(String(array.body.error)).toMatch(/JSON object/);
    const broken = await post('{"type":');
    expect(broken.status).toBe(400);
    expect(String(broken.body.error)).toMatch(/JSON/);
    // Nothing went to the invalid activities' conversation (nor anywhere new); other children of
    // this file may still get their waiting-room messages meanwhile.
    const sent = connector.received.slice(before);
    expect(sent.filter((r) => r.conversationId === 'x' || r.route === 'other' || r.route === 'reply')).toEqual([]);
  });

  it('refuses unauthenticated traffic from another machine', async () => {
    const c = chat();
    const res = await app.app.inject({ method: 'POST', url: '/api/messages', payload: c.message('привет'), remoteAddress: '203.0.113.9' });
    expect(res.statusCode).toBe(403);
    expect(c.got()).toHaveLength(0);
  });
});

describe('Bot Framework channel with an Azure app id', () => {
  let authed: RunningApp;
  beforeAll(async () => {
    authed = await startApp({
      ...BASE_ENV,
      MICROSOFT_APP_ID: '00000000-0000-0000-0000-0000000000a1',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: '00000000-0000-0000-0000-0000000000b2',
    });
  });
  afterAll(async () => {
    await authed?.close();
  });

  it('refuses an activity without a valid token (401, botbuilder authentication); nothing is processed', async () => {
    const c = chat();
    const missing = await post(c.message('хочу покончить с собой'), authed);
    expect(missing.status).toBe(401);
    expect(String(missing.body.error)).toMatch(/unauthori[sz]ed/i);
    const garbage = await post(c.message('привет'), authed, { authorization: 'Bearer not.a.token' });
    expect(garbage.status).toBe(401);
    expect(c.got()).toHaveLength(0);
    expect(await authed.store.findChat('botframework', c.chatKey)).toBeNull();
  });
});

describe('Bot Framework channel with BOTFRAMEWORK_HANDOFF_EVENT=1', () => {
  let hub: RunningApp;
  beforeAll(async () => {
    hub = await startApp({ ...BASE_ENV, BOTFRAMEWORK_LOCAL: '1', BOTFRAMEWORK_HANDOFF_EVENT: '1' });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('emits handoff.initiate with the transcript once, when the child enters the queue', async () => {
    const c = chat();
    await post(c.message('привет'), hub);
    expect(c.got().filter((r) => r.body.type === 'event')).toHaveLength(0);
    await post(c.message('хочу покончить с собой'), hub);
    await post(c.message('мне страшно'), hub);
    const events = c.got().filter((r) => r.body.type === 'event');
    expect(events).toHaveLength(1);
    const event = events[0]!.body as { name: string; value: { conversationId: string; risk: string }; attachments: { name: string; content: { activities: { text: string; from: { id: string } }[] } }[] };
    expect(event.name).toBe('handoff.initiate');
    const conv = await conversationOf(c.chatKey, hub);
    // The risk when the child joined the queue (a later message may have raised the conversation's).
    expect(event.value).toMatchObject({ conversationId: conv.id, risk: expect.stringMatching(/^(high|imminent)$/) });
    const transcript = event.attachments.find((a) => a.name === 'Transcript')!.content.activities;
    expect(transcript.filter((a) => a.from.id === 'user-1').map((a) => a.text)).toEqual(['привет', 'хочу покончить с собой']);
    expect(transcript.some((a) => a.from.id === 'bot-1' && a.text === hub.content.current.i18n.t('ru', 'greeting'))).toBe(true);
    // Our own queue stays the source of truth.
    expect((await hub.store.listQueue()).map((q) => q.id)).toContain(conv.id);
  });
});

describe('Bot Framework channel on two instances sharing Redis', () => {
  const env = { ...BASE_ENV, BOTFRAMEWORK_LOCAL: '1', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `test-bf-${randomUUID()}` };
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    a = await startApp(env);
    b = await startApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const { createClient } = await import('redis');
    const client = createClient({ url: env.REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${env.REDIS_PREFIX}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
    await client.close();
  });

  it('a counselor on another instance reaches the child: the reference lives in the store', async () => {
    const c = chat('directline');
    await post(c.message('хочу покончить с собой'), a);
    const conv = await conversationOf(c.chatKey, b);
    expect(conv.state).toBe('queued');
    const before = c.got().length;
    await consoleOpen(b, 'counselor-9');
    await b.core.counselor.claim(conv.id, 'counselor-9');
    await b.core.counselor.message(conv.id, 'counselor-9', 'Привет, я консультант.');
    const later = messages(c.got().slice(before)).filter((r) => r.body.text === t('counselor-joined') || r.body.text === 'Привет, я консультант.');
    expect(later.map((r) => [r.route, r.body.text])).toEqual([
      ['send', t('counselor-joined')],
      ['send', 'Привет, я консультант.'],
    ]);
  });

  it('without a reference (expired) the counselor is told the message was not delivered', async () => {
    const c = chat('directline');
    await post(c.message('хочу покончить с собой'), a);
    const conv = await conversationOf(c.chatKey, b);
    await b.store.kvDel(`ch:botframework:ref:${c.chatKey}`);
    await consoleOpen(b, 'counselor-9');
    await b.core.counselor.claim(conv.id, 'counselor-9');
    await b.core.counselor.message(conv.id, 'counselor-9', 'Ты здесь?');
    const transcript = await b.store.getTranscript(conv.id);
    expect(transcript.filter((e) => e.from === 'system' && e.text === 'delivery-failed').length).toBeGreaterThanOrEqual(1);
    expect(texts(c.got())).not.toContain('Ты здесь?');
  });
});
