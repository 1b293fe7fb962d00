// A Bot Connector stand-in: the two routes a bot uses to talk (send to a conversation, reply to
// an activity), recording every request it gets — including any it does not implement, so a
// test can tell that nothing else (an attachment download, say) was attempted.
import Fastify, { type FastifyInstance } from 'fastify';

export interface Received {
  method: string;
  url: string;
  route: 'send' | 'reply' | 'other';
  conversationId?: string;
  replyToId?: string;
  authorization?: string;
  body: Record<string, unknown>;
}

export interface ConnectorStandIn {
  url: string;
  received: Received[];
  /** Message activities received so far (typing, events left out). */
  messages(): Received[];
  /** Resolves when `predicate` holds for what was received (polls; fails after timeoutMs). */
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const received: Received[] = [];
  let n = 0;
  const app: FastifyInstance = Fastify({ logger: false });
  const record = (route: Received['route'], req: { method: string; url: string; headers: Record<string, unknown>; body: unknown }, params: Record<string, string>) => {
    received.push({
      method: req.method,
      url: req.url,
      route,
      conversationId: params.conversationId,
      replyToId: params.activityId,
      authorization: typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
      body: (req.body ?? {}) as Record<string, unknown>,
    });
  };
  app.post<{ Params: { conversationId: string } }>('/v3/conversations/:conversationId/activities', async (req) => {
    record('send', req, req.params);
    return { id: `sent-${++n}` };
  });
  app.post<{ Params: { conversationId: string; activityId: string } }>('/v3/conversations/:conversationId/activities/:activityId', async (req) => {
    record('reply', req, req.params);
    return { id: `reply-${++n}` };
  });
  app.setNotFoundHandler(async (req, reply) => {
    record('other', req, {});
    return reply.status(404).send({ error: { code: 'NotFound', message: 'not in the stand-in' } });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    url,
    received,
    messages: () => received.filter((r) => r.body.type === 'message'),
    async waitFor(predicate, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) throw new Error(`connector stand-in: condition not met in ${timeoutMs} ms; got ${JSON.stringify(received.map((r) => [r.route, r.body.type, r.body.text ?? r.body.name]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => app.close(),
  };
}
