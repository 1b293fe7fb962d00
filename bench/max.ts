// Webhook throughput of the MAX channel (POST /max/webhook through fastify: secret header,
// update parsing, per-chat order, dialog ids kept, sends through @maxhub/max-bot-api with
// retries) with a core that replies one message per inbound, against a bare echo bot of the same
// library (its own webhook callback, ctx.reply), both answering the same MAX API stand-in, driven
// the same way: updates POSTed with the secret header by 40 connections at once.
//
//   npx tsx bench/max.ts            (BENCH_EVENTS=400 BENCH_ROUNDS=3 to change the load)
//
// A side's time runs until every reply has reached the stand-in (the library's webhook answers
// 200 before it replies; the channel after). Rounds alternate which side goes first; the ratio is
// the median of the per-round ratios. Prints a line per round to stderr and, last, one JSON line
// (target ≥ 0.5).
import { createServer } from 'node:http';
import { Bot } from '@maxhub/max-bot-api';
import Fastify from 'fastify';
import { MaxChannel } from '../src/channels/max/channel.js';
import type { Inbound } from '../src/core/types.js';
import { MaxApiStandIn } from '../test/max/max-api-stand-in.js';
import { messageCreated, newChild } from '../test/max/updates.js';
import { fakeDeps } from '../test/vk/fakes.js';

const TOKEN = 'max-bench-token';
const SECRET = 'bench_secret_0001';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 40;
const WARMUP = 100;
const TARGET = 0.5;

function workload(n: number): object[] {
  const chats = Array.from({ length: Math.ceil(n / 2) }, () => newChild('ru'));
  const first = chats.map((c) => messageCreated(c, 'привет'));
  const second = chats.map((c, i) => messageCreated(c, i % 2 ? 'мне грустно, поссорилась с подругой' : 'у меня проблемы в школе'));
  return [...first, ...second].slice(0, n);
}

async function drive(api: MaxApiStandIn, url: string, updates: object[]): Promise<{ perSecond: number; failed: number; cpuMsPerEvent: number }> {
  const sentBefore = api.sent.length;
  let next = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < updates.length) {
        const u = updates[next++]!;
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-max-bot-api-secret': SECRET }, body: JSON.stringify(u) });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      }
    }),
  );
  await api.waitFor(() => api.sent.length - sentBefore >= updates.length, 60_000, 'every reply');
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (updates.length / ms) * 1000, failed, cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / updates.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const api = await MaxApiStandIn.start({ token: TOKEN });

  const deps = fakeDeps();
  const channel: MaxChannel = new MaxChannel({ token: TOKEN, apiRoot: api.url, webhookUrl: 'https://bench.example/max/webhook', webhookSecret: SECRET }, deps);
  deps.core.reply = async (inb: Inbound) => channel.sender.send({ id: '', chatKey: inb.chatKey, channel: 'max', locale: 'ru' }, { type: 'message', text: inb.text ?? 'ok' });
  const server = Fastify({ logger: false });
  await channel.routes(server);
  const channelUrl = `${await server.listen({ port: 0, host: '127.0.0.1' })}/max/webhook`;
  await channel.start();

  // The baseline: the library's echo bot on its own webhook callback.
  const bot = new Bot(TOKEN, { clientOptions: { baseUrl: api.url } });
  bot.on('message_created', (ctx) => ctx.reply(ctx.message?.body.text ?? 'ok').then(() => undefined));
  bot.catch(() => undefined);
  const echo = createServer(bot.webhookCallback({ path: '/hook', secret: SECRET, domain: 'bench.example' }));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}/hook`;

  try {
    await drive(api, channelUrl, workload(WARMUP));
    await drive(api, echoUrl, workload(WARMUP));
    const ratios: number[] = [];
    const pipeline: number[] = [];
    const baseline: number[] = [];
    const cpuP: number[] = [];
    const cpuE: number[] = [];
    let failed = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      let p: Awaited<ReturnType<typeof drive>>;
      let e: Awaited<ReturnType<typeof drive>>;
      if (round % 2) {
        p = await drive(api, channelUrl, workload(EVENTS));
        e = await drive(api, echoUrl, workload(EVENTS));
      } else {
        e = await drive(api, echoUrl, workload(EVENTS));
        p = await drive(api, channelUrl, workload(EVENTS));
      }
      failed += p.failed + e.failed;
      ratios.push(p.perSecond / e.perSecond);
      pipeline.push(p.perSecond);
      baseline.push(e.perSecond);
      cpuP.push(p.cpuMsPerEvent);
      cpuE.push(e.cpuMsPerEvent);
      console.error(
        `round ${round}: channel ${p.perSecond.toFixed(0)} updates/s (${p.failed} non-200) | library echo ${e.perSecond.toFixed(0)} updates/s | ratio ${(p.perSecond / e.perSecond).toFixed(2)} | cpu/update ${p.cpuMsPerEvent.toFixed(2)} vs ${e.cpuMsPerEvent.toFixed(2)} ms`,
      );
    }
    const ratio = median(ratios);
    console.log(
      JSON.stringify({
        bench: 'max-webhook',
        updates_per_round: EVENTS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        channel_updates_per_s: Math.round(median(pipeline)),
        echo_updates_per_s: Math.round(median(baseline)),
        ratio: Number(ratio.toFixed(3)),
        ratio_min: Number(Math.min(...ratios).toFixed(3)),
        ratio_max: Number(Math.max(...ratios).toFixed(3)),
        cpu_ms_per_update_channel: Number(median(cpuP).toFixed(3)),
        cpu_ms_per_update_echo: Number(median(cpuE).toFixed(3)),
        target: TARGET,
        ok: ratio >= TARGET && failed === 0,
        non_200: failed,
        duplicates: channel.stats.duplicates,
        failed_updates: channel.stats.failed,
      }),
    );
  } finally {
    await channel.stop();
    await server.close();
    await new Promise((r) => echo.close(r));
    await api.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
