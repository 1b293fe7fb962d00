import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, InvalidInput, NotFoundError } from '../core/errors.js';
import type { Correction } from '../core/staff.js';
import { RISKS, TOPICS } from '../core/taxonomy.js';
import { parseBody, type ConsoleContext } from './context.js';
import { atLeast } from './roles.js';
import { correctionBodySchema } from './schemas.js';
import { canRead } from './views.js';

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const correctionBody = correctionBodySchema;
/** What one listing returns at most (and the export reads). */
const LIST_MAX = 5000;

/** One line of the eval format (src/triage/eval.ts): `npm run eval -- FILE` reads it. */
export function evalLine(c: Pick<Correction, 'text' | 'lang' | 'topic' | 'risk'>): string {
  return JSON.stringify({ text: c.text, lang: c.lang, risk: c.risk, topic: c.topic });
}

/**
 * Counselors' "triage was wrong" on a child message, and the list editors turn into paraphrased
 * intent examples. A correction quotes the child, so it is kept only as long as transcripts
 * (TRANSCRIPT_RETENTION_DAYS) and is never written into intents/ by the server.
 */
export async function correctionRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { core, auth, audit, corrections } = ctx;
  const counselor = auth.guard('counselor');
  const signedIn = auth.guard();
  /** Editors (whose work it is), supervisors and admins. */
  const readers = async (req: FastifyRequest, reply: FastifyReply) => {
    const role = req.staff!.role;
    if (!(atLeast(role, 'editor') || atLeast(role, 'supervisor'))) {
      return reply.status(403).send({ error: `a ${role} cannot read corrections (editors, supervisors and admins can)` });
    }
  };

  app.post<{ Params: { id: string; seq: string } }>('/api/conversations/:id/messages/:seq/correction', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(correctionBody, req.body, reply, `{"topic": one of ${TOPICS.join('|')}, "risk": one of ${RISKS.join('|')}}`);
    if (!body) return reply;
    if (!ID.test(req.params.id)) throw new NotFoundError('no such conversation');
    const seq = Number(req.params.seq);
    if (!Number.isInteger(seq) || seq < 0) throw new InvalidInput('the message number must be a whole number');
    const conv = await core.conversations.get(req.params.id);
    if (!canRead(req.staff!, conv)) throw new ForbiddenError('this conversation is with another counselor');
    const entry = (await core.queries.transcript(conv.id)).find((e) => e.seq === seq);
    if (!entry) throw new NotFoundError('no such message in this conversation');
    if (entry.from !== 'child' || entry.kind === 'media' || entry.kind === 'button' || !entry.triage) {
      throw new InvalidInput('only a child’s own written message has a triage to correct');
    }
    const correction: Correction = {
      id: `${conv.id}.${seq}`,
      conversationId: conv.id,
      seq,
      text: entry.text,
      lang: conv.locale,
      was: { topic: entry.triage.topic, risk: entry.triage.risk },
      topic: body.topic,
      risk: body.risk,
      by: req.staff!.id,
      at: Date.now(),
    };
    await corrections.put(correction, ctx.correctionTtlMs);
    // The audit names the levels, never the words.
    await audit.record(req.staff!.id, 'triage-correction', conv.id, `${correction.was.topic}/${correction.was.risk} → ${body.topic}/${body.risk}`);
    return reply.status(201).send(correction);
  });

  // ?format=jsonl: the eval format, one line per correction (what `npm run corrections` writes).
  app.get<{ Querystring: { limit?: string; format?: string } }>('/api/corrections', { preHandler: [signedIn, readers] }, async (req, reply) => {
    const limit = Math.min(Math.max(Number(req.query.limit) || 500, 1), LIST_MAX);
    const list = await corrections.list(limit);
    await audit.record(req.staff!.id, 'corrections-read', undefined, String(list.length));
    if (req.query.format === 'jsonl') {
      void reply.header('content-type', 'application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="corrections.jsonl"');
      return reply.send(list.map(evalLine).join('\n') + (list.length ? '\n' : ''));
    }
    return list;
  });
}
