// The real classifier on the real intents/: trained once (cached in test-artifacts/ while
// intents/ do not change), then measured on the labelled dev set and fed bad input.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent, type Content } from '../../src/content/load.js';
import { RISKS, TOPICS } from '../../src/core/taxonomy.js';
import { ensureModel } from '../../src/triage/ensure-model.js';
import { parseEvalFile, report, runEval } from '../../src/triage/eval.js';
import { ModelTriage } from '../../src/triage/model-triage.js';
import { normalizeText } from '../../src/core/text.js';

function fourGrams(text: string): Set<string> {
  const w = text.split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 4 <= w.length; i++) out.add(w.slice(i, i + 4).join(' '));
  return out;
}

const DEV = '../shared/eval/dev.jsonl';
const MODEL_DIR = 'test-artifacts/triage-model';

/**
 * Floors a little under what the model reached on dev when these were last set (escalation 1.00,
 * imminent 0.958, false alarms 0.019, topic 0.921, risk 0.846; `npm run eval -- ../shared/eval/dev.jsonl`),
 * and at the targets where those are stricter than "a little under".
 * Speed is not asserted here (a busy CI machine would make it flaky): bench/triage.ts measures
 * latency p50/p99, throughput and load time against the lexicon baseline.
 */
const FLOORS = {
  escalation_recall: 0.97,
  imminent_recall: 0.92,
  false_alarm_max: 0.05,
  // 0.921 → 0.875 when the corpus was relabelled by the taxonomy's conventions (hyperbole to
  // emotions, a parent's drinking to substances, adults to parent): dev labels disagree with some of
  // them. The challenge set, written from the taxonomy, holds 0.84–0.867 under its own floor.
  topic_accuracy: 0.86,
  risk_accuracy: 0.8,
};

let content: Content;
let model: ModelTriage;

beforeAll(async () => {
  content = loadContent('.');
  const ensured = await ensureModel(MODEL_DIR, content, () => {}, { train: 'in-process' });
  model = await ModelTriage.load(ensured.dir, () => content);
}, 120_000);

afterAll(async () => {
  await model?.dispose();
});

describe('model triage on the dev set', () => {
  const present = existsSync(DEV);
  if (!present) console.warn(`SKIPPED: ${DEV} is absent, so the dev-set figures are not checked`);

  it.skipIf(!present)('reaches the floors', async () => {
    const outcomes = await runEval(model, parseEvalFile(readFileSync(DEV, 'utf8')));
    const r = report(outcomes);
    console.log(JSON.stringify(r));
    expect(r.escalation_recall).toBeGreaterThanOrEqual(FLOORS.escalation_recall);
    expect(r.imminent_recall).toBeGreaterThanOrEqual(FLOORS.imminent_recall);
    expect(r.false_alarm_rate).toBeLessThanOrEqual(FLOORS.false_alarm_max);
    expect(r.topic_accuracy).toBeGreaterThanOrEqual(FLOORS.topic_accuracy);
    expect(r.risk_accuracy).toBeGreaterThanOrEqual(FLOORS.risk_accuracy);
  });
});

/**
 * test/fixtures/triage-challenge.jsonl: 300 lines written for this check by someone who had seen
 * neither intents/ nor the dev set (never train on it, never copy from it). It tells whether the
 * corpus generalises; floors a little under the last figures (escalation 1.00, imminent 1.00,
 * false alarms 0.047, topic 0.85, risk 0.78).
 */
const CHALLENGE = 'test/fixtures/triage-challenge.jsonl';
const CHALLENGE_FLOORS = { escalation_recall: 0.97, imminent_recall: 0.9, false_alarm_max: 0.065, topic_accuracy: 0.82, risk_accuracy: 0.75 };

