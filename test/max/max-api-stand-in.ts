// A stand-in for the MAX Bot API (https://dev.max.ru/docs-api) on 127.0.0.1: the methods the MAX
// channel uses, with MAX's shapes (Authorization header, {code, message} errors), so
// @maxhub/max-bot-api runs unmodified over HTTP; GET /updates long polling with a marker; and a
// webhook client that POSTs updates with X-Max-Bot-Api-Secret to the subscribed URL (or a test's
// own port). Records every call; injects 429, 5xx, attachment.not.ready, slow answers and blocks.
import Fastify, { type FastifyInstance } from 'fastify';

export interface RecordedCall {
  route: string;
  url: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  at: number;
  status: number;
}

export interface SentMessage {
  mid: string;
  user_id: number;
  text: string;
  attachments: { type: string; payload: { buttons: { type: string; text: string; payload?: string }[][] } }[];
}

export interface Fault {
  status: number;
  code?: string;
  times?: number;
  /** Only calls for this user (user_id). */
  user?: number;
  /** Answered after this long, processed or not. */
  slowMs?: number;
}

export interface Subscription {
  url: string;
  secret?: string;
  update_types?: string[];
}

export class MaxApiStandIn {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  subscriptions: Subscription[] = [];
  /** Where deliver() POSTs instead of the subscribed URL (a test's own port). */
  webhookTarget = '';
  url = '';
  private closed = false;
  readonly botId = 8_800_000_001;
  private app: FastifyInstance;
  private faults = new Map<string, Fault[]>();
  private blocked = new Set<number>();
  private nextMid = 1;
  private queue: { marker: number; update: object }[] = [];
  private marker = 1;
  private waiters = new Set<() => void>();
  private listeners = new Set<() => void>();

