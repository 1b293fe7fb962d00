// bench/handoff: many web-chat children at a human pace, counselors consuming the queue.
// Measures, from the client side of real sockets:
//   - crisis message sent by a child → its alert at each console (p50/p99; target p99 ≤ 100 ms),
//   - messages relayed per second between children and counselors (both ways) at a human pace, with
//     latencies, then the relay ceiling: counselors sending back-to-back for a few seconds,
//   - baseline: a WebSocket ping/pong on the same server under the same load (the transport floor),
// and prints ratios against the target and the baseline. The server runs in a child process so
// the load generator does not steal its event loop.
//
//   npx tsx bench/handoff.ts [--children 500] [--counselors 40] [--seconds 45] [--burst-seconds 5] [--redis]
// Human-readable lines go to stderr; the last stdout line is one JSON object.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const TARGET_P99_MS = 100;
const ADMIN_PASSWORD = 'bench-admin-password';
const PASSWORD = 'bench-counselor-password';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '500' },
    counselors: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '45' },
    'burst-seconds': { type: 'string', default: '5' },
    redis: { type: 'boolean', default: false },
    server: { type: 'boolean', default: false },
  },
});

// ---------- the server (child process) ----------
async function serve(): Promise<void> {
  const { startApp } = await import('../src/main.js');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench-${randomUUID()}`;
  const app = await startApp({
    PORT: '0',
    RECORDS_DIR: 'memory://',
    LOG_LEVEL: 'error',
    ADMIN_PASSWORD,
    LOGIN_MAX_PER_MINUTE: '100000',
    // Set-up only (forty accounts hashed, then signed in): the production cost is not what is measured.
    PASSWORD_SCRYPT_LOG2N: '15',
    // A bench run is short: keep the waiting room's cadence realistic.
    WAITING_MESSAGE_SECONDS: '180',
    // 500 children from one machine are not a flood: every one of them is a child here.
    NEW_CHATS_PER_ADDRESS_PER_MINUTE: '100000',
    // With Redis the deployment is the production one: contact records in PostgreSQL (several
    // instances need it anyway). Embedded PGlite runs in the server's own event loop: with a record
    // per contact it took the alert p99 from 38 ms to 267–1075 ms here (WASM stalls the loop).
    ...(args.redis ? { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test?schema=handoff_bench" } : {}),
  });
  const n = Number(args.counselors);
  await Promise.all(Array.from({ length: n }, (_, i) => app.staffConsole.accounts.create(`c${i}`, PASSWORD, 'counselor', 'bench')));
  process.send!({ url: app.url, store: app.store.kind });
  const { chatKeyOfSecret } = await import('../src/channels/webchat/routes.js');
  process.on('message', async (m: { stop?: boolean; lookup?: string }) => {
    // The driver knows a child by its resume secret; alerts name the conversation: which is it?
    if (m.lookup) {
      // A slow Redis (a loaded machine) must not kill the server under test: an unhandled
      // StoreTimeout here did. Retried until it answers.
      for (;;) {
        try {
          process.send!({ lookup: m.lookup, id: await app.store.findChat('webchat', chatKeyOfSecret(m.lookup)) });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    if (!m.stop) return;
    if (args.redis) {
      const { createClient } = await import('redis');
      const c = createClient({ url: redisUrl });
      await c.connect();
      for await (const keys of c.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) if (keys.length) await c.del(keys);
      await c.close();
    }
    await app.close();
    process.exit(0);
  });
}

// ---------- the load ----------
const now = () => performance.now();
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CRISIS = ['хочу покончить с собой', 'я не хочу больше жить', 'хочу умереть', 'я режу себя', 'I want to kill myself'] as const;
const SMALL_TALK = ['привет', 'мне грустно', 'поссорилась с мамой', 'как готовиться к экзаменам', 'меня травят в классе', 'спасибо'] as const;
const WAITING = ['вы тут?', 'мне страшно', 'я подожду', 'когда ответят?'] as const;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { n: s.length, p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? NaN) };
}

interface Metrics {
  alert: number[];
  alertFirst: number[];
  childToCounselor: number[];
  counselorToChild: number[];
  echo: number[];
  /** Counselor → child latencies during the burst. */
  burst: number[];
  claims: number;
  conflicts: number;
  closes: number;
  errors: number;
  /** What went wrong, by kind (status or error), to tell a bug from a race. */
  errorKinds: Record<string, number>;
}
const m: Metrics = { alert: [], alertFirst: [], childToCounselor: [], counselorToChild: [], echo: [], burst: [], claims: 0, conflicts: 0, closes: 0, errors: 0, errorKinds: {} };
function fail(kind: string): void {
  m.errors++;
  m.errorKinds[kind] = (m.errorKinds[kind] ?? 0) + 1;
}
/** Crisis messages by conversation id: when sent, and whether any console saw the alert yet. */
const crisisSent = new Map<string, { at: number; seen: number }>();
/** Relayed messages by their unique text: when sent. */
const relayFromChild = new Map<string, number>();
const relayFromCounselor = new Map<string, number>();
let running = true;
/** After the paced load: counselors send back-to-back to find the relay ceiling. */
let bursting = false;

class Child {
  ws!: WebSocket;
  id = '';
  private n = 0;
  withCounselor = false;
  constructor(
    private base: string,
    readonly kind: 'crisis' | 'asks' | 'bot',
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/webchat/ws?lang=ru`);
      this.ws.on('message', (data) => this.onFrame(String(data)));
      this.ws.on('error', (err) => fail(`ws ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  private send(frame: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private async say(text: string): Promise<void> {
    this.send({ type: 'typing' });
    await sleep(rand(500, 2000));
    if (!running) return;
    this.send({ type: 'message', text });
  }

  private onFrame(raw: string): void {
    const f = JSON.parse(raw) as { type: string; id?: string; from?: string; text?: string; buttons?: { value: string }[] };
    if (f.type === 'session') this.id = f.id!;
    if (f.type !== 'message') return;
    if (f.from === 'counselor') {
      const sent = relayFromCounselor.get(f.text!);
      if (sent !== undefined) {
        (bursting ? m.burst : m.counselorToChild).push(now() - sent);
        relayFromCounselor.delete(f.text!);
      }
      this.withCounselor = true;
      // A child answers a counselor after reading and typing.
      setTimeout(() => void this.reply(), rand(2000, 5000));
      return;
    }
    // Pre-queue questions: answer (or skip) after a moment, like a person.
    const age = f.buttons?.find((b) => b.value.startsWith('pre_age:'));
    const about = f.buttons?.find((b) => b.value.startsWith('pre_about:'));
    const choice = age ? pick(['pre_age:10_13', 'pre_age:14_17', 'pre_age:skip']) : about ? pick(['pre_about:self', 'pre_about:other', 'pre_about:skip']) : null;
    if (choice) setTimeout(() => running && this.send({ type: 'button', value: choice }), rand(800, 2500));
  }

  private async reply(): Promise<void> {
    if (!running) return;
    const text = `ребёнок ${this.id.slice(0, 6)} #${++this.n}`;
    this.send({ type: 'typing' });
    await sleep(rand(300, 1200));
    if (!running) return;
    relayFromChild.set(text, now());
    this.send({ type: 'message', text });
  }

  /** The child's own pace while not talking to a counselor. */
  async live(): Promise<void> {
    await sleep(rand(0, 5000));
    await this.say(pick(['привет', 'здравствуйте', 'привет, можно поговорить?']));
    if (this.kind === 'crisis') {
      await sleep(rand(2000, 6000));
      if (!running) return;
      this.send({ type: 'typing' });
      await sleep(rand(500, 1500));
      if (!running) return;
      crisisSent.set(await conversationIdOf(this.id), { at: now(), seen: 0 });
      this.send({ type: 'message', text: pick(CRISIS) });
    } else if (this.kind === 'asks') {
      await sleep(rand(2000, 6000));
      this.send({ type: 'button', value: 'action:counselor' });
    }
    while (running) {
      await sleep(rand(8000, 20000));
      if (!running || this.withCounselor) break;
      await this.say(this.kind === 'bot' ? pick(SMALL_TALK) : pick(WAITING));
    }
  }

  close(): void {
    this.ws.close();
  }
}