describe('model triage on the independent challenge set', () => {
  it('reaches the floors', async () => {
    const r = report(await runEval(model, parseEvalFile(readFileSync(CHALLENGE, 'utf8'))));
    console.log(JSON.stringify(r));
    expect(r.n).toBe(300);
    expect(r.escalation_recall).toBeGreaterThanOrEqual(CHALLENGE_FLOORS.escalation_recall);
    expect(r.imminent_recall).toBeGreaterThanOrEqual(CHALLENGE_FLOORS.imminent_recall);
    expect(r.false_alarm_rate).toBeLessThanOrEqual(CHALLENGE_FLOORS.false_alarm_max);
    expect(r.topic_accuracy).toBeGreaterThanOrEqual(CHALLENGE_FLOORS.topic_accuracy);
    expect(r.risk_accuracy).toBeGreaterThanOrEqual(CHALLENGE_FLOORS.risk_accuracy);
  });

  it('is neither copied nor closely followed by any training example (nor is the dev set)', () => {
    const files = [CHALLENGE, ...(existsSync(DEV) ? [DEV] : [])];
    const lines = files.flatMap((f) => parseEvalFile(readFileSync(f, 'utf8')).map((r) => normalizeText(r.text)));
    const exact = new Set(lines);
    const lineGrams = lines.map((l) => fourGrams(l));
    const copied: string[] = [];
    for (const intent of content.intents) {
      for (const text of Object.values(intent.examples).flat()) {
        const n = normalizeText(text);
        // Two-word stock phrases ("привет", "are you") may be written by anyone.
        if (exact.has(n) && n.split(' ').length > 2) copied.push(`${intent.id}: ${text}`);
        const g = fourGrams(n);
        if (!g.size) continue;
        for (const lg of lineGrams) {
          let shared = 0;
          for (const x of g) if (lg.has(x)) shared++;
          if (shared > 0 && shared / Math.min(g.size, lg.size) >= 0.5) {
            copied.push(`${intent.id}: ${text}`);
            break;
          }
        }
      }
    }
    expect(copied).toEqual([]);
  });
});

