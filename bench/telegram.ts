// Webhook throughput of the whole Telegram pipeline (startApp with Redis: secret check, update
// de-duplication, per-chat order, triage, policy, transcript, outbox) against a bare grammY echo
// bot, both answering the same Bot API stand-in, driven the same way: updates POSTed with the
// secret header by 40 connections at once (Telegram's default max_connections).
//
//   npx tsx bench/telegram.ts            (BENCH_UPDATES=2000 BENCH_ROUNDS=5 to change the load)
//
// Rounds alternate which side goes first, and the ratio is the median of the per-round ratios,
// so a neighbour's burst of CPU on a shared machine hits both sides of a round alike.
// A third, diagnostic side is the channel alone (webhook route, de-duplication in Redis, per-chat
// order, outbox) with the core replaced by a direct reply: it shows which part of the cost is the
// Telegram adapter and which is the core and its store.
// Prints a line per round to stderr and, last, one JSON line with the figures (target ≥ 0.5).
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { createClient } from 'redis';
import { pino } from 'pino';
import { TelegramChannel } from '../src/channels/telegram/channel.js';
import { ContentManager } from '../src/content/manager.js';
import type { ChannelCore } from '../src/channels/channel.js';
import type { Inbound } from '../src/core/types.js';
import { startApp } from '../src/main.js';
import { RedisStore } from '../src/store/redis-store.js';
import { channelState } from '../src/store/repositories.js';
import { BotApiStandIn } from '../test/telegram/bot-api-stand-in.js';
import { commandUpdate, textUpdate } from '../test/telegram/updates.js';

