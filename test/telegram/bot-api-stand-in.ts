// A stand-in for the Telegram Bot API (https://core.telegram.org/bots/api): the methods the
// channel uses, with the real envelope ({ok, result} / {ok:false, error_code, description,
// parameters}), so grammY runs unmodified over HTTP. Records every call; can inject 429s with
// retry_after, 5xx and 403 "blocked"; delivers updates by long polling or to a webhook.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Message, Update, User } from 'grammy/types';

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
  /** HTTP status the stand-in answered with (0 while a long poll waits). */
  status: number;
}

export interface Fault {
  /** 429 carries parameters.retry_after; 5xx and 403 carry a description only. */
  code: 429 | 500 | 502 | 403 | 400;
  retryAfter?: number;
  /** Only calls for this chat (chat_id) fail; any chat when unset. */
  chatId?: string | number;
  times?: number;
  description?: string;
}

interface Waiter {
  offset: number;
  allowed?: string[];
  resolve: (updates: Update[] | 'conflict') => void;
  timer: NodeJS.Timeout;
}

interface Webhook {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden: bot was blocked by the user',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

export interface StandInOptions {
  token: string;
  botId?: number;
  username?: string;
  /** A fixed port (to come back on the same address); 0 = any. */
  port?: number;
}

export class BotApiStandIn {
  readonly calls: RecordedCall[] = [];
  readonly me: User;
  webhook: Webhook | null = null;
  /** Where pushed updates are POSTed in webhook mode instead of webhook.url (a test's own port). */
  webhookTarget?: string;
  private app: FastifyInstance;
  private updates: Update[] = [];
  private forced: Update[] = [];
  private nextUpdateId = 100_000;
  private waiter: Waiter | null = null;
  private faults = new Map<string, Fault[]>();
  private blocked = new Set<string>();
  private messages = new Map<string, Map<number, Message>>();
  private nextMessageId = new Map<string, number>();
  private listeners = new Set<() => void>();
  url = '';

