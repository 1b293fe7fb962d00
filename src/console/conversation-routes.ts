import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ConflictError, errInfo, ForbiddenError, InvalidInput, NotFoundError } from '../core/errors.js';
import { OUTCOMES } from '../core/outcomes.js';
import { categoriesOf, DEFAULT_TREE } from '../core/chi.js';
import { ASSESSMENT_EXPECTED, assessmentSchema, CLOSE_EXPECTED, closeBodySchema, closeFormOf, SAFETY_PLAN_EXPECTED, safetyPlanSchema } from './close-form.js';
import type { Conversation } from '../core/types.js';
import { parseBody, type ConsoleContext } from './context.js';
import { atLeast } from './roles.js';
import { frame, type Frame, presenceBodySchema, textBodySchema, transferBodySchema } from './schemas.js';
import { hashOf } from './sessions.js';
import { canRead, detail, queueView, summary } from './views.js';

/** Conversation ids are 22 base64url characters; anything else is not one. */
const ID = /^[A-Za-z0-9_-]{8,64}$/;

type WithId = { Params: { id: string } };

/** The queue, conversations, presence and the live feed. */
export async function conversationRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { core, auth, audit, hub, accounts } = ctx;
  const { counselor: actions, queries, presence } = core;
  const counselor = auth.guard('counselor');
  const textBody = textBodySchema(ctx.maxTextChars);

  async function load(id: string): Promise<Conversation> {
    if (!ID.test(id)) throw new NotFoundError('no such conversation');
    return core.conversations.get(id);
  }

  /** The assigned counselor, or a supervisor or admin. */
  function ownerOrSupervisor(req: FastifyRequest, conv: Conversation, what: string): void {
    const staff = req.staff!;
    if (conv.counselorId === staff.id || atLeast(staff.role, 'supervisor')) return;
    throw new ForbiddenError(`only the assigned counselor or a supervisor can ${what}`);
  }

  // Most urgent first, a page at a time (limit ≤ 500, default 200); the total waiting is in x-total-count.
  app.get<{ Querystring: { limit?: string; offset?: string } }>('/api/queue', { preHandler: counselor }, async (req, reply) => {
    const limit = Math.min(Math.max(Number(req.query.limit) || 200, 1), 500);
    const offset = Math.max(Number(req.query.offset) || 0, 0);
    const { total, items } = await queueView(queries, limit, offset);
    void reply.header('x-total-count', String(total));
    return items;
  });

  /** Counselors: their own chats. Supervisors and admins: every live chat. */
  app.get('/api/conversations', { preHandler: counselor }, async (req) => {
    const staff = req.staff!;
    return (await queries.live())
      .filter((c) => c.counselorId === staff.id || atLeast(staff.role, 'supervisor'))
      .map(summary)
      .sort((a, b) => a.updatedAt - b.updatedAt);
  });

  app.get<WithId>('/api/conversations/:id', { preHandler: counselor }, async (req) => {
    const conv = await load(req.params.id);
    if (!canRead(req.staff!, conv)) {
      throw new ForbiddenError(`you may not read this conversation (${conv.counselorId ? 'it is with another counselor' : `it is ${conv.state}`}); a supervisor can`);
    }
    await audit.record(req.staff!.id, 'open', conv.id);
    // "обращался раньше: N раз, последний — …": counts, a date, a topic and a risk, no text. A
    // records database that cannot answer leaves it out rather than failing the chat.
    const previous = ctx.previous
      ? await ctx.previous(conv.channel, conv.chatKey, conv.id).catch((err: unknown) => {
          req.log.warn({ err: errInfo(err) }, 'previous contacts unavailable');
          return null;
        })
      : null;
    return { ...detail(conv, await queries.transcript(conv.id)), previous };
  });

  app.post<WithId>('/api/conversations/:id/claim', { preHandler: counselor }, async (req) => {
    const staff = req.staff!;
    await load(req.params.id);
    const conv = await actions.claim(req.params.id, staff.id);
    await audit.record(staff.id, 'claim', conv.id);
    return summary(conv);
  });

  app.post<WithId>('/api/conversations/:id/messages', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(textBody, req.body, reply, '{"text"}');
    if (!body) return reply;
    await load(req.params.id);
    const entry = await actions.message(req.params.id, req.staff!.id, body.text);
    return reply.status(201).send(entry);
  });

  app.post<WithId>('/api/conversations/:id/notes', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(textBody, req.body, reply, '{"text"}');
    if (!body) return reply;
    const conv = await load(req.params.id);
    if (!canRead(req.staff!, conv)) throw new ForbiddenError('this conversation is with another counselor');
    const entry = await actions.note(conv.id, req.staff!.id, body.text);
    return reply.status(201).send(entry);
  });

  app.post<WithId>('/api/conversations/:id/typing', { preHandler: counselor }, async (req, reply) => {
    await load(req.params.id);
    await actions.typing(req.params.id, req.staff!.id);
    return reply.status(204).send();
  });

  const transferBody = transferBodySchema;
  app.post<WithId>('/api/conversations/:id/transfer', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(transferBody, req.body, reply, '{"to": "<counselor id>" | "queue", "note"?: "why, for the receiver (≤ 300 characters)"}');
    if (!body) return reply;
    const staff = req.staff!;
    const conv = await load(req.params.id);
    if (conv.state !== 'with_counselor') throw new ConflictError(`the conversation is ${conv.state}; only a live chat can be transferred`);
    ownerOrSupervisor(req, conv, 'transfer this conversation');
    let result: Conversation;
    if (body.to === 'queue') {
      result = await actions.release(conv.id, `transferred to the queue by ${staff.id}`, 'transfer');
    } else {
      const target = await accounts.get(body.to);
      if (!target || target.disabled || !atLeast(target.role, 'counselor')) {
        throw new InvalidInput(`no counselor "${body.to}"`);
      }
      if (target.id === conv.counselorId) throw new ConflictError(`the conversation is already with ${target.id}`);
      if (!(await presence.isConnected(target.id))) throw new ConflictError(`${target.id} is not online; transfer to the queue instead`);
      result = await actions.transfer(conv.id, target.id, staff.id, body.note || undefined);
    }
    await audit.record(staff.id, 'transfer', conv.id, body.to);
    return summary(result);
  });

  const closeBody = closeBodySchema(ctx.maxTextChars);
  app.post<WithId>('/api/conversations/:id/close', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(closeBody, req.body, reply, CLOSE_EXPECTED);
    if (!body) return reply;
    const { form, problems } = closeFormOf(body, ctx.content().categories);
    const signer = form.referral?.signedOffBy ? await accounts.get(form.referral.signedOffBy) : undefined;
    if (form.referral?.signedOffBy && (!signer || signer.disabled || !atLeast(signer.role, 'supervisor'))) {
      problems.push({ path: 'referral.signedOffBy', message: `no supervisor "${form.referral.signedOffBy}"` });
    }
    if (problems.length) {
      // Every problem at once, so a form shows them all; `error` names the first like other 400s.
      return reply.status(400).send({ error: `${problems[0]!.path}: ${problems[0]!.message}`, code: 'invalid_input', problems });
    }
    const staff = req.staff!;
    const conv = await load(req.params.id);
    ownerOrSupervisor(req, conv, 'close this conversation');
    const closable = conv.state === 'with_counselor' || (conv.state === 'queued' && atLeast(staff.role, 'supervisor'));
    if (!closable) throw new ConflictError(`the conversation is ${conv.state}; it cannot be closed now`);
    // The first console's form ({"category", "outcome"}) has no screener to send yet: it is taken
    // as before; the CHI form (categories, subcategories or a call type) is screened.
    const legacy = body.category !== undefined && !body.categories && !body.subcategories && !body.callType;
    const closed = await actions.close(conv.id, staff.id, { form, note: body.note || undefined, screen: !legacy });
    const filed = form.callType ? `call:${form.callType}` : `${categoriesOf(form).join('+')}/${form.outcome}`;
    await audit.record(staff.id, 'close', conv.id, filed);
    // cooldown: the console offers a short pause after a high or imminent chat (skippable).
    return { ...summary(closed.conv), cooldown: closed.cooldown };
  });

  // The suicide and self-harm screener, saved as the counselor asks it (answers only).
  app.post<WithId>('/api/conversations/:id/assessment', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(assessmentSchema, req.body, reply, ASSESSMENT_EXPECTED);
    if (!body) return reply;
    const conv = await load(req.params.id);
    ownerOrSupervisor(req, conv, 'assess this conversation');
    const saved = await actions.assess(conv.id, req.staff!.id, body);
    await audit.record(req.staff!.id, 'assessment', conv.id);
    return reply.status(201).send(saved);
  });

  // The safety plan: sent to the child as one message, kept for "мой план" (the record only notes it).
  app.post<WithId>('/api/conversations/:id/safety-plan', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(safetyPlanSchema, req.body, reply, SAFETY_PLAN_EXPECTED);
    if (!body) return reply;
    await load(req.params.id);
    const plan = await actions.safetyPlan(req.params.id, req.staff!.id, body);
    await audit.record(req.staff!.id, 'safety-plan', req.params.id);
    return reply.status(201).send(plan);
  });

  const presenceBody = presenceBodySchema;
  app.post('/api/presence', { preHandler: counselor }, async (req, reply) => {
    const body = parseBody(presenceBody, req.body, reply, '{"available": true|false}');
    if (!body) return reply;
    await presence.setAvailable(req.staff!.id, body.available);
    return { available: body.available };
  });

  /** Counselors who could take a transfer, with who is available and online. */
  app.get('/api/staff', { preHandler: counselor }, async () => {
    const [list, available] = await Promise.all([accounts.list(), presence.available()]);
    const avail = new Set(available);
    const staff = list.filter((a) => !a.disabled && atLeast(a.role, 'counselor'));
    const online = await Promise.all(staff.map((a) => presence.isConnected(a.id)));
    return staff.map((a, i) => ({ id: a.id, role: a.role, available: avail.has(a.id), online: online[i] }));
  });

  /** Canned replies: the canned-* messages of a locale's file. */
  app.get<{ Querystring: { locale?: string } }>('/api/canned', { preHandler: counselor }, async (req) => {
    const { i18n } = ctx.content();
    const locale = i18n.resolve(typeof req.query.locale === 'string' ? req.query.locale : undefined);
    return i18n.ids(locale, 'canned-').map((id) => ({ id, text: i18n.t(locale, id) }));
  });

  function categoryLabels(wanted?: string): Record<string, string> {
    const { i18n, categories } = ctx.content();
    const locale = i18n.resolve(wanted);
    const known = new Set(i18n.ids(locale));
    const tree = categories ?? DEFAULT_TREE;
    const out: Record<string, string> = {};
    const put = (key: string, id: string) => {
      if (known.has(id)) out[key] = i18n.t(locale, id);
    };
    for (const c of tree.categories) {
      put(c.id, `chi-${c.id}`);
      for (const sub of c.subcategories) put(`${c.id}.${sub}`, `chi-${c.id}-${sub}`);
    }
    for (const t of tree.callTypes) put(`call:${t}`, `chi-call-${t}`);
    return out;
  }

  /** What the console's forms need, and whether the chat is on shift. */
  app.get<{ Querystring: { locale?: string } }>('/api/meta', { preHandler: counselor }, async (req) => ({
    categories: (ctx.content().categories ?? DEFAULT_TREE).categories.map((c) => c.id),
    // The whole tree (subcategories, call types, age and gender groups); labels are chi-* messages.
    categoryTree: ctx.content().categories ?? DEFAULT_TREE,
    // Those labels in the console's language: "violence", "violence.bullying_in_school", "call:joke".
    categoryLabels: categoryLabels(typeof req.query.locale === 'string' ? req.query.locale : undefined),
    outcomes: OUTCOMES,
    openingHours: ctx.hours.text,
    open: ctx.hours.isOpen(),
    available: (await presence.available()).length,
  }));

  // The live feed. Browsers send the cookie with the upgrade; the Origin check stops other sites' pages.
  const sameOrigin = async (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (!origin) return;
    let host = '';
    try {
      host = new URL(origin).host;
    } catch {
      // fall through: refused below
    }
    if (host !== req.host) return reply.status(403).send({ error: 'cross-origin connection refused' });
  };
  app.get('/api/events', { websocket: true, preValidation: [sameOrigin, counselor] }, (socket: WebSocket, req) => {
    const client = hub.add(socket, { id: req.staff!.id, role: req.staff!.role }, hashOf(req.staff!.token));
    const reply = (f: Frame) => socket.readyState === socket.OPEN && socket.send(frame(f));
    socket.on('message', (data: Buffer) => {
      let frame: { type?: unknown; id?: unknown };
      try {
        frame = JSON.parse(data.toString('utf8')) as typeof frame;
      } catch {
        return reply({ type: 'error', error: 'frames must be JSON' });
      }
      const id = typeof frame.id === 'string' && ID.test(frame.id) ? frame.id : null;
      if (frame.type === 'ping') return reply({ type: 'pong' });
      if ((frame.type === 'watch' || frame.type === 'unwatch') && id) {
        if (frame.type === 'unwatch') return hub.unwatch(client, id);
        void hub
          .watch(client, id)
          .then((ok) => reply(ok ? { type: 'watching', id } : { type: 'error', error: 'you may not read this conversation', id }))
          .catch((err) => req.log.warn({ err: errInfo(err) }, 'watch failed'));
        return;
      }
      reply({ type: 'error', error: 'expected {"type":"watch"|"unwatch","id"} or {"type":"ping"}' });
    });
  });
}
