// A stand-in for the VK API (https://dev.vk.com/reference) on 127.0.0.1: the methods the VK
// channel uses, with VK's envelope ({response} / {error:{error_code,error_msg}}) over
// form-encoded POST /method/<name>, so vk-io runs unmodified over HTTP; Bots Long Poll on
// GET /lp (a_check, failed 1/2/3); and a Callback API client that POSTs events to a webhook.
// Records every call; injects API errors (6, 900/901/902, 5…), HTTP 429/5xx and slow answers.
// messages.send keeps VK's rule that one random_id is delivered once.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

export interface RecordedCall {
  method: string;
  params: Record<string, string>;
  at: number;
  /** HTTP status answered, and the API error code if any (0 while waiting). */
  status: number;
  error?: number;
}

export interface SentMessage {
  id: number;
  peer_id: number;
  random_id: number;
  message: string;
  keyboard?: { inline: boolean; one_time?: boolean; buttons: { action: { type: string; label: string; payload: string } }[][] };
}

export type Fault =
  /** A VK API error in the JSON envelope (HTTP 200), e.g. 6 too many requests, 901 no permission. */
  | { error: number; times?: number; peer?: number }
  /** An HTTP status with an HTML body (a proxy's 429, a 502 from the front end). */
  | { http: number; times?: number; peer?: number }
  /** Processed, but answered after this long (longer than the client's timeout: it sends again). */
  | { slowMs: number; times?: number; peer?: number };

const ERROR_TEXT: Record<number, string> = {
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  9: 'Flood control',
  10: 'Internal server error',
  900: "Can't send messages for users from blacklist",
  901: "Can't send messages for users without permission",
  902: "Can't send messages to this user due to their privacy settings",
};

class ApiError extends Error {
  constructor(readonly code: number) {
    super(ERROR_TEXT[code] ?? `error ${code}`);
  }
}

export interface StandInOptions {
  token: string;
  groupId: number;
  /** Longest a Long Poll request is held (s); VK's is the client's wait (25). */
  maxPollWaitSeconds?: number;
}

export class VkApiStandIn {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  /** Where deliver() POSTs Callback API events. */
  webhookTarget = '';
  url = '';
  private closed = false;
  private app: FastifyInstance;
  private faults = new Map<string, Fault[]>();
  private blocked = new Set<number>();
  private byRandomId = new Map<string, number>();
  private nextMessageId = 1;
  private lp = { key: randomUUID(), ts: 1, updates: [] as { ts: number; update: object }[], forcedFailed: [] as number[] };
  private waiters = new Set<() => void>();
  private listeners = new Set<() => void>();

