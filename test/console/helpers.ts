// Shared by the console tests: a running app, staff clients over inject, children over the real web chat.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../src/main.js';
import { conversationOf } from '../helpers/webchat.js';

export const ADMIN_PASSWORD = 'admin-password-1';
export const PASSWORD = 'counselor-pass-1';

export async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD,
    // Many sign-ins from 127.0.0.1 in one test file; the limit itself is tested on its own.
    LOGIN_MAX_PER_MINUTE: '1000',
    // Hundreds of hashes in the suite: the production cost (2^17, ~0.5 s each) is tested on its own.
    PASSWORD_SCRYPT_LOG2N: '15',
    ...env,
  });
}

export interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, unknown>;
}

/** A staff member's browser: the session cookie and the CSRF token, over fastify inject. */
export class StaffClient {
  cookie = '';
  csrf = '';
  id = '';
  constructor(private app: RunningApp) {}

  async login(username: string, password: string): Promise<Res> {
    const res = await this.app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode === 200) {
      this.cookie = String(res.headers['set-cookie']).split(';')[0]!;
      this.csrf = res.json().csrfToken;
      this.id = res.json().user.id;
    }
    return { status: res.statusCode, body: safeJson(res.body), headers: res.headers };
  }

  async req(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, opts: { csrf?: string | null } = {}): Promise<Res> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    const res = await this.app.app.inject({ method, url, headers, payload: payload as object | undefined });
    return { status: res.statusCode, body: safeJson(res.body), headers: res.headers };
  }

  get = (url: string) => this.req('GET', url);
  post = (url: string, payload?: unknown) => this.req('POST', url, payload);
  del = (url: string) => this.req('DELETE', url);
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export async function admin(app: RunningApp): Promise<StaffClient> {
  const a = new StaffClient(app);
  const r = await a.login('admin', ADMIN_PASSWORD);
  if (r.status !== 200) throw new Error(`admin login failed: ${r.status}`);
  return a;
}

/** Creates an account through the admin API and signs it in. */
export async function staff(app: RunningApp, adminClient: StaffClient, username: string, role: string): Promise<StaffClient> {
  const created = await adminClient.post('/api/accounts', { username, password: PASSWORD, role });
  if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  const c = new StaffClient(app);
  const r = await c.login(username, PASSWORD);
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
  return c;
}

/** A child writing through the engine (a web chat child with no open socket); returns the conversation id. */
export async function childSays(app: RunningApp, text: string, chatKey = `w-${randomUUID()}`): Promise<{ id: string; chatKey: string }> {
  await app.core.inbound.handle({ channel: 'webchat', chatKey, userKey: chatKey, kind: 'text', text });
  const id = await app.store.findChat('webchat', chatKey);
  if (!id) throw new Error('no conversation');
  return { id, chatKey };
}

export async function childButton(app: RunningApp, chatKey: string, value: string): Promise<void> {
  await app.core.inbound.handle({ channel: 'webchat', chatKey, userKey: chatKey, kind: 'button', value });
}

/** A WebSocket that records every frame and can wait for one. */
export class Socket {
  frames: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  private waiters: { pred: (f: any) => boolean; resolve: (f: any) => void }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data));
      f.receivedAt = Date.now();
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.pred(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const s = new Socket(ws);
      ws.once('open', () => resolve(s));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  next(pred: (f: any) => boolean, timeoutMs = 5000, includePast = true): Promise<any> {
    if (includePast) {
      const past = this.frames.find(pred);
      if (past) return Promise.resolve(past);
    }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`));
        }
      }, timeoutMs);
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  close(): void {
    this.ws.close();
  }
}

export function wsUrl(app: RunningApp, path: string): string {
  return app.url.replace(/^http/, 'ws') + path;
}

/** The console's live feed for a signed-in staff member. */
export function consoleSocket(app: RunningApp, client: StaffClient): Promise<Socket> {
  return Socket.open(wsUrl(app, '/api/events'), { cookie: client.cookie });
}

/**
 * A child on the real web chat socket who writes `first` (a conversation starts with the first
 * message); resolves with the socket, the child's resume secret, and the conversation id staff see.
 */
export async function webChild(app: RunningApp, first: string, opts: { lang?: string; frameId?: string } = {}): Promise<{ socket: Socket; id: string; secret: string }> {
  const socket = await Socket.open(wsUrl(app, `/webchat/ws?lang=${opts.lang ?? 'ru'}`));
  const session = await socket.next((f) => f.type === 'session');
  socket.send({ type: 'message', text: first, ...(opts.frameId ? { id: opts.frameId } : {}) });
  const id = (await until(() => conversationOf(app, session.id), 5000, 'the conversation of the first message'))!;
  return { socket, id, secret: session.id };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns a truthy value. */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The suicide and self-harm screener, answered (a high or imminent crisis chat closes only with it). */
export const SCREENED = { wishDead: 'yes', thoughts: 'yes', method: 'no', intent: 'no', plan: 'no', behaviour: 'no', timeFrame: 'this_week' } as const;
