import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConflictError } from '../core/errors.js';
import { parseBody, type ConsoleContext } from './context.js';
import { MAX_PASSWORD } from './passwords.js';
import { ROLES, atLeast } from './roles.js';

const createBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD),
  role: z.enum(ROLES),
});
const updateBody = z
  .object({ role: z.enum(ROLES).optional(), password: z.string().min(1).max(MAX_PASSWORD).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.password !== undefined || b.disabled !== undefined, 'nothing to change');

/** Accounts and the audit log: admins only. */
export async function adminRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { accounts, audit, auth } = ctx;
  const admin = auth.guard('admin');

  app.get('/api/accounts', { preHandler: admin }, async () => accounts.list());

  app.post('/api/accounts', { preHandler: admin }, async (req, reply) => {
    const body = parseBody(createBody, req.body, reply, '{"username","password","role"}');
    if (!body) return reply;
    const created = await accounts.create(body.username, body.password, body.role, req.staff!.id);
    await audit.record(req.staff!.id, 'account-create', created.id, created.role);
    return reply.status(201).send(created);
  });

  app.patch<{ Params: { id: string } }>('/api/accounts/:id', { preHandler: admin }, async (req, reply) => {
    const body = parseBody(updateBody, req.body, reply, '{"role"?, "password"?, "disabled"?}');
    if (!body) return reply;
    const staff = req.staff!;
    const id = req.params.id.toLowerCase();
    // An admin cannot lock themselves out (and leave nobody to manage accounts).
    if (id === staff.id && (body.disabled || (body.role && body.role !== 'admin'))) {
      throw new ConflictError('you cannot disable or demote your own account');
    }
    const before = await accounts.get(id);
    const updated = await accounts.update(id, body);
    // What follows for the account's live consoles and chats, on every instance.
    if (body.password !== undefined || body.disabled) {
      await ctx.sessions.destroyAll(updated.id);
      await ctx.core.staff.sessionsEnded(updated.id);
    }
    if (body.disabled && !before?.disabled) await ctx.core.staff.cannotCounsel(updated.id, 'disabled');
    else if (body.role && before && body.role !== before.role) {
      if (atLeast(body.role, 'counselor')) await ctx.core.staff.roleChanged(updated.id);
      else await ctx.core.staff.cannotCounsel(updated.id, 'role');
    }
    const what = [body.role && `role=${body.role}`, body.password && 'password', body.disabled !== undefined && `disabled=${body.disabled}`].filter(Boolean).join(',');
    await audit.record(staff.id, 'account-update', updated.id, what);
    return updated;
  });
}
