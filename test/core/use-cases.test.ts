import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadContent, type Content } from '../../src/content/load.js';
import { createCore, type Core } from '../../src/core/core.js';
import { parseOpeningHours } from '../../src/core/opening-hours.js';
import { Delivery } from '../../src/core/use-cases/delivery.js';
import { ConflictError, ForbiddenError } from '../../src/core/errors.js';
import { IllegalTransition } from '../../src/core/lifecycle.js';
import type { Outbound, TriageResult } from '../../src/core/types.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { LexiconTriage } from '../../src/triage/lexicon-triage.js';
import type { Triage } from '../../src/core/ports.js';
import { makeContentDir } from '../content/fixture.js';

const content: Content = loadContent(makeContentDir());
const sent: { chatKey: string; out: Outbound }[] = [];
let store: Store;
let core: Core;
let triage: Triage;

function build(s: Store, t?: Triage): Core {
  const delivery = new Delivery();
  delivery.register('test', { send: async (conv, out) => void sent.push({ chatKey: conv.chatKey, out }) });
  const lexicon = new LexiconTriage(() => content);
  triage = t ?? lexicon;
  return createCore({
    store: s,
    triage: () => triage,
    fallbackTriage: lexicon,
    content: () => content,
    sender: delivery,
    hours: parseOpeningHours('24/7', 'Europe/Moscow', ''),
    log: pino({ level: 'silent' }),
    maxTextChars: 500,
    graceMs: 60_000,
    waitingMessageMs: 180_000,
  });
}

const texts = (chatKey: string) => sent.filter((s) => s.chatKey === chatKey && s.out.type === 'message').map((s) => (s.out as { text: string }).text);

beforeEach(async () => {
  sent.length = 0;
  store = new MemoryStore({ botMs: 60_000, handledMs: 60_000 });
  // One counselor on shift, so the child is not told that nobody is there.
  await store.setPresence('anna', 60_000);
  core = build(store);
});

async function crisis(chatKey: string) {
  await core.inbound.handle({ channel: 'test', chatKey, userKey: chatKey, kind: 'text', text: 'я не хочу жить' });
  const id = (await store.findChat('test', chatKey))!;
  return id;
}

