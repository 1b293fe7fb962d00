import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { EnvelopeSchema, type Envelope } from './inbound.js';

export const CALLBACK_PATH = '/vk/callback';

/** What became of one event: answered 'ok', refused as malformed (400), or failed (500: VK sends it again). */
export type Receipt = 'ok' | 'failed' | { invalid: string };

export interface CallbackOptions {
  groupId: number;
  /** Unset: every event is refused (the channel's start() says why). */
  secret?: string;
  confirmation?: string;
  receive(env: Envelope): Promise<Receipt>;
}

function same(got: string | undefined, want: Buffer): boolean {
  if (typeof got !== 'string') return false;
  const b = Buffer.from(got);
  return b.length === want.length && timingSafeEqual(b, want);
}

/**
 * POST /vk/callback, the Callback API (https://dev.vk.com/api/callback/getting-started): the
 * body must be an event (400 otherwise: a shape problem is never a 500), its secret and group
 * must be ours (403), a confirmation is answered with the confirmation string, anything else
 * with "ok" as soon as it is processed — or after a short while, processing on in the background.
 * An event the core could not store gets 500, so VK delivers it again.
 */
export async function vkCallbackRoutes(app: FastifyInstance, opts: CallbackOptions): Promise<void> {
  const secret = opts.secret ? Buffer.from(opts.secret) : undefined;
  app.post(CALLBACK_PATH, async (req, reply) => {
    const parsed = EnvelopeSchema.safeParse(req.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return reply.code(400).type('text/plain').send(`not a VK Callback API event (${first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid'})`);
    }
    const env = parsed.data;
    // The confirmation request is let through without a secret (it reveals only the confirmation
    // string, and is sent while the server is being set up); with a wrong one it is refused too.
    const confirming = env.type === 'confirmation' && env.secret === undefined && !!secret;
    if (!secret || !(confirming || same(env.secret, secret))) return reply.code(403).type('text/plain').send('wrong secret');
    if (env.group_id !== undefined && env.group_id !== opts.groupId) return reply.code(403).type('text/plain').send('not this community');
    if (env.type === 'confirmation') {
      if (!opts.confirmation) return reply.code(503).type('text/plain').send('no confirmation string configured');
      return reply.code(200).type('text/plain').send(opts.confirmation);
    }
    const receipt = await opts.receive(env);
    if (receipt === 'ok') return reply.code(200).type('text/plain').send('ok');
    if (receipt === 'failed') return reply.code(500).type('text/plain').send('the event could not be processed; send it again');
    return reply.code(400).type('text/plain').send(`malformed ${env.type.slice(0, 40)} event (${receipt.invalid})`);
  });
}
