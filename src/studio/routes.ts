// The studio's API under /api/studio: editors and admins; supervisors may read a draft and approve it.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { Role } from '../core/staff.js';
import { STUDIO_PAGE_MESSAGES } from '../core/page-messages.js';
import type { ContentSource } from '../core/ports.js';
import { parseBody } from '../console/context.js';
import { StudioError, type Studio } from './service.js';
import { previewEvent, previewState } from './preview.js';

/** The console's session and CSRF guard (src/console/auth.ts). */
export interface StudioAuth {
  guard(min?: Role): preHandlerAsyncHookHandler;
}

const items = z.record(z.string().max(300), z.string().nullable());
const draftBody = z.object({ title: z.string().trim().min(1).max(200) });
const saveBody = z.object({ key: z.string().min(1).max(300), value: z.string().nullable(), rev: z.number().int().min(0) });
const publishBody = z.object({ comment: z.string().max(2000), override: z.string().max(2000).optional() });
const rollbackBody = z.object({ comment: z.string().max(2000).optional() });
const validateBody = z.object({ draft: z.string().optional(), items: items.optional() }).refine((b) => b.draft || b.items, 'a draft id or items');
const previewBody = z.object({ draft: z.string().optional(), items: items.optional(), state: previewState.optional(), event: previewEvent, locale: z.string().max(10).optional() });
const tryBody = z.object({ draft: z.string().optional(), items: items.optional(), text: z.string().min(1).max(4000), locale: z.string().max(10).default('ru') });

/** A store that does not answer (Redis down or hanging): refused, and the draft is where it was. */
function isStoreFailure(err: Error): boolean {
  return err.name === 'StoreTimeout' || /ClientClosed|ClientOffline|SocketClosed|socket closed|ECONNREFUSED|client is (closed|offline)|connection/i.test(`${err.name} ${err.message}`);
}