class Counselor {
  ws!: WebSocket;
  cookie = '';
  csrf = '';
  chats = new Map<string, number>();
  private trying = new Set<string>();
  private looking = false;
  constructor(
    private base: string,
    readonly name: string,
    private capacity: number,
  ) {}

  async start(): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.name, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${this.name}: ${res.status}`);
    this.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    await new Promise<void>((resolve, reject) => {
      this.ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/api/events`, { headers: { cookie: this.cookie } });
      this.ws.on('message', (data) => this.onFrame(String(data)));
      this.ws.on('error', (err) => fail(`ws ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    await this.api('POST', '/api/presence', { available: true });
    void this.pull();
  }

  private async api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  private onFrame(raw: string): void {
    const at = now();
    // Only alerts and this counselor's messages are read in full; queue snapshots only when free.
    if (raw.startsWith('{"type":"alert"')) {
      const f = JSON.parse(raw) as { id: string };
      const sent = crisisSent.get(f.id);
      if (sent) {
        m.alert.push(at - sent.at);
        if (sent.seen++ === 0) m.alertFirst.push(at - sent.at);
      }
    } else if (raw.startsWith('{"type":"message"')) {
      const f = JSON.parse(raw) as { id: string; entry: { from: string; text: string } };
      if (f.entry.from !== 'child' || !this.chats.has(f.id)) return;
      const sent = relayFromChild.get(f.entry.text);
      if (sent !== undefined) {
        m.childToCounselor.push(at - sent);
        relayFromChild.delete(f.entry.text);
      }
      setTimeout(() => void this.reply(f.id), rand(1500, 4000));
    } else if (raw.startsWith('{"type":"queue"') && this.chats.size < this.capacity && !this.looking) {
      // A person reads the queue before clicking: a second or two.
      this.looking = true;
      const f = JSON.parse(raw) as { items: { id: string }[] };
      setTimeout(() => {
        this.looking = false;
        void this.claimFrom(f.items.map((i) => i.id));
      }, rand(500, 2000));
    }
  }

  /** A free counselor glances at the queue now and then too (snapshots come only on a change). */
  private async pull(): Promise<void> {
    while (running) {
      await sleep(rand(4000, 6000));
      if (!running || this.chats.size >= this.capacity) continue;
      const res = await this.api('GET', '/api/queue').catch(() => null);
      if (res?.ok) await this.claimFrom(((await res.json()) as { id: string }[]).map((i) => i.id));
    }
  }

  private async claimFrom(ids: string[]): Promise<void> {
    // Not everyone grabs the head: pick among the first few, most urgent first.
    const candidates = ids.slice(0, 3).filter((id) => !this.trying.has(id));
    if (!running || !candidates.length || this.chats.size >= this.capacity) return;
    const id = pick(candidates);
    this.trying.add(id);
    try {
      const res = await this.api('POST', `/api/conversations/${id}/claim`);
      if (res.status === 200) {
        m.claims++;
        this.chats.set(id, 0);
        this.ws.send(JSON.stringify({ type: 'watch', id }));
        setTimeout(() => void this.reply(id), rand(1000, 3000));
      } else if (res.status === 409) m.conflicts++;
      else fail(`claim ${res.status}`);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      fail(`claim ${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`);
    } finally {
      this.trying.delete(id);
    }
  }

  private async reply(id: string): Promise<void> {
    if (!running || !this.chats.has(id)) return;
    const n = (this.chats.get(id) ?? 0) + 1;
    this.chats.set(id, n);
    await this.api('POST', `/api/conversations/${id}/typing`).catch(() => undefined);
    await sleep(rand(500, 1500));
    // Another reply may have closed the chat meanwhile.
    if (!running || !this.chats.has(id)) return;
    if (n > 3) {
      this.chats.delete(id);
      const res = await this.api('POST', `/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported' }).catch(() => null);
      if (res?.ok) m.closes++;
      return;
    }
    const text = `консультант ${this.name} → ${id.slice(0, 6)} #${n}`;
    relayFromCounselor.set(text, now());
    const res = await this.api('POST', `/api/conversations/${id}/messages`, { text }).catch((err: Error) => err);
    if (res instanceof Error) fail(`message ${res.message} (${(res.cause as { code?: string } | undefined)?.code ?? ''})`);
    else if (res.status !== 201) fail(`message ${res.status} ${((await res.json()) as { error?: string }).error ?? ''}`);
  }

  /** Back-to-back messages into every chat this counselor holds, one in flight per chat. */
  async burst(until: number): Promise<void> {
    let k = 0;
    await Promise.all(
      [...this.chats.keys()].map(async (id) => {
        while (now() < until) {
          const text = `поток ${this.name} → ${id.slice(0, 6)} #${++k}`;
          relayFromCounselor.set(text, now());
          const res = await this.api('POST', `/api/conversations/${id}/messages`, { text }).catch(() => null);
          if (res?.status !== 201) break;
        }
      }),
    );
  }

  close(): void {
    this.ws.close();
  }
}

