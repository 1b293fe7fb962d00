import type { FastifyInstance } from 'fastify';
import { InvalidInput, NotFoundError } from '../core/errors.js';
import type { Conversation } from '../core/types.js';
import { actionWords, inWords, parseDay, SUPERVISION_ACTIONS, type AuditFilter } from './audit-view.js';
import { parseBody, type ConsoleContext } from './context.js';
import { liveView } from './live-view.js';
import { atLeast } from './roles.js';
import { blockBodySchema, handBodySchema, textBodySchema } from './schemas.js';
import { summary } from './views.js';

const ID = /^[A-Za-z0-9_-]{8,64}$/;
type WithId = { Params: { id: string } };

/**
 * The supervisor safety net over HTTP: the live view, whisper, join, acknowledge, and the raised
 * hand (a counselor's); the audit log in words. Every supervisor action is audited.
 */
export async function supervisorRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { core, auth, audit, accounts } = ctx;
  const supervisor = auth.guard('supervisor');
  const counselor = auth.guard('counselor');
  const textBody = textBodySchema(ctx.maxTextChars);

  async function load(id: string): Promise<Conversation> {
    if (!ID.test(id)) throw new NotFoundError('no such conversation');
    return core.conversations.get(id);
  }

  app.get('/api/supervisor/live', { preHandler: supervisor }, async () => liveView(core, accounts, { shiftMs: ctx.shiftMs, maxChats: ctx.maxChats }));

  app.post<WithId>('/api/conversations/:id/whisper', { preHandler: supervisor }, async (req, reply) => {
    const body = parseBody(textBody, req.body, reply, '{"text"}');
    if (!body) return reply;
    await load(req.params.id);
    const entry = await core.safety.whisper(req.params.id, req.staff!.id, body.text);
    await audit.record(req.staff!.id, 'whisper', req.params.id);
    return reply.status(201).send(entry);
  });

  app.post<WithId>('/api/conversations/:id/join', { preHandler: supervisor }, async (req) => {
    await load(req.params.id);
    const conv = await core.safety.join(req.params.id, req.staff!.id);
    await audit.record(req.staff!.id, 'join', conv.id);
    return summary(conv);
  });

  app.post<WithId>('/api/conversations/:id/ack', { preHandler: supervisor }, async (req) => {
    await load(req.params.id);
    const conv = await core.safety.ack(req.params.id, req.staff!.id);
    await audit.record(req.staff!.id, 'ack', conv.id);
    return summary(conv);
  });

  // Blocking an abusive contact (issue 18): 1 to 365 days with a reason, audited (the reason in
  // the audit detail, never the child's words). The block expires by itself.
  app.post<WithId>('/api/conversations/:id/block', { preHandler: supervisor }, async (req, reply) => {
    const body = parseBody(blockBodySchema, req.body, reply, '{"days": 1…365, "reason": "…"}');
    if (!body) return reply;
    await load(req.params.id);
    const block = await core.blocking.block(req.params.id, body.days, body.reason, req.staff!.id);
    await audit.record(req.staff!.id, 'block', req.params.id, `${body.days} d: ${block.reason}`);
    return { until: block.until, days: body.days };
  });
  app.delete<WithId>('/api/conversations/:id/block', { preHandler: supervisor }, async (req) => {
    await load(req.params.id);
    await core.blocking.unblock(req.params.id);
    await audit.record(req.staff!.id, 'unblock', req.params.id);
    return { ok: true };
  });

  const handBody = handBodySchema;
  app.post<WithId>('/api/conversations/:id/hand', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(handBody, req.body, reply, '{"raised": true|false} (default true)');
    if (!body) return reply;
    await load(req.params.id);
    const conv = await core.safety.hand(req.params.id, req.staff!.id, body.raised);
    await audit.record(req.staff!.id, body.raised ? 'hand' : 'hand-lowered', conv.id);
    return summary(conv);
  });

  // A supervisor's sign-off of an emergency referral (after the close too: the record is updated).
  app.post<WithId>('/api/conversations/:id/referral/sign-off', { preHandler: supervisor }, async (req) => {
    await load(req.params.id);
    const conv = await core.counselor.signOffReferral(req.params.id, req.staff!.id);
    await audit.record(req.staff!.id, 'referral-sign-off', conv.id);
    return summary(conv);
  });

  // The actions the audit view can filter by, in words: all for admins, the work on conversations for supervisors.
  app.get<{ Querystring: { locale?: string } }>('/api/audit/actions', { preHandler: supervisor }, async (req) => {
    const { i18n } = ctx.content();
    const locale = i18n.resolve(typeof req.query.locale === 'string' ? req.query.locale : undefined);
    const admin = atLeast(req.staff!.role, 'admin');
    return actionWords(i18n, locale).filter((a) => admin || SUPERVISION_ACTIONS.has(a.action));
  });

  // The log in words. Admins see all of it; supervisors the work on conversations.
  app.get<{ Querystring: { by?: string; action?: string; from?: string; to?: string; limit?: string; locale?: string } }>(
    '/api/audit',
    { preHandler: supervisor },
    async (req) => {
      const q = req.query;
      const limit = Math.min(Math.max(Number(q.limit) || 200, 1), 5000);
      const from = parseDay(q.from, false);
      const to = parseDay(q.to, true);
      if (Number.isNaN(from) || Number.isNaN(to)) throw new InvalidInput('from/to: a day as YYYY-MM-DD or an ISO date-time');
      const asked = q.action ? q.action.split(',').map((a) => a.trim()).filter(Boolean) : [];
      const admin = atLeast(req.staff!.role, 'admin');
      const allowed = admin ? asked : (asked.length ? asked : [...SUPERVISION_ACTIONS]).filter((a) => SUPERVISION_ACTIONS.has(a));
      if (!admin && asked.length && !allowed.length) return [];
      const filter: AuditFilter = { by: q.by?.trim().toLowerCase() || undefined, actions: allowed, from, to };
      const { i18n } = ctx.content();
      const locale = i18n.resolve(typeof q.locale === 'string' ? q.locale : undefined);
      return (await audit.find(filter, limit)).map((e) => inWords(e, i18n, locale));
    },
  );
}