describe('model triage on bad input', () => {
  const inputs: Record<string, string> = {
    empty: '',
    spaces: '   \n\t ',
    emoji: '😭😭😭💔',
    long: 'мне плохо '.repeat(1000) + 'не хочу жить',
    mixed: 'мне so bad, хочу die 😭 漢字',
    translit: 'ya ne hochu zhit, vse nadoelo',
    caps: 'МЕНЯ БЬЁТ ОТЧИМ',
    stretched: 'помогитеееее',
    control: 'a\u0000b\u200b\ufffd',
    digits: '12345',
  };

  it('never throws and always gives a valid result', async () => {
    for (const [name, text] of Object.entries(inputs)) {
      const r = await model.classify(text, { priorRisk: 'none' });
      expect(RISKS, name).toContain(r.risk);
      expect(TOPICS, name).toContain(r.topic);
      expect(Number.isFinite(r.confidence), name).toBe(true);
    }
    const weird = await model.classify(undefined as unknown as string, { priorRisk: 'medium' });
    expect(weird.risk).toBe('medium');
  });

  it('reads a message of only words the corpus does not know as no topic, never an escalation', async () => {
    for (const text of ['щзхъжэ гшщзхъ', 'qwrtzp vbnmkj', 'ksdjfh lkjsdf lkjsdf']) {
      const r = await model.classify(text, { priorRisk: 'none' });
      expect(r, text).toMatchObject({ topic: 'other', risk: 'none', intent: 'unknown' });
      expect(r.reasons, text).toContain('no word the corpus knows: not read by the model');
    }
    // A typo keeps its stem, so the model still reads it; the earlier risk stays a floor.
    expect((await model.classify('хачу умиреть', { priorRisk: 'none' })).reasons).not.toContain('no word the corpus knows: not read by the model');
    expect((await model.classify('щзхъжэ гшщзхъ', { priorRisk: 'high' })).risk).toBe('high');
  });

  it('keeps the crisis signal in long, shouted, stretched or transliterated messages', async () => {
    expect((await model.classify(inputs.long!, { priorRisk: 'none' })).risk).toMatch(/high|imminent/);
    expect((await model.classify(inputs.caps!, { priorRisk: 'none' })).risk).toMatch(/high|imminent/);
    expect((await model.classify(inputs.translit!, { priorRisk: 'none' })).risk).toMatch(/high|imminent/);
    expect((await model.classify('уже выпила все таблетки', { priorRisk: 'none' })).risk).toBe('imminent');
  });

  it('lifts a decided act with a time to imminent, but not homework tonight', async () => {
    expect((await model.classify('i wrote my note. tell my sister im sorry. im doing it tonight', { priorRisk: 'none' })).risk).toBe('imminent');
    expect((await model.classify('я всё решила, сегодня ночью сделаю это', { priorRisk: 'none' })).risk).toBe('imminent');
    expect((await model.classify('сегодня доделаю проект по химии, завтра сдавать', { priorRisk: 'none' })).risk).not.toMatch(/high|imminent/);
    expect((await model.classify('gonna do it tonight, the homework i mean lol', { priorRisk: 'none' })).risk).not.toMatch(/high|imminent/);
  });

  it('tells abuse now from abuse when the child was little ("сейчас мне 14" is not "right now")', async () => {
    expect((await model.classify('отчим трогает меня прямо сейчас, он в моей комнате', { priorRisk: 'none' })).risk).toBe('imminent');
    const past = await model.classify('когда мне было 7 сосед трогал меня. сейчас мне 15 и я об этом думаю', { priorRisk: 'none' });
    expect(past.topic).toBe('sexual_abuse');
    expect(past.risk).not.toBe('imminent');
  });

  it('takes a crisis phrase quoted in a question about the service as a question, and still asks the safety question', async () => {
    const quoted = await model.classify('а что будет если человек напишет что хочет умереть? вы сразу родителям звоните? просто спрашиваю', { priorRisk: 'none' });
    expect(quoted.topic).toBe('service_info');
    expect(quoted.risk).toBe('medium');
    expect(quoted.safetyCheck).toBe(true);
    const own = await model.classify('если я напишу что хочу умереть вы позвоните маме? мне правда очень плохо, я не хочу жить', { priorRisk: 'none' });
    expect(own.risk).toBe('high');
  });

  it('does not escalate everyday short messages and chat closings, but still the crisis in a longer one', async () => {
    for (const text of ['нет', 'на сегодня всё', 'увидимся завтра', 'im going to sleep', 'hello, nice to meet you', 'спасибо, мне уже лучше, пока']) {
      expect((await model.classify(text, { priorRisk: 'none' })).risk, text).not.toMatch(/high|imminent/);
    }
    expect((await model.classify('мне страшно', { priorRisk: 'none' })).risk).not.toBe('imminent');
    expect((await model.classify('пойду спать и больше не проснусь', { priorRisk: 'none' })).risk).toMatch(/high|imminent/);
  });

  it('reads a number as a number: the same message with another age gets the same result', async () => {
    const a = await model.classify('im 12 and my mom wont let me have a phone', { priorRisk: 'none' });
    const b = await model.classify('im 15 and my mom wont let me have a phone', { priorRisk: 'none' });
    expect(b.risk).toBe(a.risk);
    expect(b.confidence).toBeCloseTo(a.confidence, 6);
  });

  it('does not escalate empty or emoji-only messages and keeps the earlier risk', async () => {
    expect((await model.classify('', { priorRisk: 'none' })).risk).toBe('none');
    expect((await model.classify('😊', { priorRisk: 'none' })).topic).toBe('other');
    expect((await model.classify('😊', { priorRisk: 'high' })).risk).toBe('high');
  });

  it('answers a batch like single messages', async () => {
    const texts = Object.values(inputs);
    const batch = await model.classifyMany(texts, { priorRisk: 'none' });
    for (let i = 0; i < texts.length; i++) {
      const one = await model.classify(texts[i]!, { priorRisk: 'none' });
      expect(batch[i]!.risk).toBe(one.risk);
      expect(batch[i]!.topic).toBe(one.topic);
    }
  });

  it('loads a trained model again with its labels and content version (load time: bench/triage.ts)', async () => {
    const again = await ModelTriage.load(MODEL_DIR, () => content);
    expect(again.info.labels).toBe(content.intents.length);
    expect((await again.classify('не хочу жить', { priorRisk: 'none' })).risk).toMatch(/high|imminent/);
    await again.dispose();
  });
});
