// Live-path bugs the old shape of the core caused; each test failed on main before the core
// restructure (5813c3a) and passes now.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadContent, type Content } from '../../src/content/load.js';
import { createCore, type Core } from '../../src/core/core.js';
import { parseOpeningHours, type OpeningHours } from '../../src/core/opening-hours.js';
import type { Triage } from '../../src/core/ports.js';
import type { TriageResult } from '../../src/core/types.js';
import { Delivery } from '../../src/core/use-cases/delivery.js';
import { Metrics } from '../../src/metrics.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { LexiconTriage } from '../../src/triage/lexicon-triage.js';
import { makeContentDir } from '../content/fixture.js';

const content: Content = loadContent(makeContentDir());
const lexicon = new LexiconTriage(() => content);
const h24 = parseOpeningHours('24/7', 'Europe/Moscow', '');

interface Built {
  core: Core;
  store: MemoryStore;
  metrics: Metrics;
  logs: string[];
  clock: { now: number };
}

function build(opts: { triage?: Triage; hours?: OpeningHours; store?: MemoryStore } = {}): Built {
  const store = opts.store ?? new MemoryStore({ botMs: 60_000, handledMs: 60_000 });
  const delivery = new Delivery();
  delivery.register('test', { send: async () => undefined });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const metrics = new Metrics(store);
  const clock = { now: Date.now() };
  const core = createCore({
    store,
    triage: () => opts.triage ?? lexicon,
    fallbackTriage: lexicon,
    content: () => content,
    sender: delivery,
    hours: opts.hours ?? h24,
    log: pino({ level: 'info' }, sink),
    maxTextChars: 500,
    graceMs: 60_000,
    waitingMessageMs: 180_000,
    observer: metrics,
    now: () => clock.now,
  });
  return { core, store, metrics, logs, clock };
}

const say = (core: Core, chatKey: string, text: string) => core.inbound.handle({ channel: 'test', chatKey, userKey: chatKey, kind: 'text', text });

async function metric(metrics: Metrics, name: string, labels = ''): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

describe('regressions of the old core shape', () => {
  let b: Built;
  beforeEach(async () => {
    b = build();
    await b.store.setPresence('anna', 60_000);
  });

  it('1. a claim never leaves a ghost queue entry, even when the child writes during the claim', async () => {
    // The child's next message is slow to classify (a busy model) and raises the risk to imminent.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: Triage = {
      name: 'slow',
      classify: async (text, ctx): Promise<TriageResult> => {
        const r = await lexicon.classify(text, ctx);
        if (text !== 'я стою на крыше прямо сейчас') return r;
        await gate;
        return { ...r, risk: 'imminent', topic: 'suicide', reasons: ['test: imminent'] };
      },
    };
    const s = build({ triage: slow });
    await s.store.setPresence('anna', 60_000);
    await say(s.core, 'g', 'я не хочу жить');
    const id = (await s.store.findChat('test', 'g'))!;
    expect((await s.store.getConversation(id))!.state).toBe('queued');
    const child = say(s.core, 'g', 'я стою на крыше прямо сейчас');
    await new Promise((r) => setTimeout(r, 20)); // the child's message holds the conversation now
    const claim = s.core.counselor.claim(id, 'anna');
    await new Promise((r) => setTimeout(r, 20));
    release();
    await Promise.all([child, claim]);
    const conv = (await s.store.getConversation(id))!;
    expect(conv.state).toBe('with_counselor');
    expect(conv.risk).toBe('imminent');
    expect((await s.store.listQueue()).map((q) => q.id)).not.toContain(id);
    expect((await s.core.queries.queue()).total).toBe(0);
  });

  it('2. a child returned to the queue raises the "imminent waiting over a minute" figure', async () => {
    const imminent: Triage = { name: 'imminent', classify: async (text, ctx) => ({ ...(await lexicon.classify(text, ctx)), risk: 'imminent', topic: 'suicide' }) };
    b = build({ triage: imminent });
    await b.store.setPresence('anna', 60_000);
    await say(b.core, 'r', 'у меня таблетки в руке, сейчас выпью все');
    const id = (await b.store.findChat('test', 'r'))!;
    const conv = (await b.store.getConversation(id))!;
    expect(conv.risk).toBe('imminent');
    await b.core.counselor.claim(id, 'anna');
    // The counselor vanished two minutes ago: the child is back at the head of the queue since then.
    b.clock.now = Date.now() - 120_000;
    await b.core.counselor.release(id, 'the counselor lost connection', 'disconnect');
    const [item] = await b.store.listQueue();
    expect(item).toMatchObject({ id, risk: 'imminent', returned: true, position: 1 });
    expect(await metric(b.metrics, 'helpline_oldest_wait_seconds', '{risk="imminent"}')).toBeGreaterThanOrEqual(119);
  });

  it('a step name from a button is looked up by own keys only, and never logged', async () => {
    const { core, store, logs } = b;
    await core.inbound.handle({ channel: 'test', chatKey: 'proto', userKey: 'proto', kind: 'button', value: 'goto:constructor' });
    const id = (await store.findChat('test', 'proto'))!;
    const transcript = await store.getTranscript(id);
    const reply = transcript.find((e) => e.from === 'bot');
    // The menu, with words: not an empty message from Object.prototype.constructor.
    expect(reply?.text).toBe(content.i18n.t('ru', content.steps.menu!.text));
    expect(transcript.some((e) => e.text === 'delivery-failed')).toBe(false);
    expect(logs.join('')).not.toContain('constructor');
  });

  it('4a. opening hours or presence that cannot be read are logged and counted, and the child still gets an answer', async () => {
    const broken = new MemoryStore({ botMs: 60_000, handledMs: 60_000 });
    broken.listPresent = async () => Promise.reject(new Error('presence unavailable'));
    const s = build({ store: broken });
    await say(s.core, 'p', 'привет');
    const id = (await broken.findChat('test', 'p'))!;
    expect((await broken.getTranscript(id)).some((e) => e.from === 'bot')).toBe(true);
    expect(await metric(s.metrics, 'helpline_service_state_errors_total')).toBeGreaterThanOrEqual(1);
    const line = s.logs.find((l) => l.includes('service state unavailable'));
    expect(line).toBeDefined();
    expect(line).not.toContain('привет');
    const hours: OpeningHours = { always: false, text: 'broken', isOpen: () => { throw new Error('bad time zone'); } };
    const t = build({ hours });
    await say(t.core, 'q', 'привет');
    expect(await metric(t.metrics, 'helpline_service_state_errors_total')).toBe(1);
  });

  it('4b. a triage that throws is logged and counted; the lexicon answers and the crisis is still handed off', async () => {
    const s = build({ triage: { name: 'broken', classify: async () => Promise.reject(new Error('model crashed')) } });
    await say(s.core, 't', 'я не хочу жить');
    const id = (await s.store.findChat('test', 't'))!;
    expect((await s.store.getConversation(id))!.state).toBe('queued');
    expect(await metric(s.metrics, 'helpline_triage_errors_total', '{stage="fallback"}')).toBe(1);
    const line = s.logs.find((l) => l.includes('triage failed'));
    expect(line).toBeDefined();
    expect(line).not.toContain('жить');
  });
});