  private constructor(private opts: StandInOptions) {
    this.me = {
      id: opts.botId ?? 7_000_000_001,
      is_bot: true,
      first_name: 'Helpline test bot',
      username: opts.username ?? 'helpline_test_bot',
    };
    this.app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 50 * 1024 * 1024 });
    this.app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    this.app.all<{ Params: { token: string; method: string } }>('/bot:token/:method', async (req, reply) => {
      const { token, method } = req.params;
      const payload = { ...((req.query as object) ?? {}), ...((req.body as object) ?? {}) } as Record<string, unknown>;
      // Recorded on arrival (a long poll may wait), with its status once answered.
      const call: RecordedCall = { method, payload, at: Date.now(), status: 0 };
      this.calls.push(call);
      for (const l of this.listeners) l();
      let status = 200;
      let body: unknown;
      try {
        if (token !== opts.token) throw new ApiError(401, 'Unauthorized');
        body = { ok: true, result: await this.dispatch(method, payload) };
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, 'Internal Server Error');
        status = e.code;
        body = {
          ok: false,
          error_code: e.code,
          description: e.description,
          ...(e.retryAfter !== undefined ? { parameters: { retry_after: e.retryAfter } } : {}),
        };
      }
      call.status = status;
      for (const l of this.listeners) l();
      return reply.status(status).send(body);
    });
  }

  static async start(opts: StandInOptions): Promise<BotApiStandIn> {
    const s = new BotApiStandIn(opts);
    const address = await s.app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
    s.url = address;
    return s;
  }

  async close(): Promise<void> {
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.resolve([]);
      this.waiter = null;
    }
    await this.app.close();
  }

  // ---- test controls ----

  /** The next `times` calls of `method` (optionally for one chat) fail with this error. */
  failNext(method: string, fault: Fault): void {
    const list = this.faults.get(method) ?? [];
    list.push({ times: 1, ...fault });
    this.faults.set(method, list);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The child blocked the bot: every call to this chat gets 403 from now on. */
  block(chatId: string | number): void {
    this.blocked.add(String(chatId));
  }

  /**
   * A new update from Telegram. Polling: queued for getUpdates. Webhook: POSTed at once with the
   * secret header; returns the HTTP status the bot answered with.
   */
  async push(update: Omit<Update, 'update_id'> & { update_id?: number }): Promise<{ update: Update; status?: number }> {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    if (this.webhook) return { update: full, status: await this.post(full) };
    this.updates.push(full);
    this.wake();
    return { update: full };
  }

  /**
   * Telegram sends an update again (the bot crashed before confirming it, or a webhook answer was
   * lost): the same update_id, delivered regardless of the confirmed offset.
   */
  async redeliver(update: Update): Promise<{ status?: number }> {
    if (this.webhook) return { status: await this.post(update) };
    this.forced.push(update);
    this.wake();
    return {};
  }

  /** Calls of one method, optionally to one chat. */
  callsOf(method: string, chatId?: string | number): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.payload.chat_id) === String(chatId)));
  }

  /** Messages the bot has sent successfully to a chat, in order. */
  sentTo(chatId: string | number): Message[] {
    return [...(this.messages.get(String(chatId))?.values() ?? [])];
  }

  /** Resolves when `check` is true (checked after every call), or rejects after timeoutMs. */
  async waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const first = check();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => {
        const v = check();
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`stand-in: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  // ---- the Bot API ----

  private async post(update: Update): Promise<number> {
    const hook = this.webhook!;
    const res = await fetch(this.webhookTarget ?? hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(hook.secret_token ? { 'x-telegram-bot-api-secret-token': hook.secret_token } : {}),
      },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    const ready = this.take(w.offset, w.allowed, 100);
    if (ready.length === 0) return;
    clearTimeout(w.timer);
    this.waiter = null;
    w.resolve(ready);
  }

  private take(offset: number, allowed: string[] | undefined, limit: number): Update[] {
    // Updates below the offset are confirmed and forgotten, as on Telegram's side.
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    const pass = (u: Update) => !allowed || allowed.length === 0 || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k));
    const forced = this.forced.splice(0).filter(pass);
    return [...forced, ...this.updates.filter(pass)].slice(0, limit);
  }

  private injected(method: string, payload: Record<string, unknown>): void {
    const chat = payload.chat_id === undefined ? undefined : String(payload.chat_id);
    const list = this.faults.get(method);
    const i = list?.findIndex((f) => f.chatId === undefined || String(f.chatId) === chat) ?? -1;
    if (list && i >= 0) {
      const fault = list[i]!;
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) list.splice(i, 1);
      const description =
        fault.description ?? (fault.code === 429 ? `Too Many Requests: retry after ${fault.retryAfter ?? 1}` : DESCRIPTIONS[fault.code]!);
      throw new ApiError(fault.code, description, fault.code === 429 ? (fault.retryAfter ?? 1) : undefined);
    }
    if (chat !== undefined && this.blocked.has(chat) && method !== 'getChat') {
      throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    }
  }

  private async dispatch(method: string, p: Record<string, unknown>): Promise<unknown> {
    this.injected(method, p);
    switch (method) {
      case 'getMe':
        return { ...this.me, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false };
      case 'getUpdates':
        return this.getUpdates(p);
      case 'setWebhook': {
        const url = str(p, 'url');
        if (!url) {
          this.webhook = null;
          return true;
        }
        if (!/^https?:\/\//.test(url)) throw new ApiError(400, 'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
        const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
        this.webhook = { url, secret_token: secret, allowed_updates: list(p.allowed_updates), max_connections: num(p.max_connections) };
        return true;
      }
      case 'deleteWebhook':
        this.webhook = null;
        if (truthy(p.drop_pending_updates)) this.updates = [];
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.webhook ? 0 : this.updates.length,
          ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
        };
      case 'setMyCommands':
        if (!Array.isArray(parse(p.commands))) throw new ApiError(400, 'Bad Request: parameter "commands" is required');
        return true;
      case 'sendMessage':
        return this.sendMessage(p);
      case 'editMessageReplyMarkup':
        return this.editReplyMarkup(p);
      case 'sendChatAction': {
        this.chatOf(p);
        const action = str(p, 'action');
        if (!['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note'].includes(action)) {
          throw new ApiError(400, 'Bad Request: wrong parameter action in request');
        }
        return true;
      }
      case 'answerCallbackQuery':
        if (!str(p, 'callback_query_id')) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        return true;
      case 'leaveChat':
        this.chatOf(p);
        return true;
      default:
        throw new ApiError(404, 'Not Found');
    }
  }

  private getUpdates(p: Record<string, unknown>): Promise<Update[]> {
    if (this.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = num(p.offset) ?? 0;
    const limit = Math.min(Math.max(num(p.limit) ?? 100, 1), 100);
    const timeout = Math.min(num(p.timeout) ?? 0, 50);
    const allowed = list(p.allowed_updates);
    // A second poller ends the first one, as on Telegram.
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter.resolve('conflict');
      this.waiter = null;
    }
    const ready = this.take(offset, allowed, limit);
    if (ready.length > 0 || timeout === 0) return Promise.resolve(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const w: Waiter = {
        offset,
        allowed,
        resolve: (r) => (r === 'conflict' ? reject(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running')) : resolve(r)),
        timer: setTimeout(() => {
          if (this.waiter === w) this.waiter = null;
          resolve([]);
        }, timeout * 1000),
      };
      this.waiter = w;
    });
  }

  private chatOf(p: Record<string, unknown>): string {
    const chat = p.chat_id === undefined ? '' : String(p.chat_id);
    if (!chat) throw new ApiError(400, 'Bad Request: chat_id is empty');
    if (!/^-?\d+$/.test(chat)) throw new ApiError(400, 'Bad Request: chat not found');
    return chat;
  }

  private sendMessage(p: Record<string, unknown>): Message {
    const chat = this.chatOf(p);
    const text = str(p, 'text');
    if (!text.trim()) throw new ApiError(400, 'Bad Request: message text is empty');
    if ([...text].length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    const markup = parse(p.reply_markup) as Message['reply_markup'] | undefined;
    checkMarkup(markup);
    const id = (this.nextMessageId.get(chat) ?? 1) + 0;
    this.nextMessageId.set(chat, id + 1);
    const msg = {
      message_id: id,
      from: this.me,
      chat: Number(chat) > 0 ? { id: Number(chat), type: 'private', first_name: 'Child' } : { id: Number(chat), type: 'group', title: 'Group' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(markup && markup.inline_keyboard.length ? { reply_markup: markup } : {}),
    } as Message;
    let box = this.messages.get(chat);
    if (!box) this.messages.set(chat, (box = new Map()));
    box.set(id, msg);
    return msg;
  }

  private editReplyMarkup(p: Record<string, unknown>): Message {
    const chat = this.chatOf(p);
    const msg = this.messages.get(chat)?.get(num(p.message_id) ?? -1);
    if (!msg) throw new ApiError(400, 'Bad Request: message to edit not found');
    const markup = parse(p.reply_markup) as Message['reply_markup'] | undefined;
    checkMarkup(markup);
    const next = markup && markup.inline_keyboard.length ? markup : undefined;
    if (JSON.stringify(next) === JSON.stringify(msg.reply_markup)) {
      throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    const edited = { ...msg, edit_date: Math.floor(Date.now() / 1000) } as Message & { reply_markup?: unknown };
    if (next) edited.reply_markup = next;
    else delete edited.reply_markup;
    this.messages.get(chat)!.set(msg.message_id, edited as Message);
    return edited as Message;
  }
}

function checkMarkup(markup: Message['reply_markup'] | undefined): void {
  if (!markup) return;
  if (!Array.isArray(markup.inline_keyboard)) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const row of markup.inline_keyboard) {
    for (const b of row) {
      if (!b.text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      const data = (b as { callback_data?: string }).callback_data;
      if (data !== undefined && (Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) {
        throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
  }
}

/** Form-encoded and query parameters arrive as strings; JSON bodies as values. */
function parse(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function str(p: Record<string, unknown>, key: string): string {
  const v = p[key];
  return v === undefined || v === null ? '' : String(v);
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function list(v: unknown): string[] | undefined {
  const parsed = parse(v);
  return Array.isArray(parsed) ? parsed.map(String) : undefined;
}
