import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import { explainInvalid } from './activity.js';
import { botRequest, BotResponseShim } from './http-shim.js';
import { NotStoredError } from './turn.js';

export interface BotFrameworkRouteOptions {
  adapter: CloudAdapter;
  handler: (context: TurnContext) => Promise<void>;
  /** Unauthenticated mode: only this machine may post. */
  local: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** POST /api/messages: the Bot Connector's (or the Emulator's) activities, through CloudAdapter. */
export async function botframeworkRoutes(app: FastifyInstance, opts: BotFrameworkRouteOptions): Promise<void> {
  app.post('/api/messages', async (req, reply) => {
    // The socket's peer, not req.ip: a forwarded header must not make a stranger "local".
    if (opts.local && !LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      return reply.status(403).send({ error: 'BOTFRAMEWORK_LOCAL=1 accepts requests from this machine only; set MICROSOFT_APP_ID for real channels' });
    }
    const reason = explainInvalid(req.body);
    if (reason) return reply.status(400).send({ error: reason });
    // Authentication (401 without a valid token when an app id is set) is botbuilder's own.
    const res = new BotResponseShim();
    let notStored = false;
    await opts.adapter.process(botRequest(req), res, async (context) => {
      try {
        await opts.handler(context);
      } catch (err) {
        if (!(err instanceof NotStoredError)) throw err;
        notStored = true;
      }
    });
    // The connector redelivers on 5xx: nothing it sent is lost while the store is down.
    if (notStored) return reply.status(503).send({ error: 'the activity could not be stored; send it again', code: 'unavailable' });
    return res.flush(reply);
  });
}
