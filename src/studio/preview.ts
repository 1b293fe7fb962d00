// The preview: a chat that runs a draft exactly as a child would meet it — the draft's words,
// scripts, lexicon and rules, the current model, the real policy — with no queue, no counselors
// and no store: the conversation lives in the editor's page and comes back with every turn.
import { z } from 'zod';
import { decodeButton } from '../core/buttons.js';
import { GREETING, policy, type Action, type PolicyEvent } from '../core/policy.js';
import type { TriageContext } from '../core/ports.js';
import { RISKS, TOPICS, maxRisk, riskRank } from '../core/taxonomy.js';
import type { Conversation, ConversationMeta, TriageResult } from '../core/types.js';
import { readAnswer } from '../core/use-cases/inbound.js';
import { renderSaying } from '../core/use-cases/outbound.js';
import type { Content } from '../content/load.js';

/** What the page holds between turns (nothing of it is stored anywhere). */
export const previewState = z.object({
  locale: z.string().max(10),
  state: z.enum(['bot', 'queued', 'closed']),
  risk: z.enum(RISKS),
  topic: z.enum(TOPICS),
  meta: z.record(z.string(), z.unknown()),
  turns: z.number().int().min(0),
});
export type PreviewState = z.infer<typeof previewState>;

export const previewEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('text'), text: z.string().min(1).max(4000) }),
  z.object({ type: z.literal('button'), value: z.string().max(200) }),
]);
export type PreviewEvent = z.infer<typeof previewEvent>;

export interface PreviewTurn {
  state: PreviewState;
  replies: { text: string; buttons?: { label: string; value: string }[] }[];
  /** What would happen beyond words: enqueue:<risk>, alert:<risk>, leave_queue, close. */
  effects: string[];
  triage?: Pick<TriageResult, 'topic' | 'risk' | 'intent' | 'reasons'>;
}

type Classify = (text: string, ctx: TriageContext) => Promise<TriageResult>;

function askedOf(pending: unknown): TriageContext['asked'] {
  if (pending === 'safety') return 'safety';
  if (pending === 'pre_age') return 'age';
  if (pending === 'pre_about') return 'about';
  return undefined;
}

/** One turn of the preview: the child's message or press, and what the bot does with it. */
export async function previewTurn(content: Content, classify: Classify, given: PreviewState | undefined, event: PreviewEvent): Promise<PreviewTurn> {
  const locale = content.i18n.resolve(given?.locale);
  const st: PreviewState = given ? { ...given, locale, meta: { ...given.meta } } : { locale, state: 'bot', risk: 'none', topic: 'other', meta: {}, turns: 0 };
  const now = Date.now();
  const conv: Conversation = { id: 'preview', channel: 'webchat', chatKey: 'preview', locale, state: st.state, risk: st.risk, topic: st.topic, createdAt: now, updatedAt: now, meta: st.meta as ConversationMeta };
  let triage: TriageResult | undefined;
  let actions: Action[];
  if (event.type === 'start') actions = [GREETING];
  else if (event.type === 'button') actions = policy({ type: 'button', value: decodeButton(event.value) }, conv, { countersAvailable: 1, open: true });
  else {
    triage = await classify(event.text, { priorRisk: conv.risk, locale, asked: askedOf(conv.meta.pending) });
    const e: PolicyEvent = { type: 'text', triage, first: st.turns === 0, answer: readAnswer(content.i18n, event.text) };
    actions = policy(e, conv, { countersAvailable: 1, open: true });
  }
  const replies: PreviewTurn['replies'] = [];
  const effects: string[] = [];
  for (const a of actions) {
    switch (a.type) {
      case 'say':
      case 'step': {
        const out = renderSaying(content, conv.locale, a);
        replies.push({ text: out.text, ...(out.buttons ? { buttons: out.buttons } : {}) });
        break;
      }
      case 'set_risk':
        // As the live conversation does (use-cases/actions.ts): risk never falls, a higher one renames the topic.
        if (a.topic && a.topic !== 'other' && (riskRank(a.risk) > riskRank(conv.risk) || conv.topic === 'other')) conv.topic = a.topic;
        conv.risk = maxRisk(conv.risk, a.risk);
        break;
      case 'set_pending':
        conv.meta.pending = a.pending;
        break;
      case 'set_meta':
        Object.assign(conv.meta, { [a.key]: a.value });
        break;
      case 'mark':
        conv.meta[a.flag] = true;
        break;
      case 'set_locale':
        if (content.i18n.has(a.locale)) conv.locale = a.locale;
        break;
      case 'enqueue':
        if (conv.state === 'bot') conv.state = 'queued';
        conv.risk = maxRisk(conv.risk, a.risk);
        effects.push(`enqueue:${conv.risk}`);
        break;
      case 'leave_queue':
        if (conv.state === 'queued') conv.state = 'bot';
        effects.push('leave_queue');
        break;
      case 'alert':
        effects.push(`alert:${a.risk}`);
        break;
      case 'close':
        conv.state = 'closed';
        effects.push('close');
        break;
      case 'queue_status':
        effects.push('queue_status');
        break;
    }
  }
  return {
    state: { locale: conv.locale, state: conv.state === 'with_counselor' ? 'queued' : conv.state, risk: conv.risk, topic: conv.topic, meta: conv.meta, turns: st.turns + (event.type === 'start' ? 0 : 1) },
    replies,
    effects,
    ...(triage ? { triage: { topic: triage.topic, risk: triage.risk, intent: triage.intent, reasons: triage.reasons } } : {}),
  };
}