  private constructor(
    private token: string,
    private maxPollWaitSeconds: number,
  ) {
    this.app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
    const route = (method: 'GET' | 'POST' | 'DELETE', path: string, name: string, fn: (q: Record<string, string>, b: Record<string, unknown>, params: Record<string, string>) => Promise<unknown> | unknown) => {
      this.app.route({
        method,
        url: path,
        handler: async (req, reply) => {
          const q = (req.query ?? {}) as Record<string, string>;
          const b = (req.body ?? {}) as Record<string, unknown>;
          const call: RecordedCall = { route: name, url: req.url, query: q, body: b, at: Date.now(), status: 0 };
          this.calls.push(call);
          this.changed();
          const answer = async (status: number, body: unknown) => {
            call.status = status;
            this.changed();
            return reply.code(status).send(body);
          };
          if (req.headers.authorization !== this.token) return answer(401, { code: 'verify.token', message: 'Invalid access_token' });
          const fault = this.takeFault(name, q.user_id ? Number(q.user_id) : undefined);
          if (fault?.slowMs) await new Promise((r) => setTimeout(r, fault.slowMs));
          if (fault && fault.status !== 200) return answer(fault.status, { code: fault.code ?? (fault.status === 429 ? 'too.many.requests' : 'internal.error'), message: `stand-in fault ${fault.status}` });
          if (name === 'POST /messages' && this.blocked.has(Number(q.user_id))) return answer(403, { code: 'chat.denied', message: 'chat.denied: the user blocked the bot' });
          try {
            return answer(200, await fn(q, b, req.params as Record<string, string>));
          } catch (err) {
            return answer(400, { code: 'proto.payload', message: (err as Error).message });
          }
        },
      });
    };
    route('GET', '/me', 'GET /me', () => ({ user_id: this.botId, name: 'Helpline test bot', first_name: 'Helpline', username: 'helpline_test_bot', is_bot: true, last_activity_time: Date.now() }));
    route('POST', '/messages', 'POST /messages', (q, b) => {
      // user_id (what the channel sends with) or chat_id (what the library's ctx.reply sends with).
      const user = Number(q.user_id ?? q.chat_id);
      if (!Number.isSafeInteger(user)) throw new Error('user_id or chat_id required');
      const mid = `mid.${this.nextMid++}`;
      const msg: SentMessage = { mid, user_id: user, text: String(b.text ?? ''), attachments: (b.attachments as SentMessage['attachments']) ?? [] };
      this.sent.push(msg);
      return { message: { recipient: { chat_id: user + 1, chat_type: 'dialog', user_id: user }, timestamp: Date.now(), body: { mid, seq: 1, text: msg.text } } };
    });
    route('POST', '/answers', 'POST /answers', (q) => {
      if (!q.callback_id) throw new Error('callback_id required');
      return { success: true };
    });
    route('POST', '/chats/:chatId/actions', 'POST /chats/actions', () => ({ success: true }));
    route('GET', '/subscriptions', 'GET /subscriptions', () => ({ subscriptions: this.subscriptions.map((s) => ({ url: s.url, time: Date.now(), update_types: s.update_types ?? [] })) }));
    route('POST', '/subscriptions', 'POST /subscriptions', (_q, b) => {
      this.subscriptions = [...this.subscriptions.filter((s) => s.url !== b.url), { url: String(b.url), secret: b.secret as string | undefined, update_types: b.update_types as string[] | undefined }];
      return { success: true };
    });
    route('DELETE', '/subscriptions', 'DELETE /subscriptions', (q) => {
      this.subscriptions = this.subscriptions.filter((s) => s.url !== q.url);
      return { success: true };
    });
    route('GET', '/updates', 'GET /updates', async (q) => {
      const from = q.marker ? Number(q.marker) : 0;
      const wait = Math.min(Number(q.timeout ?? 30), this.maxPollWaitSeconds) * 1000;
      const until = Date.now() + wait;
      const types = q.types ? new Set(q.types.split(',')) : null;
      const pending = () => this.queue.filter((u) => u.marker >= from && (!types || types.has((u.update as { update_type: string }).update_type)));
      while (!this.closed && !pending().length && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            this.waiters.delete(done);
            resolve();
          };
          const t = setTimeout(done, Math.max(1, until - Date.now()));
          this.waiters.add(done);
        });
      }
      const list = pending().slice(0, Number(q.limit ?? 100));
      const next = list.length ? list.at(-1)!.marker + 1 : Math.max(from, this.marker);
      return { updates: list.map((u) => u.update), marker: next };
    });
  }

  static async start(opts: { token: string; maxPollWaitSeconds?: number }): Promise<MaxApiStandIn> {
    const s = new MaxApiStandIn(opts.token, opts.maxPollWaitSeconds ?? 30);
    s.url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    return s;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of [...this.waiters]) w();
    await this.app.close();
  }

  failNext(route: string, fault: Fault): void {
    const list = this.faults.get(route) ?? [];
    list.push({ ...fault, times: fault.times ?? 1 });
    this.faults.set(route, list);
  }

  block(user: number): void {
    this.blocked.add(user);
  }

  callsOf(route: string, user?: number): RecordedCall[] {
    return this.calls.filter((c) => c.route === route && (user === undefined || Number(c.query.user_id) === user));
  }

  sentTo(user: number): SentMessage[] {
    return this.sent.filter((m) => m.user_id === user);
  }

  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const found = check();
    if (found) return found;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(v);
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Queues an update for GET /updates. */
  push(update: object): void {
    this.queue.push({ marker: this.marker++, update });
    for (const w of [...this.waiters]) w();
  }

  /** POSTs an update to the webhook with the subscription's secret, as MAX does. */
  async deliver(update: object | string, secret = this.subscriptions[0]?.secret): Promise<{ status: number; body: string }> {
    const res = await fetch(this.webhookTarget || this.subscriptions[0]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-max-bot-api-secret': secret } : {}) },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
    return { status: res.status, body: await res.text() };
  }

  private takeFault(route: string, user: number | undefined): Fault | undefined {
    const list = this.faults.get(route);
    if (!list?.length) return undefined;
    const i = list.findIndex((f) => f.user === undefined || f.user === user);
    if (i < 0) return undefined;
    const f = list[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) list.splice(i, 1);
    return f;
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