export async function studioRoutes(app: FastifyInstance, studio: Studio, auth: StudioAuth, content: ContentSource): Promise<void> {
  const editor = auth.guard('editor');
  const signedIn = auth.guard();
  // Approving (and reading what one approves) is also a supervisor's: crisis answers are theirs too.
  const reviewer = async (req: FastifyRequest, reply: FastifyReply) => {
    const role = req.staff?.role;
    if (role !== 'editor' && role !== 'admin' && role !== 'supervisor') return reply.status(403).send({ error: `a ${role} cannot use the studio`, code: 'forbidden' });
  };
  const review = [signedIn, reviewer];

  await app.register(async (api) => {
    api.setErrorHandler((err: Error, _req, reply) => {
      if (err instanceof StudioError) return reply.status(err.status).send({ error: err.message, code: err.code, ...err.details });
      if (!(err instanceof AppError) && isStoreFailure(err)) {
        return reply.status(503).send({ error: 'the content store is unavailable: nothing was changed, the draft is kept; try again', code: 'store_unavailable' });
      }
      throw err;
    });

    // The page's own words (before sign-in too, like the web chat's), from locales/.
    api.get<{ Querystring: { lang?: string } }>('/api/studio/ui', async (req) => {
      const { i18n } = content();
      const locale = i18n.resolve(typeof req.query.lang === 'string' ? req.query.lang : req.headers['accept-language']);
      // Placeables come back as "{$name}" for the page to fill (Fluent throws on a missing variable).
      const args = Object.fromEntries(['by', 'topic', 'risk', 'number', 'error', 'effect', 'set', 'before', 'after', 'text', 'what'].map((k) => [k, `{$${k}}`]));
      return { locale, strings: Object.fromEntries(STUDIO_PAGE_MESSAGES.map((id) => [id, i18n.t(locale, id, args)])) };
    });
    api.get('/api/studio/catalog', { preHandler: review }, async () => studio.catalog());
    api.get<{ Querystring: { q?: string; draft?: string } }>('/api/studio/intents', { preHandler: review }, async (req) =>
      studio.searchIntents(String(req.query.q ?? ''), req.query.draft ? String(req.query.draft) : undefined),
    );
    api.get<{ Querystring: { draft?: string } }>('/api/studio/map', { preHandler: review }, async (req) => studio.map(req.query.draft ? String(req.query.draft) : undefined));
    api.get('/api/studio/live', { preHandler: review }, async () => {
      const versions = await studio.versions();
      return { live: versions[0]?.number ?? 0, version: versions[0] ?? null };
    });
    api.get('/api/studio/versions', { preHandler: review }, async () => studio.versions());
    api.post<{ Params: { n: string } }>('/api/studio/versions/:n/rollback', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(rollbackBody, req.body, reply, '{"comment"?}');
      if (!body) return reply;
      const n = Number(req.params.n);
      if (!Number.isInteger(n) || n < 1) throw new StudioError(400, 'invalid_input', 'a version number', { field: 'n' });
      return studio.rollback(n, req.staff!.id, body.comment);
    });

    api.get<{ Querystring: { key?: string } }>('/api/studio/items', { preHandler: review }, async (req) => studio.liveItem(String(req.query.key ?? '')));

    api.get('/api/studio/drafts', { preHandler: review }, async () => studio.drafts());
    api.post('/api/studio/drafts', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(draftBody, req.body, reply, '{"title"}');
      if (!body) return reply;
      return reply.status(201).send(await studio.createDraft(req.staff!.id, body.title));
    });
    api.get<{ Params: { id: string } }>('/api/studio/drafts/:id', { preHandler: review }, async (req) => studio.view(req.params.id));
    api.delete<{ Params: { id: string } }>('/api/studio/drafts/:id', { preHandler: editor }, async (req, reply) => {
      await studio.deleteDraft(req.params.id, req.staff!.id);
      return reply.status(204).send();
    });
    api.post<{ Params: { id: string } }>('/api/studio/drafts/:id/items', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(saveBody, req.body, reply, '{"key","value","rev"}');
      if (!body) return reply;
      return studio.saveItem(req.params.id, body.key, body.value, body.rev, req.staff!.id);
    });
    api.post<{ Params: { id: string } }>('/api/studio/drafts/:id/approve', { preHandler: review }, async (req) => studio.approve(req.params.id, req.staff!.id));
    // The safety gate: start it (editor), follow it (anyone who may read the draft).
    api.post<{ Params: { id: string } }>('/api/studio/drafts/:id/gate', { preHandler: editor }, async (req, reply) => reply.status(202).send(await studio.startGate(req.params.id, req.staff!.id)));
    api.get<{ Params: { id: string } }>('/api/studio/drafts/:id/gate', { preHandler: review }, async (req, reply) => {
      const run = await studio.gateStatus(req.params.id);
      return run ?? reply.status(404).send({ error: 'no safety check was run for this draft', code: 'not_found' });
    });
    api.post<{ Params: { id: string } }>('/api/studio/drafts/:id/publish', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(publishBody, req.body ?? {}, reply, '{"comment", "override"?: "an admin\'s reason to publish over a refused safety check"}');
      if (!body) return reply;
      return studio.publish(req.params.id, req.staff!.id, body.comment, body.override ? { role: req.staff!.role, reason: body.override } : undefined);
    });

    api.post('/api/studio/validate', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(validateBody, req.body, reply, '{"draft"} or {"items"}');
      if (!body) return reply;
      if (body.draft) {
        const view = await studio.view(body.draft);
        const more = body.items ? (await studio.validate({ ...Object.fromEntries(Object.entries(view.items).map(([k, i]) => [k, i.value])), ...body.items })).problems : view.problems;
        return { ok: more.length === 0, problems: more };
      }
      return studio.validate(body.items!);
    });
    api.post('/api/studio/preview', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(previewBody, req.body, reply, '{"event":{"type":"start"|"text"|"button"},"state"?,"draft"?,"items"?}');
      if (!body) return reply;
      return studio.preview(body);
    });
    api.post('/api/studio/try', { preHandler: editor }, async (req, reply) => {
      const body = parseBody(tryBody, req.body, reply, '{"text","locale"?,"draft"?,"items"?}');
      if (!body) return reply;
      return studio.tryMessage(body);
    });
  });
}