describe('core use cases', () => {
  it('queues a crisis, lets one counselor claim it, and relays messages both ways', async () => {
    const id = await crisis('a');
    expect((await store.getConversation(id))!.state).toBe('queued');
    const [x, y] = await Promise.allSettled([core.counselor.claim(id, 'anna'), core.counselor.claim(id, 'boris')]);
    const winners = [x, y].filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const loser = [x, y].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    const conv = (await store.getConversation(id))!;
    expect(conv.state).toBe('with_counselor');
    expect(conv.handled).toBe(true);
    const who = conv.counselorId!;
    await core.counselor.message(id, who, 'Привет, я здесь');
    expect(texts('a')).toContain('Привет, я здесь');
    await expect(core.counselor.message(id, who === 'anna' ? 'boris' : 'anna', 'x')).rejects.toBeInstanceOf(ForbiddenError);
    await core.inbound.handle({ channel: 'test', chatKey: 'a', userKey: 'a', kind: 'text', text: 'мне страшно' });
    const log = await store.getTranscript(id);
    expect(log.map((e) => e.from)).toContain('counselor');
    expect(log.at(-1)).toMatchObject({ from: 'child', text: 'мне страшно' });
    expect(await store.listActive()).toEqual([id]);
  });

  it('returns a released conversation to the head of its risk band and tells the child', async () => {
    const first = await crisis('a');
    const second = await crisis('b');
    await core.counselor.claim(second, 'anna');
    await core.counselor.release(second, 'counselor vanished', 'disconnect');
    const q = await store.listQueue();
    expect(q.map((i) => i.id)).toEqual([second, first]);
    expect(texts('b').at(-1)).toBe(content.i18n.t('ru', 'counselor-left'));
  });

  it('closes with a record; a new message afterwards starts a new conversation', async () => {
    const id = await crisis('a');
    await core.counselor.claim(id, 'anna');
    await core.counselor.close(id, 'anna', { form: { categories: ['mental_health'], subcategories: [], outcome: 'supported', assessment: { wishDead: 'yes', thoughts: 'yes', method: 'no', intent: 'no', plan: 'no', behaviour: 'no', timeFrame: 'today' } }, note: 'ok' });
    const closed = (await store.getConversation(id))!;
    expect(closed.state).toBe('closed');
    expect(closed.meta.closeCategory).toBe('mental_health');
    expect(texts('a').at(-1)).toBe(content.i18n.t('ru', 'conversation-closed'));
    await expect(core.counselor.claim(id, 'boris')).rejects.toBeInstanceOf(ConflictError);
    await expect(core.counselor.transfer(id, 'boris')).rejects.toBeInstanceOf(IllegalTransition);
    await core.inbound.handle({ channel: 'test', chatKey: 'a', userKey: 'a', kind: 'text', text: 'привет' });
    const next = (await store.findChat('test', 'a'))!;
    expect(next).not.toBe(id);
    expect((await store.getConversation(next))!.state).toBe('bot');
  });

  it('a child leaving the queue goes back to the bot', async () => {
    const id = await crisis('a');
    await core.inbound.handle({ channel: 'test', chatKey: 'a', userKey: 'a', kind: 'button', value: 'action:leave_queue' });
    expect((await store.getConversation(id))!.state).toBe('bot');
    expect(await store.queuePosition(id)).toBeNull();
    expect(texts('a').at(-1)).toBe(content.i18n.t('ru', 'queue-left'));
  });

  it('asks the safety question for unclear distress and queues at high on "don\'t know"', async () => {
    const t: Triage = {
      name: 'fixed',
      classify: async () => ({ intent: 'distress_unclear', topic: 'emotions', risk: 'medium', confidence: 0.8, reasons: [], script: 'safety_question', safetyCheck: true }),
    };
    core = build(store, t);
    await core.inbound.handle({ channel: 'test', chatKey: 'a', userKey: 'a', kind: 'text', text: 'мне плохо' });
    const id = (await store.findChat('test', 'a'))!;
    expect(texts('a').at(-1)).toBe(content.i18n.t('ru', 'safety-question'));
    const q = sent.at(-1)!.out as { buttons: { value: string }[] };
    expect(q.buttons.map((b) => b.value)).toEqual(['safety:yes', 'safety:no', 'safety:unknown']);
    // A typed answer works like the button.
    await core.inbound.handle({ channel: 'test', chatKey: 'a', userKey: 'a', kind: 'text', text: 'не знаю' });
    const conv = (await store.getConversation(id))!;
    expect(conv.state).toBe('queued');
    expect(conv.risk).toBe('high');
  });

  it('falls back to the lexicon when the classifier throws', async () => {
    core = build(store, { name: 'broken', classify: async () => Promise.reject(new Error('model crashed')) });
    await crisis('a');
    expect(texts('a')[0]).toContain('8-800-2000-122');
    expect(await store.queueLength()).toBe(1);
  });

  it('when the store fails, the child still gets the numbers', async () => {
    await store.close();
    await core.inbound.handle({ channel: 'test', chatKey: 'z', userKey: 'z', kind: 'text', text: 'я не хочу жить' });
    const got = texts('z');
    expect(got).toHaveLength(1);
    expect(got[0]).toContain('112');
    expect(got[0]).toBe(content.i18n.t('ru', 'emergency'));
    await core.inbound.handle({ channel: 'test', chatKey: 'y', userKey: 'y', kind: 'text', text: 'привет' });
    expect(texts('y')[0]).toBe(content.i18n.t('ru', 'fallback-error'));
  });

  it('keeps the order of one chat\'s messages under concurrency', async () => {
    await Promise.all(Array.from({ length: 15 }, (_, i) => core.inbound.handle({ channel: 'test', chatKey: 'o', userKey: 'o', kind: 'text', text: `m${i}` })));
    const id = (await store.findChat('test', 'o'))!;
    const child = (await store.getTranscript(id)).filter((e) => e.from === 'child').map((e) => e.text);
    expect(child).toEqual(Array.from({ length: 15 }, (_, i) => `m${i}`));
  });

  it('records media as a label and answers kindly', async () => {
    await core.inbound.handle({ channel: 'test', chatKey: 'm', userKey: 'm', kind: 'media', media: 'sticker' });
    const id = (await store.findChat('test', 'm'))!;
    expect((await store.getTranscript(id))[0]).toMatchObject({ from: 'child', text: '[sticker]', kind: 'media' });
    expect(texts('m')).toEqual([content.i18n.t('ru', 'media-not-supported')]);
  });

  it('keeps the most serious topic of the conversation; a later message at the same or a lower risk does not rename it', async () => {
    const results: Record<string, TriageResult> = {
      first: { intent: 'x', topic: 'suicide', risk: 'high', confidence: 0.9, reasons: [], safetyCheck: false },
      later: { intent: 'y', topic: 'runaway', risk: 'high', confidence: 0.9, reasons: [], safetyCheck: false },
      worse: { intent: 'z', topic: 'violence', risk: 'imminent', confidence: 0.9, reasons: [], safetyCheck: false },
    };
    core = build(store, { name: 'fake', classify: async (text) => results[text]! });
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'text', text: 'first' });
    const id = (await store.findChat('test', 't'))!;
    // In the queue, back with the bot after leaving it, and then with a counselor: none renames it.
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'text', text: 'later' });
    expect(await store.getConversation(id)).toMatchObject({ topic: 'suicide', risk: 'high' });
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'button', value: 'action:leave_queue' });
    expect((await store.getConversation(id))!.state).toBe('bot');
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'text', text: 'later' });
    expect(await store.getConversation(id)).toMatchObject({ topic: 'suicide', risk: 'high' });
    await core.counselor.claim(id, 'anna');
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'text', text: 'later' });
    expect(await store.getConversation(id)).toMatchObject({ topic: 'suicide', risk: 'high' });
    // The message keeps its own reading.
    expect((await store.getTranscript(id)).find((e) => e.text === 'later')?.triage?.topic).toBe('runaway');
    await core.inbound.handle({ channel: 'test', chatKey: 't', userKey: 't', kind: 'text', text: 'worse' });
    expect(await store.getConversation(id)).toMatchObject({ topic: 'violence', risk: 'imminent' });
  });
});
