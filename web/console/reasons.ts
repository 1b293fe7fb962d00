// The triage's reasons and the stored system lines in a counselor's words. The store keeps codes
// and classifier lines (no words); these patterns read those lines and the words come from
// locales/console.<locale>.ftl (console-reason-*, console-system-*). The raw lines stay behind
// "подробнее".
import type { ConsolePageMessage } from '../../src/core/console-messages.js';
import { name, t, type Args } from './text.js';

/** A line's pattern and the message it becomes, with the args taken from the match. */
type Rule = [RegExp, ConsolePageMessage, ((...groups: string[]) => Args)?];

const percent = (p: string) => ({ percent: Math.round(Number(p) * 100) });
const REASONS: Rule[] = [
  [/^phrase: "(.+)" \(in a question about the service\)$/, 'console-reason-phrase-service', (phrase) => ({ phrase })],
  [/^phrase: "(.+)" → (\w+)$/, 'console-reason-phrase', (phrase, r) => ({ phrase, risk: name('risk', r) })],
  [/^cue: (.+) → (\w+)$/, 'console-reason-cue', (_c, r) => ({ risk: name('risk', r) })],
  [/^P\(imminent\) ([\d.]+)$/, 'console-reason-p-imminent', percent],
  [/^P\(high or imminent\) ([\d.]+)$/, 'console-reason-p-high', percent],
  [/^split between calm .*$/, 'console-reason-split'],
  [/^too unclear .*$/, 'console-reason-unclear'],
  [/^low confidence .*$/, 'console-reason-low-confidence'],
  [/^earlier in conversation: (\w+)$/, 'console-reason-earlier', (r) => ({ risk: name('risk', r) })],
  [/^an everyday closing phrase.*$/, 'console-reason-closing'],
  [/^answers the safety question: a figure of speech$/, 'console-reason-figure-of-speech'],
  [/^an answer to the safety question.*$/, 'console-reason-safety-answer'],
  [/^an answer to the (\w+) question$/, 'console-reason-bot-question'],
  [/^model unavailable: lexicon only$/, 'console-reason-lexicon-only'],
  [/^no word the corpus knows.*$/, 'console-reason-unknown-words'],
];

function say(rules: Rule[], line: string): string | undefined {
  for (const [re, id, args] of rules) {
    const m = re.exec(line);
    if (m) return t(id, args?.(...m.slice(1)));
  }
  return undefined;
}

/** The reasons a counselor reads: rules that match, in order; lines no rule knows stay under the toggle. */
export function reasonWords(reasons: string[]): string[] {
  return reasons.map((r) => say(REASONS, r)).filter((w): w is string => w !== undefined);
}

/** System lines are stored as codes and English reasons (src/core/use-cases): shown in the console's language. */
const SYSTEM: Rule[] = [
  [/^claimed by (.+)$/, 'console-system-claimed', (n) => ({ name: n })],
  [/^closed by (.+)$/, 'console-system-closed', (n) => ({ name: n })],
  [/^transferred to (.+)$/, 'console-system-transferred', (n) => ({ name: n })],
  [/^returned to queue: the counselor lost connection$/, 'console-system-returned-disconnect'],
  [/^returned to queue: the counselor account was disabled$/, 'console-system-returned-disabled'],
  [/^returned to queue: the counselor can no longer take chats$/, 'console-system-returned-role'],
  [/^returned to queue: transferred to the queue by (.+)$/, 'console-system-returned-by', (n) => ({ name: n })],
  [/^returned to queue: .*$/, 'console-system-returned'],
  [/^hand-raised$/, 'console-system-hand-raised'],
  [/^imminent-acknowledged$/, 'console-system-imminent-acknowledged'],
  [/^supervisor-joined$/, 'console-system-supervisor-joined'],
  [/^queue-abandoned$/, 'console-system-queue-abandoned'],
  [/^delivery-failed$/, 'console-system-delivery-failed'],
];

export function systemText(text: string): string {
  return say(SYSTEM, text) ?? text;
}