const TOKEN = '7000000001:AAE-bench_token-for-the-stand-in';
const SECRET = `bench-${randomUUID()}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UPDATES = Number(process.env.BENCH_UPDATES ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 40;
const WARMUP = 400;
const TARGET = 0.5;

let updateId = 1;
let chatId = 900_000_000;

/** Each child sends /start and then a few words: two updates per chat, chats interleaved. */
function workload(n: number): Update[] {
  const chats = Array.from({ length: Math.ceil(n / 2) }, () => ({ chatId: chatId++, languageCode: 'ru' }));
  const first = chats.map((c) => commandUpdate(c, 'start'));
  const second = chats.map((c, i) => textUpdate(c, i % 2 ? 'мне грустно, поссорилась с подругой' : 'у меня проблемы в школе, не могу сдать экзамен'));
  return [...first, ...second].slice(0, n).map((u) => ({ ...u, update_id: updateId++ }) as Update);
}

/**
 * POSTs every update with CONNECTIONS in flight; returns updates/s, the non-200 count, and this
 * process's CPU time per update (steady under a neighbour's load, unlike wall-clock rates).
 */
async function drive(url: string, updates: Update[]): Promise<{ perSecond: number; failed: number; ms: number; cpuMsPerUpdate: number }> {
  let next = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < updates.length) {
        const u = updates[next++]!;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(u),
        });
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (updates.length / ms) * 1000, failed, ms, cpuMsPerUpdate: (cpu.user + cpu.system) / 1000 / updates.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function dropKeys(prefix: string): Promise<number> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  let n = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
    if (keys.length) n += await redis.unlink(keys);
  }
  await redis.close();
  return n;
}

async function main(): Promise<void> {
  const api = await BotApiStandIn.start({ token: TOKEN });
  const prefix = `bench-${randomUUID()}`;

  // The full pipeline, as deployed: webhook mode, Redis store. The stand-in has no rate limits,
  // so Telegram's 30 messages/s ceiling is lifted; the per-chat limit stays on (2 updates per chat
  // never reach it).
  const app = await startApp({
    PORT: '0',
    RECORDS_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: `bench-${randomUUID()}`,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.url,
    TELEGRAM_WEBHOOK_URL: 'https://bench.example/telegram/webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MAX_MESSAGES_PER_SECOND: '1000000',
  });
  const pipelineUrl = `${app.url}/telegram/webhook`;

  // The baseline: grammY's echo bot behind fastify, nothing else.
  const echo = new Bot(TOKEN, { client: { apiRoot: api.url } });
  echo.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  const echoServer = Fastify({ logger: false });
  echoServer.post('/hook', webhookCallback(echo, 'fastify', { secretToken: SECRET }));
  const echoUrl = `${await echoServer.listen({ port: 0, host: '127.0.0.1' })}/hook`;

  // Diagnostic: the channel with a core that only de-duplicates (in Redis, as the core does) and answers.
  const channelPrefix = `bench-${randomUUID()}`;
  const channelStore = await RedisStore.connect({ url: REDIS_URL, prefix: channelPrefix, retention: { botMs: 600_000, handledMs: 600_000 } });
  const log = pino({ level: 'silent' });
  const content = new ContentManager(process.cwd(), log);
  const answerOnly = {
    handle: async (inb: Inbound) => {
      if (!(await channelStore.markOnce(`in:${inb.channel}:${inb.chatKey}:${inb.kind}:${inb.platformMessageId}`, 600_000))) return 'duplicate' as const;
      await channelOnly.sender.send({ id: '', chatKey: inb.chatKey, channel: 'telegram', locale: 'ru' }, { type: 'message', text: inb.text ?? 'ok' });
      return 'processed' as const;
    },
  } as unknown as ChannelCore;
  const channelOnly: TelegramChannel = new TelegramChannel(
    { token: TOKEN, apiRoot: api.url, webhook: { url: 'https://bench.example/telegram/webhook', secret: SECRET }, limits: { globalPerSecond: 1_000_000 } },
    { core: answerOnly, state: channelState(channelStore, 'telegram', log), dedupe: channelStore, content: () => content.current, log },
  );
  const channelServer = Fastify({ logger: false });
  await channelOnly.routes(channelServer);
  const channelUrl = `${await channelServer.listen({ port: 0, host: '127.0.0.1' })}/telegram/webhook`;
  await channelOnly.start();

  try {
    await drive(pipelineUrl, workload(WARMUP));
    await drive(echoUrl, workload(WARMUP));
    await drive(channelUrl, workload(WARMUP));
    const channelCpu: number[] = [];
    const pipeline: number[] = [];
    const baseline: number[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const cpuPipeline: number[] = [];
    const cpuEcho: number[] = [];
    let failed = 0;
    const runPipeline = async () => {
      const sentBefore = api.callsOf('sendMessage').length;
      const r = await drive(pipelineUrl, workload(UPDATES));
      return { ...r, replies: api.callsOf('sendMessage').length - sentBefore };
    };
    for (let round = 1; round <= ROUNDS; round++) {
      let p: Awaited<ReturnType<typeof runPipeline>>;
      let e: Awaited<ReturnType<typeof drive>>;
      if (round % 2) {
        p = await runPipeline();
        e = await drive(echoUrl, workload(UPDATES));
      } else {
        e = await drive(echoUrl, workload(UPDATES));
        p = await runPipeline();
      }
      const c = await drive(channelUrl, workload(UPDATES));
      channelCpu.push(c.cpuMsPerUpdate);
      const replies = p.replies;
      failed += p.failed + e.failed + c.failed;
      pipeline.push(p.perSecond);
      baseline.push(e.perSecond);
      ratios.push(p.perSecond / e.perSecond);
      cpuRatios.push(e.cpuMsPerUpdate / p.cpuMsPerUpdate);
      cpuPipeline.push(p.cpuMsPerUpdate);
      cpuEcho.push(e.cpuMsPerUpdate);
      console.error(
        `round ${round}: pipeline ${p.perSecond.toFixed(0)} updates/s (${replies} replies sent, ${p.failed} non-200) | echo ${e.perSecond.toFixed(0)} updates/s (${e.failed} non-200) | ratio ${(p.perSecond / e.perSecond).toFixed(2)} | cpu/update ${p.cpuMsPerUpdate.toFixed(2)} vs ${e.cpuMsPerUpdate.toFixed(2)} ms (channel alone ${c.cpuMsPerUpdate.toFixed(2)} ms, ${c.perSecond.toFixed(0)}/s)`,
      );
    }
    const ratio = median(ratios);
    const stats = app.telegram!.stats;
    console.log(
      JSON.stringify({
        bench: 'telegram-webhook',
        updates_per_round: UPDATES,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        pipeline_updates_per_s: Math.round(median(pipeline)),
        echo_updates_per_s: Math.round(median(baseline)),
        ratio: Number(ratio.toFixed(3)),
        ratio_min: Number(Math.min(...ratios).toFixed(3)),
        ratio_max: Number(Math.max(...ratios).toFixed(3)),
        // Everything (stand-in, load, bot) runs in this process: CPU per update is the cost a
        // dedicated core would see; echo/pipeline of it is the ratio without a neighbour's noise.
        cpu_ms_per_update_pipeline: Number(median(cpuPipeline).toFixed(3)),
        cpu_ms_per_update_echo: Number(median(cpuEcho).toFixed(3)),
        cpu_ratio: Number(median(cpuRatios).toFixed(3)),
        cpu_ms_per_update_channel_alone: Number(median(channelCpu).toFixed(3)),
        target: TARGET,
        ok: ratio >= TARGET && failed === 0,
        non_200: failed,
        duplicates_skipped: stats.duplicates,
        failed_updates: stats.failed,
      }),
    );
  } finally {
    await channelOnly.stop();
    await channelServer.close();
    await channelStore.close();
    content.close();
    await dropKeys(channelPrefix);
    await echoServer.close();
    await app.close();
    await api.close();
    await dropKeys(prefix);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
