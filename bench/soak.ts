// bench/soak: two instances on one Redis, simulated children at a realistic pace on both,
// counselors consuming the queue through the console API on both. Checks every child message
// against the transcripts (none lost, none twice) and reports throughput, reply latency,
// time-to-counselor by risk, RSS of both instances and Redis memory at start and end.
//
//   npx tsx bench/soak.ts [--children 1000] [--minutes 10] [--counselors 6]
//   (npm run bench:soak runs the full 10-minute soak)
// Human-readable lines go to stderr; the last stdout line is one JSON object.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import WebSocket from 'ws';
import { RedisStore } from '../src/store/redis-store.js';
import { Instance, StaffClient as Staff } from '../test/helpers/instance.js';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '10' },
    counselors: { type: 'string', default: '6' },
  },
});
const CHILDREN = Number(args.children);
const DURATION_MS = Number(args.minutes) * 60_000;
const COUNSELORS = Number(args.counselors);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `soak-${randomUUID().slice(0, 8)}`;
const ADMIN_PASSWORD = 'soak-admin-password';

const CALM = ['привет', 'у меня двойка по алгебре', 'поссорилась с подругой', 'мне скучно', 'как дела', 'hi there', 'родители ругаются из-за телефона', 'спасибо'];
const CRISIS = ['я больше не хочу жить', 'хочу покончить с собой', 'отчим бьет меня каждый день', 'i want to kill myself'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.random() * (b - a);
const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const say = (line: string) => process.stderr.write(`${line}\n`);

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  // The instance runs under node directly (no npm wrapper), so its pid is the server's.
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

interface ChildResult {
  tags: string[];
  latencies: number[];
  failed: number;
}

async function child(n: number, base: string, crisis: boolean): Promise<ChildResult> {
  const result: ChildResult = { tags: [], latencies: [], failed: 0 };
  const ws = new WebSocket(`${base.replace('http', 'ws')}/webchat/ws`);
  const acks = new Map<string, (v: number) => void>();
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as { type: string; id?: string };
    if (f.type === 'ack' && f.id) acks.get(f.id)?.(performance.now());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const count = Math.floor(rand(3, 7)); // at most 6: the texts below stay distinct per child
  const crisisAt = crisis ? Math.floor(rand(0, count)) : -1;
  for (let i = 0; i < count; i++) {
    // Frame ids tag the message; the text stays what a child writes (no markers to confuse triage).
    const tag = `t${n}x${i}`;
    const words = i === crisisAt ? CRISIS[n % CRISIS.length]! : CALM[(n + i) % CALM.length]!;
    const sent = performance.now();
    const acked = new Promise<number>((resolve) => acks.set(tag, resolve));
    ws.send(JSON.stringify({ type: 'message', text: words, id: tag }));
    result.tags.push(words);
    const at = await Promise.race([acked, sleep(10_000).then(() => -1)]);
    if (at < 0) result.failed++;
    else result.latencies.push(at - sent);
    // A child types at a human pace: several seconds between messages.
    await sleep(rand(2000, 8000));
  }
  ws.close();
  return result;
}

async function main(): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const redisMem = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]) / 1024 / 1024;
  say(`soak: ${CHILDREN} children over ${args.minutes} min, ${COUNSELORS} counselors, two instances, prefix ${PREFIX}`);
  // Real server processes, as npm start runs them; a model that must be trained first may take a minute.
  const env = { REDIS_URL, REDIS_PREFIX: PREFIX, ADMIN_PASSWORD, LOG_LEVEL: 'warn', RECORDS_DIR: 'memory://', LOGIN_MAX_PER_MINUTE: '100000', NEW_CHATS_PER_ADDRESS_PER_MINUTE: '100000', TRIAGE_MODEL_DIR: 'models/triage' };
  const a = await Instance.start(env, undefined, 180_000);
  const b = await Instance.start(env, undefined, 180_000);
  const instances = [a, b];
  const start = { rss: instances.map((i) => rssMb(i.pid)), redisMb: await redisMem() };

  const admin = new Staff(a.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const counselors: Staff[] = [];
  for (let i = 0; i < COUNSELORS; i++) {
    const name = `soak${i}`;
    await admin.call('POST', '/api/accounts', { username: name, password: 'soak-counselor-pw', role: 'counselor' });
    const s = new Staff(instances[i % 2]!.url); // counselors on both instances
    await s.login(name, 'soak-counselor-pw');
    await s.call('POST', '/api/presence', { available: true });
    counselors.push(s);
  }

  let stop = false;
  const timeToCounselor: Record<string, number[]> = {};
  let handled = 0;
  let relayed = 0;
  const consume = async (s: Staff) => {
    while (!stop) {
      const q = await s.call('GET', '/api/queue');
      const items = (q.json as { id: string; risk: string; waitingSince: number }[]) ?? [];
      let took = false;
      for (const item of items.slice(0, 3)) {
        const claimed = await s.call('POST', `/api/conversations/${item.id}/claim`);
        if (claimed.status !== 200) continue;
        took = true;
        (timeToCounselor[item.risk] ??= []).push((Date.now() - item.waitingSince) / 1000);
        for (let i = 0; i < 2; i++) {
          if ((await s.call('POST', `/api/conversations/${item.id}/messages`, { text: `Я здесь, расскажи подробнее (${i})` })).status === 201) relayed++;
          await sleep(rand(1000, 3000));
        }
        await s.call('POST', `/api/conversations/${item.id}/close`, { category: 'mental_health', outcome: 'supported', note: '' });
        handled++;
        break;
      }
      if (!took) await sleep(500);
    }
  };
  const consumers = counselors.map((s) => consume(s));

  const started = Date.now();
  const runs: Promise<ChildResult>[] = [];
  const spread = DURATION_MS * 0.85;
  const progress = setInterval(() => say(`  ${Math.round((Date.now() - started) / 1000)} s: ${runs.length} children started, ${handled} conversations handled`), 30_000);
  for (let n = 0; n < CHILDREN; n++) {
    const due = started + (n / CHILDREN) * spread;
    await sleep(Math.max(0, due - Date.now()));
    runs.push(child(n, instances[n % 2]!.url, Math.random() < 0.12));
  }
  const results = await Promise.all(runs);
  clearInterval(progress);
  // Let counselors finish what is queued, then stop them.
  const drainUntil = Date.now() + 60_000;
  while (Date.now() < drainUntil) {
    const q = await counselors[0]!.call('GET', '/api/queue');
    if (!(q.json as unknown[]).length) break;
    await sleep(500);
  }
  stop = true;
  await Promise.all(consumers);
  const elapsed = (Date.now() - started) / 1000;
  const end = { rss: instances.map((i) => rssMb(i.pid)), redisMb: await redisMem() };

  // Every message accepted must be in a transcript exactly once.
  const store = await RedisStore.connect({ url: REDIS_URL, prefix: PREFIX, retention: { botMs: 3600_000, handledMs: 3600_000 } });
  let lost = 0;
  let duplicated = 0;
  let messages = 0;
  // Every child text in every stored transcript (the child knows only its resume secret, not the
  // conversation ids a closed and restarted chat went through, so the store is read as a whole).
  const stored = new Map<string, number>();
  {
    const { createClient } = await import('redis');
    const c = createClient({ url: REDIS_URL });
    await c.connect();
    for await (const keys of c.scanIterator({ MATCH: `${PREFIX}:{c:*}:log`, COUNT: 1000 })) {
      for (const key of keys) {
        const id = /\{c:(.+)\}:log$/.exec(key)?.[1];
        if (!id) continue;
        for (const e of await store.getTranscript(id)) if (e.from === 'child') stored.set(e.text, (stored.get(e.text) ?? 0) + 1);
      }
    }
    await c.close();
  }
  for (const r of results) {
    // A child's texts are distinct, so each must appear exactly once across all conversations.
    for (const text of r.tags) {
      messages++;
      const hits = stored.get(text) ?? 0;
      if (hits === 0) lost++;
      if (hits > 1) duplicated++;
    }
  }
  await store.close();
  await Promise.all(instances.map((i) => i.stop()));
  await redis.close();

  const latencies = results.flatMap((r) => r.latencies);
  const report = {
    children: CHILDREN,
    seconds: Math.round(elapsed),
    child_messages: messages,
    child_messages_per_s: Math.round((messages / elapsed) * 10) / 10,
    counselor_messages_relayed: relayed,
    conversations_handled: handled,
    reply_latency_ms_p50: pct(latencies, 50),
    reply_latency_ms_p99: pct(latencies, 99),
    unanswered: results.reduce((n, r) => n + r.failed, 0),
    time_to_counselor_s: Object.fromEntries(Object.entries(timeToCounselor).map(([risk, xs]) => [risk, { n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99) }])),
    rss_mb_start: start.rss,
    rss_mb_end: end.rss,
    rss_ratio_end_to_start: end.rss.map((e, i) => Math.round((e / Math.max(1, start.rss[i]!)) * 100) / 100),
    redis_mb_start: Math.round(start.redisMb * 10) / 10,
    redis_mb_end: Math.round(end.redisMb * 10) / 10,
    lost,
    duplicated,
  };
  say(`soak: ${messages} child messages, p50 ${report.reply_latency_ms_p50} ms, p99 ${report.reply_latency_ms_p99} ms, lost ${lost}, duplicated ${duplicated}`);
  say(`      RSS ${start.rss.join('/')} → ${end.rss.join('/')} MB (ratio ${report.rss_ratio_end_to_start.join('/')}), Redis ${report.redis_mb_start} → ${report.redis_mb_end} MB`);
  console.log(JSON.stringify(report));
  process.exit(lost || duplicated ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