  private constructor(private opts: StandInOptions) {
    this.app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 10 * 1024 * 1024 });
    this.app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    this.app.post<{ Params: { method: string } }>('/method/:method', async (req, reply) => {
      const params = { ...((req.query as object) ?? {}), ...((req.body as object) ?? {}) } as Record<string, string>;
      const method = req.params.method;
      const call: RecordedCall = { method, params, at: Date.now(), status: 0 };
      this.calls.push(call);
      const peer = params.peer_id ? Number(params.peer_id) : params.peer_ids ? Number(params.peer_ids.split(',')[0]) : undefined;
      const fault = this.takeFault(method, peer);
      if (fault && 'http' in fault) {
        call.status = fault.http;
        this.changed();
        return reply.code(fault.http).type('text/html').send(`<html><body><h1>${fault.http}</h1></body></html>`);
      }
      let body: unknown;
      try {
        if (params.access_token !== opts.token) throw new ApiError(5);
        if (fault && 'error' in fault) throw new ApiError(fault.error);
        body = { response: this.dispatch(method, params) };
        call.status = 200;
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(10);
        call.status = 200;
        call.error = e.code;
        body = { error: { error_code: e.code, error_msg: e.message, request_params: [{ key: 'method', value: method }] } };
      }
      if (fault && 'slowMs' in fault) await new Promise((r) => setTimeout(r, fault.slowMs));
      this.changed();
      return reply.code(200).send(body);
    });
    this.app.get<{ Querystring: Record<string, string> }>('/lp', async (req) => {
      const q = req.query;
      this.calls.push({ method: 'lp', params: q, at: Date.now(), status: 200 });
      this.changed();
      const forced = this.lp.forcedFailed.shift();
      if (forced === 1) return { failed: 1, ts: String(this.lp.ts) };
      if (forced === 2 || forced === 3) {
        if (forced === 3) this.lp.ts += 1;
        this.lp.key = randomUUID();
        return { failed: forced };
      }
      if (q.act !== 'a_check' || q.key !== this.lp.key) return { failed: 2 };
      const ts = Number(q.ts);
      if (!Number.isFinite(ts) || ts > this.lp.ts) return { failed: 1, ts: String(this.lp.ts) };
      const wait = Math.min(Number(q.wait ?? 25), opts.maxPollWaitSeconds ?? 25) * 1000;
      const until = Date.now() + wait;
      while (!this.closed && !this.lp.updates.some((u) => u.ts >= ts) && Date.now() < until) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, Math.max(1, until - Date.now()));
          function done() {
            clearTimeout(t);
            resolve();
          }
          this.waiters.add(done);
        });
      }
      const updates = this.lp.updates.filter((u) => u.ts >= ts).map((u) => u.update);
      return { ts: String(this.lp.ts), updates };
    });
  }

  static async start(opts: StandInOptions): Promise<VkApiStandIn> {
    const s = new VkApiStandIn(opts);
    const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
    s.url = address;
    return s;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w();
    await this.app.close();
  }

  // ---- faults and state ----

  failNext(method: string, fault: Fault): void {
    const list = this.faults.get(method) ?? [];
    list.push({ ...fault, times: fault.times ?? 1 });
    this.faults.set(method, list);
  }

  /** The child turned the community's messages off: messages.send answers 901. */
  block(peer: number): void {
    this.blocked.add(peer);
  }

  /** The next Long Poll request answers {failed: n}. */
  failPoll(n: 1 | 2 | 3): void {
    this.lp.forcedFailed.push(n);
  }

  // ---- reading what happened ----

  callsOf(method: string, peer?: number): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (peer === undefined || Number(c.params.peer_id) === peer));
  }

  sentTo(peer: number): SentMessage[] {
    return this.sent.filter((m) => m.peer_id === peer);
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

  // ---- delivering events ----

  /** Queues an event for Long Poll (with its event_id, as VK sends it). */
  push(update: object): void {
    this.lp.updates.push({ ts: this.lp.ts, update });
    this.lp.ts += 1;
    for (const w of [...this.waiters]) {
      this.waiters.delete(w);
      w();
    }
  }

  /** POSTs an event to the webhook as the Callback API does. */
  async deliver(event: object): Promise<{ status: number; text: string }> {
    const res = await fetch(this.webhookTarget, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    return { status: res.status, text: await res.text() };
  }

  // ---- the methods ----

  private dispatch(method: string, p: Record<string, string>): unknown {
    switch (method) {
      case 'groups.getById':
        return { groups: [{ id: this.opts.groupId, name: 'Helpline test community', screen_name: `club${this.opts.groupId}`, type: 'group' }], profiles: [] };
      case 'groups.getLongPollServer':
        if (Number(p.group_id) !== this.opts.groupId) throw new ApiError(100);
        return { key: this.lp.key, server: `${this.url}/lp`, ts: String(this.lp.ts) };
      case 'messages.send': {
        // peer_ids (what vk-io's ctx.send uses) answers a list; peer_id the message id.
        if (p.peer_ids !== undefined && p.peer_id === undefined) {
          return p.peer_ids.split(',').map((one) => ({ peer_id: Number(one), message_id: this.dispatch(method, { ...p, peer_id: one, peer_ids: undefined as never }) }));
        }
        const peer = Number(p.peer_id);
        if (!Number.isSafeInteger(peer) || !p.random_id) throw new ApiError(100);
        if (this.blocked.has(peer)) throw new ApiError(901);
        const key = `${peer}:${p.random_id}`;
        const seen = this.byRandomId.get(key);
        if (seen !== undefined) return seen;
        const id = this.nextMessageId++;
        this.byRandomId.set(key, id);
        this.sent.push({ id, peer_id: peer, random_id: Number(p.random_id), message: p.message ?? '', ...(p.keyboard ? { keyboard: JSON.parse(p.keyboard) } : {}) });
        return id;
      }
      case 'messages.setActivity':
      case 'messages.sendMessageEventAnswer':
        return 1;
      default:
        throw new ApiError(3);
    }
  }

  private takeFault(method: string, peer: number | undefined): Fault | undefined {
    const list = this.faults.get(method);
    if (!list?.length) return undefined;
    const i = list.findIndex((f) => f.peer === undefined || f.peer === peer);
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
