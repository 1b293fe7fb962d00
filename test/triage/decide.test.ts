import { describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/load.js';
import { DEFAULT_THRESHOLDS, decide, type ModelPrediction } from '../../src/triage/decide.js';
import { cueGroups, miniContent } from './helpers.js';

const cues: Content['cues'] = {
  groups: cueGroups({ means: ['таблет*', 'крыш*'], soon: ['сегодня ночью', 'сейчас'], past: ['в прошлом году'], hypothetical: ['что будет если'], closing: ['на сегодня все', 'пойду спать'], figurative: ['не буквально', 'not literally'] }),
  rules: [{ name: 'means and time', all: ['means', 'soon'], unless: ['past'], when_topic: ['suicide'], risk: 'imminent' }],
};
const content = miniContent(
  [
    { id: 'greet', topic: 'greeting', risk: 'none', ru: ['привет'], script: 'greeting' },
    { id: 'privacy', topic: 'service_info', risk: 'none', ru: ['вы звоните родителям?'] },
    { id: 'marks', topic: 'school', risk: 'low', ru: ['двойка'], script: 'selfhelp_school' },
    { id: 'exams', topic: 'school', risk: 'low', ru: ['экзамен'], script: 'selfhelp_school' },
    { id: 'sad', topic: 'emotions', risk: 'medium', ru: ['грустно'], safetyCheck: true },
    { id: 'ideation', topic: 'suicide', risk: 'high', ru: ['не хочу жить'], lexicon: ['не хоч* жить'], script: 'crisis_high' },
    { id: 'attempt', topic: 'suicide', risk: 'imminent', ru: ['выпил таблетки'], script: 'crisis_imminent' },
  ],
  cues,
);

function pred(scores: Record<string, number>): ModelPrediction {
  const alternatives = Object.entries(scores)
    .map(([label, score]) => {
      const i = content.intentById.get(label)!;
      return { label, score, intent: label, topic: i.topic, risk: i.risk };
    })
    .sort((a, b) => b.score - a.score);
  return { ...alternatives[0]!, alternatives };
}

describe('decide', () => {
  it('takes the topic with the most probability, and the best intent in it', () => {
    const r = decide('текст', pred({ greet: 0.3, marks: 0.25, exams: 0.25, sad: 0.2 }), content, 'none');
    expect(r.topic).toBe('school');
    expect(r.intent).toBe('marks');
    expect(r.script).toBe('selfhelp_school');
    expect(r.confidence).toBeCloseTo(0.5);
    expect(r.reasons.some((x) => x.startsWith('model: greet'))).toBe(true);
  });

  it('asks for clarification (topic other) when no topic is likely enough', () => {
    const r = decide('текст', pred({ greet: 0.22, marks: 0.12, exams: 0.11, sad: 0.22, ideation: 0.12, attempt: 0.11 }), content, 'none');
    expect(r.topic).toBe('other');
    expect(r.intent).toBe('unknown');
    expect(r.reasons.some((x) => x.startsWith('low confidence'))).toBe(true);
  });

  it('escalates when high-risk labels together pass the threshold, even if another label is on top', () => {
    const p = pred({ sad: 0.45, ideation: 0.3, attempt: 0.1, greet: 0.15 });
    const r = decide('текст', p, content, 'none', { ...DEFAULT_THRESHOLDS, escalateAt: 0.3 });
    expect(r.risk).toBe('high');
    expect(r.topic).toBe('suicide');
    expect(r.intent).toBe('ideation');
    const calm = decide('текст', p, content, 'none', { ...DEFAULT_THRESHOLDS, escalateAt: 0.5 });
    expect(calm.risk).toBe('medium');
    expect(calm.safetyCheck).toBe(true);
  });

  it('does not escalate on summed crisis probability when the model is split with "nothing wrong": it asks instead', () => {
    const p = pred({ greet: 0.5, ideation: 0.3, attempt: 0.15, sad: 0.05 });
    const r = decide('эээ ну привет', p, content, 'none');
    expect(r.risk).toBe('medium');
    expect(r.safetyCheck).toBe(true);
    expect(r.reasons.some((x) => x.startsWith('split between calm'))).toBe(true);
    // Without the veto the same distribution escalates; and a lexicon phrase still does with it.
    expect(decide('эээ ну привет', p, content, 'none', { ...DEFAULT_THRESHOLDS, calmVeto: 1 }).risk).toBe('high');
    expect(decide('привет, не хочу жить', p, content, 'none').risk).toBe('high');
    // Also when crisis is the median but "nothing wrong" still holds 40 %.
    const median = decide('эээ ну привет', pred({ greet: 0.42, ideation: 0.58 }), content, 'none');
    expect(median.risk).toBe('medium');
    expect(median.safetyCheck).toBe(true);
    expect(decide('эээ ну привет', pred({ greet: 0.3, ideation: 0.7 }), content, 'none').risk).toBe('high');
  });

  it('uses the lexicon as a floor the model cannot lower', () => {
    const r = decide('я правда не хочу больше жить', pred({ marks: 0.9, greet: 0.1 }), content, 'none');
    expect(r.risk).toBe('high');
    expect(r.intent).toBe('ideation');
    expect(r.topic).toBe('suicide');
    expect(r.reasons).toContain('phrase: "не хоч* жить" → high');
  });

  it('takes a lexicon phrase quoted in a question about the service as no floor, but asks the safety question', () => {
    const text = 'что будет если кто-то напишет не хочу жить? вы звоните родителям?';
    const quoted = decide(text, pred({ privacy: 0.7, ideation: 0.2, greet: 0.1 }), content, 'none');
    expect(quoted.risk).toBe('medium');
    expect(quoted.topic).toBe('service_info');
    expect(quoted.safetyCheck).toBe(true);
    // The same words when the model does not read a service question, or without the hypothetical frame: the floor holds.
    expect(decide(text, pred({ sad: 0.6, privacy: 0.3, greet: 0.1 }), content, 'none').risk).toBe('high');
    expect(decide('не хочу жить. вы звоните родителям?', pred({ privacy: 0.7, ideation: 0.2, greet: 0.1 }), content, 'none').risk).toBe('high');
  });

  it('asks instead of escalating an everyday closing ("на сегодня всё") that only the model reads as crisis', () => {
    const p = pred({ attempt: 0.8, ideation: 0.1, greet: 0.1 });
    const closing = decide('ладно, на сегодня всё', p, content, 'none');
    expect(closing.risk).toBe('medium');
    expect(closing.safetyCheck).toBe(true);
    expect(closing.topic).toBe('other');
    // More than a closing phrase, or a lexicon phrase in it: the model's risk stands.
    expect(decide('пойду спать и больше никогда никто меня не увидит', p, content, 'none').risk).toBe('imminent');
    expect(decide('на сегодня всё, не хочу жить', pred({ ideation: 0.9, greet: 0.1 }), content, 'none').risk).toBe('high');
  });

  it('keeps the conversation risk as a floor', () => {
    const r = decide('привет', pred({ greet: 0.95, marks: 0.05 }), content, 'high');
    expect(r.risk).toBe('high');
    expect(r.topic).toBe('greeting');
    expect(r.reasons).toContain('earlier in conversation: high');
  });

  it('lifts to imminent on a cue rule (means + time in suicide talk), but not for the past or another topic', () => {
    const now = decide('таблетки уже лежат, сегодня ночью', pred({ ideation: 0.7, sad: 0.3 }), content, 'none');
    expect(now.risk).toBe('imminent');
    expect(now.reasons).toContain('cue: means and time → imminent');
    const past = decide('в прошлом году сегодня ночью выпил таблетки', pred({ ideation: 0.7, sad: 0.3 }), content, 'none');
    expect(past.risk).toBe('high');
    const otherTopic = decide('сегодня ночью выпью таблетку от головы', pred({ marks: 0.9, greet: 0.1 }), content, 'none');
    expect(otherTopic.risk).toBe('low');
  });

  it('works without a model (lexicon only) and with a top-1 model', () => {
    expect(decide('просто текст', null, content, 'none')).toMatchObject({ intent: 'unknown', topic: 'other', risk: 'none' });
    expect(decide('не хочу жить', null, content, 'none')).toMatchObject({ intent: 'ideation', risk: 'high' });
    const top1 = { label: 'suicide/high', score: 0.6, topic: 'suicide' as const, risk: 'high' as const };
    expect(decide('текст', top1, content, 'none')).toMatchObject({ topic: 'suicide', risk: 'high' });
  });

  it('is pure', () => {
    const p = pred({ sad: 0.5, ideation: 0.3, greet: 0.2 });
    expect(decide('мне грустно сейчас', p, content, 'low')).toEqual(decide('мне грустно сейчас', p, content, 'low'));
  });
});

describe('decide with the risk output and the bot\'s last question', () => {
  it('reads risk from the risk output when the model has one, not from the intents', () => {
    // The school intent is low, but this example of it is at imminent by the risk output.
    const p = { ...pred({ marks: 0.9, greet: 0.1 }), riskScores: [0.02, 0.03, 0.05, 0.1, 0.8] };
    const r = decide('текст', p, content, 'none');
    expect(r.risk).toBe('imminent');
    expect(r.topic).toBe('school');
    const calm = decide('текст', { ...pred({ ideation: 0.9, greet: 0.1 }), riskScores: [0.7, 0.2, 0.05, 0.04, 0.01] }, content, 'none');
    expect(calm.risk).toBe('none');
    expect(calm.topic).toBe('suicide');
  });

  it('"нет" to the safety question is no crisis on the model alone; a crisis phrase still is', () => {
    const crisisLooking = { ...pred({ ideation: 0.8, sad: 0.2 }), riskScores: [0.05, 0.05, 0.1, 0.7, 0.1] };
    expect(decide('нет', crisisLooking, content, 'medium').risk).toBe('high');
    const answered = decide('нет', crisisLooking, content, 'medium', DEFAULT_THRESHOLDS, 'safety');
    expect(answered.risk).toBe('medium');
    expect(answered.safetyCheck).toBe(false);
    expect(answered.reasons).toContain('an answer to the safety question: the model alone does not escalate it');
    expect(decide('да, не хочу жить', crisisLooking, content, 'medium', DEFAULT_THRESHOLDS, 'safety').risk).toBe('high');
  });

  it('a figure of speech explained answers the safety question "no", but never lowers a real crisis', () => {
    const p = { ...pred({ sad: 0.6, ideation: 0.4 }), riskScores: [0.05, 0.1, 0.5, 0.3, 0.05] };
    // After "мама меня убьёт" (medium, asked): "не буквально" resolves it.
    const resolved = decide('не буквально, просто наругает', p, content, 'medium', DEFAULT_THRESHOLDS, 'safety');
    expect(resolved.safetyAnswer).toBe('no');
    expect(resolved.risk).toBe('medium');
    // After "не хочу жить" (high): the same words do not bring risk down.
    const afterCrisis = decide('не буквально, просто наругает', p, content, 'high', DEFAULT_THRESHOLDS, 'safety');
    expect(afterCrisis.risk).toBe('high');
    // And a crisis phrase in the clarification is no answer: it counts.
    const phrase = decide('не буквально, но не хочу жить', p, content, 'medium', DEFAULT_THRESHOLDS, 'safety');
    expect(phrase.safetyAnswer).toBeUndefined();
    expect(phrase.risk).toBe('high');
  });

  it('a one-word answer to the age question is not a topic', () => {
    const p = pred({ marks: 0.7, greet: 0.3 });
    expect(decide('14', p, content, 'medium').topic).toBe('school');
    const answer = decide('14', p, content, 'medium', DEFAULT_THRESHOLDS, 'age');
    expect(answer.topic).toBe('other');
    expect(answer.risk).toBe('medium');
    expect(answer.reasons).toContain('an answer to the age question');
  });
});
