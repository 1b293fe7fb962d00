import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const WEBHOOK_PATH = '/max/webhook';
export const SECRET_HEADER = 'x-max-bot-api-secret';

/** What became of one update: 200, refused as malformed (400), or failed (503: MAX sends it again). */
export type Receipt = 'ok' | 'failed' | { invalid: string };

export interface WebhookOptions {
  /** Unset: every update is refused (the channel's start() says why). */
  secret?: string;
  receive(body: unknown): Promise<Receipt>;
}

function same(got: unknown, want: Buffer): boolean {
  if (typeof got !== 'string') return false;
  const b = Buffer.from(got);
  return b.length === want.length && timingSafeEqual(b, want);
}

/**
 * POST /max/webhook. The secret header is checked before the body is read (401); the body must
 * be an update (400: a shape problem is never a 500); an update is answered 200 once processed,
 * or after a short while with processing going on. An update the core could not store gets 503
 * so that MAX delivers it again (the channel logs and counts every such failure: MAX drops a
 * subscription that fails for hours).
 */
export async function maxWebhookRoutes(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  const secret = opts.secret ? Buffer.from(opts.secret) : undefined;
  app.post(
    WEBHOOK_PATH,
    {
      onRequest: async (req, reply) => {
        if (!secret || !same(req.headers[SECRET_HEADER], secret)) return reply.code(401).type('text/plain').send('wrong or missing X-Max-Bot-Api-Secret');
      },
    },
    async (req, reply) => {
      const receipt = await opts.receive(req.body);
      if (receipt === 'ok') return reply.code(200).send({ ok: true });
      if (receipt === 'failed') return reply.code(503).send({ error: 'the update could not be processed; send it again' });
      return reply.code(400).send({ error: receipt.invalid });
    },
  );
}
