// Webhook throughput of the VK channel (POST /vk/callback through fastify: secret check, event
// parsing, per-chat order, button codec, vk-io's API queue) with a core that replies one message
// per inbound, against a bare vk-io echo bot (its own webhook callback, ctx.send), both answering
// the same VK API stand-in, driven the same way: events POSTed by 40 connections at once.
//
//   npx tsx bench/vk.ts            (BENCH_EVENTS=400 BENCH_ROUNDS=3 to change the load)
//
// A side's time runs until every reply has reached the stand-in (vk-io's echo answers "ok"
// before it replies; the channel after). Both sides use vk-io with the same settings, its rate
// limit lifted as far as it goes (apiLimit 1e6: one request a millisecond). Rounds alternate which
// side goes first; the ratio is the median of the per-round ratios. A third, diagnostic side is a
// raw handler replying with fetch (no vk-io queue): the cost of the library itself.
// Prints a line per round to stderr and, last, one JSON line (target ≥ 0.5).
import { createServer } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Fastify from 'fastify';
import { VK } from 'vk-io';
import { VkChannel } from '../src/channels/vk/channel.js';
import type { Inbound } from '../src/core/types.js';
import { CONFIRMATION, GROUP_ID, SECRET, messageNew, newChild } from '../test/vk/events.js';
import { fakeDeps } from '../test/vk/fakes.js';
import { VkApiStandIn } from '../test/vk/vk-api-stand-in.js';

const TOKEN = 'vk1.a.bench-token';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 40;
const WARMUP = 100;
const TARGET = 0.5;

/** Each child writes twice; chats interleaved. */
function workload(n: number): object[] {
  const chats = Array.from({ length: Math.ceil(n / 2) }, () => newChild(0));
  const first = chats.map((c) => messageNew(c, 'привет'));
  const second = chats.map((c, i) => messageNew(c, i % 2 ? 'мне грустно, поссорилась с подругой' : 'у меня проблемы в школе'));
  return [...first, ...second].slice(0, n);
}

async function drive(api: VkApiStandIn, url: string, events: object[]): Promise<{ perSecond: number; failed: number; cpuMsPerEvent: number }> {
  const sentBefore = api.sent.length;
  let next = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < events.length) {
        const e = events[next++]!;
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e) });
        const text = await res.text();
        if (res.status !== 200 || text !== 'ok') failed++;
      }
    }),
  );
  await api.waitFor(() => api.sent.length - sentBefore >= events.length, 60_000, 'every reply');
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (events.length / ms) * 1000, failed, cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / events.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const api = await VkApiStandIn.start({ token: TOKEN, groupId: GROUP_ID });
  const apiLimit = 1_000_000;

  // The channel, with a core that answers every Inbound with one message through the channel's sender.
  const deps = fakeDeps();
  const channel: VkChannel = new VkChannel({ token: TOKEN, groupId: GROUP_ID, secret: SECRET, confirmation: CONFIRMATION, apiRoot: api.url, apiLimit }, deps);
  deps.core.reply = async (inb: Inbound) => channel.sender.send({ id: '', chatKey: inb.chatKey, channel: 'vk', locale: 'ru' }, { type: 'message', text: inb.text ?? 'ok' });
  const server = Fastify({ logger: false });
  await channel.routes(server);
  const channelUrl = `${await server.listen({ port: 0, host: '127.0.0.1' })}/vk/callback`;
  await channel.start();

  // The baseline: vk-io's echo bot on its own webhook callback.
  const vk = new VK({ token: TOKEN, apiBaseUrl: `${api.url}/method`, apiLimit, webhookSecret: SECRET, webhookConfirmation: CONFIRMATION, agent: new HttpAgent({ keepAlive: true }) as unknown as HttpsAgent });
  vk.updates.on('message_new', (ctx) => ctx.send(ctx.text ?? 'ok').then(() => undefined));
  const echo = createServer(vk.updates.getWebhookCallback('/hook'));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}/hook`;

  // Diagnostic: a raw handler replying with one fetch per event (no library queue).
  const raw = Fastify({ logger: false });
  raw.post('/raw', async (req) => {
    const e = req.body as { object: { message: { peer_id: number; text: string } } };
    const body = new URLSearchParams({ access_token: TOKEN, v: '5.199', peer_id: String(e.object.message.peer_id), random_id: String(Math.floor(Math.random() * 2 ** 31)), message: e.object.message.text });
    await (await fetch(`${api.url}/method/messages.send`, { method: 'POST', body })).arrayBuffer();
    return 'ok';
  });
  const rawUrl = `${await raw.listen({ port: 0, host: '127.0.0.1' })}/raw`;

  try {
    await drive(api, channelUrl, workload(WARMUP));
    await drive(api, echoUrl, workload(WARMUP));
    await drive(api, rawUrl, workload(WARMUP));
    const ratios: number[] = [];
    const pipeline: number[] = [];
    const baseline: number[] = [];
    const rawRates: number[] = [];
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
      const r = await drive(api, rawUrl, workload(EVENTS));
      failed += p.failed + e.failed;
      ratios.push(p.perSecond / e.perSecond);
      pipeline.push(p.perSecond);
      baseline.push(e.perSecond);
      rawRates.push(r.perSecond);
      cpuP.push(p.cpuMsPerEvent);
      cpuE.push(e.cpuMsPerEvent);
      console.error(
        `round ${round}: channel ${p.perSecond.toFixed(0)} events/s (${p.failed} not ok) | vk-io echo ${e.perSecond.toFixed(0)} events/s | ratio ${(p.perSecond / e.perSecond).toFixed(2)} | raw fetch ${r.perSecond.toFixed(0)}/s | cpu/event ${p.cpuMsPerEvent.toFixed(2)} vs ${e.cpuMsPerEvent.toFixed(2)} ms`,
      );
    }
    const ratio = median(ratios);
    console.log(
      JSON.stringify({
        bench: 'vk-callback',
        events_per_round: EVENTS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        channel_events_per_s: Math.round(median(pipeline)),
        echo_events_per_s: Math.round(median(baseline)),
        raw_fetch_events_per_s: Math.round(median(rawRates)),
        ratio: Number(ratio.toFixed(3)),
        ratio_min: Number(Math.min(...ratios).toFixed(3)),
        ratio_max: Number(Math.max(...ratios).toFixed(3)),
        ratio_vs_raw: Number((median(pipeline) / median(rawRates)).toFixed(3)),
        cpu_ms_per_event_channel: Number(median(cpuP).toFixed(3)),
        cpu_ms_per_event_echo: Number(median(cpuE).toFixed(3)),
        target: TARGET,
        ok: ratio >= TARGET && failed === 0,
        not_ok_answers: failed,
        duplicates: channel.stats.duplicates,
        failed_events: channel.stats.failed,
      }),
    );
  } finally {
    await channel.stop();
    await server.close();
    await raw.close();
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