/** The baseline: a ping/pong on the web chat socket, answered without touching the engine. */
async function echoProbe(base: string): Promise<() => void> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/webchat/ws?lang=ru`);
  await new Promise((r) => ws.once('open', r));
  let sentAt = 0;
  ws.on('message', (data) => {
    if (String(data).includes('"pong"') && sentAt) {
      m.echo.push(now() - sentAt);
      sentAt = 0;
    }
  });
  const timer = setInterval(() => {
    if (sentAt) return;
    sentAt = now();
    ws.send('{"type":"ping"}');
  }, 100);
  return () => {
    clearInterval(timer);
    ws.close();
  };
}

/** Asks the server process which conversation a child's resume secret opens. */
let conversationIdOf: (secret: string) => Promise<string> = async () => '';

async function main(): Promise<void> {
  const nChildren = Number(args.children);
  const nCounselors = Number(args.counselors);
  const seconds = Number(args.seconds);
  const server: ChildProcess = fork(fileURLToPath(import.meta.url), ['--server', '--counselors', String(nCounselors), ...(args.redis ? ['--redis'] : [])], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, store } = await new Promise<{ url: string; store: string }>((resolve, reject) => {
    server.once('message', (msg) => resolve(msg as { url: string; store: string }));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  console.error(`handoff bench: ${nChildren} children, ${nCounselors} counselors, ${seconds} s, store ${store}, server ${url}`);
  const waiting = new Map<string, (id: string) => void>();
  server.on('message', (msg: { lookup?: string; id?: string | null }) => {
    if (msg.lookup) waiting.get(msg.lookup)?.(msg.id ?? '');
  });
  conversationIdOf = (secret) =>
    new Promise((resolve) => {
      waiting.set(secret, (id) => {
        waiting.delete(secret);
        resolve(id);
      });
      server.send({ lookup: secret });
    });

  const counselors = Array.from({ length: nCounselors }, (_, i) => new Counselor(url, `c${i}`, 3));
  // Four sign-ins at a time: one address may have at most four password checks waiting (the
  // sign-in limits); all forty at once were refused with 429 and the bench never started.
  for (let i = 0; i < counselors.length; i += 4) await Promise.all(counselors.slice(i, i + 4).map((c) => c.start()));
  const stopEcho = await echoProbe(url);

  // Children arrive over five seconds: a quarter in crisis, a quarter asking for a person, the rest talk to the bot.
  const children: Child[] = [];
  const started = now();
  for (let i = 0; i < nChildren; i++) {
    const kind = i % 4 === 0 ? 'crisis' : i % 4 === 1 ? 'asks' : 'bot';
    const child = new Child(url, kind);
    children.push(child);
    await child.open();
    void child.live();
    await sleep(5000 / nChildren);
  }
  console.error(`  ${children.length} children connected in ${Math.round(now() - started)} ms`);
  await sleep(Math.max(0, seconds * 1000 - (now() - started)));
  running = false;
  await sleep(1500);
  const elapsed = (now() - started) / 1000;
  stopEcho();
  bursting = true;
  const burstMs = Number(args['burst-seconds']) * 1000;
  const burstStarted = now();
  await Promise.all(counselors.map((c) => c.burst(burstStarted + burstMs)));
  await sleep(300);
  const burstElapsed = (now() - burstStarted) / 1000;
  for (const c of children) c.close();
  for (const c of counselors) c.close();
  server.send({ stop: true });
  await new Promise((r) => server.once('exit', r));

  const alert = stats(m.alert);
  const first = stats(m.alertFirst);
  const echo = stats(m.echo);
  const c2c = stats(m.childToCounselor);
  const k2c = stats(m.counselorToChild);
  const relayed = m.childToCounselor.length + m.counselorToChild.length;
  const result = {
    bench: 'handoff',
    store,
    children: nChildren,
    counselors: nCounselors,
    seconds: Math.round(elapsed * 10) / 10,
    crisis_messages: crisisSent.size,
    alerts_seen: m.alertFirst.length,
    alert_ms_p50: alert.p50,
    alert_ms_p99: alert.p99,
    alert_ms_max: alert.max,
    alert_first_console_ms_p99: first.p99,
    target_p99_ms: TARGET_P99_MS,
    ratio_to_target: Math.round((alert.p99 / TARGET_P99_MS) * 100) / 100,
    baseline_ws_echo_ms_p50: echo.p50,
    baseline_ws_echo_ms_p99: echo.p99,
    ratio_to_baseline_p99: Math.round((alert.p99 / echo.p99) * 100) / 100,
    relayed_messages: relayed,
    relayed_per_s: Math.round((relayed / elapsed) * 10) / 10,
    child_to_counselor_ms_p50: c2c.p50,
    child_to_counselor_ms_p99: c2c.p99,
    counselor_to_child_ms_p50: k2c.p50,
    counselor_to_child_ms_p99: k2c.p99,
    burst_chats: counselors.reduce((n, c) => n + c.chats.size, 0),
    burst_relayed_per_s: Math.round((m.burst.length / burstElapsed) * 10) / 10,
    burst_counselor_to_child_ms_p50: stats(m.burst).p50,
    burst_counselor_to_child_ms_p99: stats(m.burst).p99,
    claims: m.claims,
    claim_conflicts_409: m.conflicts,
    closes: m.closes,
    errors: m.errors,
    error_kinds: m.errorKinds,
  };
  console.error(
    [
      `  crisis → alert at every console: p50 ${alert.p50} ms, p99 ${alert.p99} ms (${alert.n} deliveries of ${first.n} alerts); first console p99 ${first.p99} ms`,
      `  target p99 ≤ ${TARGET_P99_MS} ms: ratio ${result.ratio_to_target} ${alert.p99 <= TARGET_P99_MS ? '(met)' : '(MISSED)'}`,
      `  baseline ws ping/pong under the same load: p50 ${echo.p50} ms, p99 ${echo.p99} ms; alert p99 / baseline p99 = ${result.ratio_to_baseline_p99}`,
      `  relayed ${relayed} messages (${result.relayed_per_s}/s): child→console p99 ${c2c.p99} ms, counselor→child p99 ${k2c.p99} ms`,
      `  burst (back-to-back, ${result.burst_chats} chats, ${burstElapsed.toFixed(1)} s): ${result.burst_relayed_per_s} messages/s relayed to children, p99 ${result.burst_counselor_to_child_ms_p99} ms`,
      `  claims ${m.claims}, 409s ${m.conflicts}, closes ${m.closes}, errors ${m.errors} ${JSON.stringify(m.errorKinds)}`,
    ].join('\n'),
  );
  console.log(JSON.stringify(result));
}

if (args.server) void serve();
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
