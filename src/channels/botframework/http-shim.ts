import type { Request as BotRequest, Response as BotResponse } from 'botbuilder';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** botbuilder reads an Express-like request: method, headers, parsed body. */
export function botRequest(req: FastifyRequest): BotRequest {
  return { method: req.method, headers: req.headers, body: req.body as Record<string, unknown> };
}

/**
 * botbuilder writes an Express-like response (status, header, send, end). This one collects
 * what it writes, and `flush` hands it to fastify once the turn is over, so fastify's hooks,
 * headers and error handling still apply.
 */
export class BotResponseShim implements BotResponse {
  readonly socket = null;
  statusCode = 200;
  body: unknown;
  private headers: Record<string, string> = {};

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    return this;
  }

  flush(reply: FastifyReply): FastifyReply {
    void reply.status(this.statusCode).headers(this.headers);
    // botbuilder answers errors with a bare message string; we answer every error as JSON.
    if (this.statusCode >= 500) return reply.send({ error: httpReason(this.statusCode) });
    if (this.statusCode >= 400) return reply.send({ error: typeof this.body === 'string' && this.body ? this.body : httpReason(this.statusCode) });
    if (this.body === undefined || this.body === null) return reply.send();
    return reply.send(this.body);
  }
}

function httpReason(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 501) return 'not implemented';
  return status >= 500 ? 'internal error' : 'bad request';
}
