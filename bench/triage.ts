/**
 * Triage benchmark: npx tsx bench/triage.ts [--n 2000]
 * Model load time, single-message latency (p50/p99, one message at a time), batch throughput,
 * model size and RSS, each next to the lexicon-only triage measured in the same process, with
 * the ratio model / lexicon. Uses TRIAGE_MODEL_DIR (default models/triage), training it first if
 * it is missing or stale. Messages come from intents/ (no evaluation data is needed).
 * The last stdout line is the whole result as JSON.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent } from '../src/content/load.js';
import { ensureModel } from '../src/triage/ensure-model.js';
import { LexiconTriage } from '../src/triage/lexicon-triage.js';
import { ModelTriage } from '../src/triage/model-triage.js';
import type { Triage } from '../src/core/ports.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function latency(triage: Triage, messages: string[]): Promise<{ p50: number; p99: number; mean: number }> {
  for (const m of messages.slice(0, 50)) await triage.classify(m, { priorRisk: 'none' }); // warm
  const ms: number[] = [];
  for (const m of messages) {
    const t0 = performance.now();
    await triage.classify(m, { priorRisk: 'none' });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(quantile(ms, 0.5)), p99: round(quantile(ms, 0.99)), mean: round(ms.reduce((a, b) => a + b, 0) / ms.length) };
}

async function throughput(run: (batch: string[]) => Promise<unknown>, messages: string[], size: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < messages.length; i += size) await run(messages.slice(i, i + size));
  return round(messages.length / ((performance.now() - t0) / 1000), 0);
}

async function main(): Promise<void> {
  const nArg = process.argv.indexOf('--n');
  const n = nArg > 0 ? Number(process.argv[nArg + 1]) : 2000;
  const content = loadContent(process.cwd());
  const pool = content.intents.flatMap((i) => Object.values(i.examples).flat());
  const messages = Array.from({ length: n }, (_, i) => pool[(i * 7919) % pool.length]!);
  messages.push('мне плохо '.repeat(400), '😭😭😭', 'ya ne hochu zhit');

  const dir = process.env.TRIAGE_MODEL_DIR ?? 'models/triage';
  const ensured = await ensureModel(dir, content, (m) => console.error(`[bench] ${m}`), { train: 'in-process' });
  const rssBefore = process.memoryUsage().rss;

  const lexicon = new LexiconTriage(() => content);
  const t0 = performance.now();
  const model = await ModelTriage.load(ensured.dir, () => content);
  const loadMs = round(performance.now() - t0, 1);
  const rssAfter = process.memoryUsage().rss;

  const lexLat = await latency(lexicon, messages);
  const modLat = await latency(model, messages);
  const lexThroughput = await throughput((b) => Promise.all(b.map((m) => lexicon.classify(m, { priorRisk: 'none' }))), messages, 32);
  const modThroughput1 = await throughput((b) => model.classifyMany(b, { priorRisk: 'none' }), messages, 1);
  const modThroughput32 = await throughput((b) => model.classifyMany(b, { priorRisk: 'none' }), messages, 32);
  const onnxBytes = statSync(join(ensured.dir, 'onnx', 'model.onnx')).size;
  const tokenizerBytes = statSync(join(ensured.dir, 'tokenizer.json')).size;

  const result = {
    messages: messages.length,
    model: { dir: ensured.dir, labels: model.info.labels, onnx_mb: round(onnxBytes / 1e6, 2), tokenizer_mb: round(tokenizerBytes / 1e6, 2) },
    load_ms: loadMs,
    rss_mb: { before_model: round(rssBefore / 1e6, 1), after_model: round(rssAfter / 1e6, 1), end: round(process.memoryUsage().rss / 1e6, 1) },
    latency_ms: { lexicon: lexLat, model: modLat },
    throughput_msgs_per_s: { lexicon: lexThroughput, model_batch1: modThroughput1, model_batch32: modThroughput32 },
    ratios_vs_lexicon: {
      p50: round(modLat.p50 / Math.max(lexLat.p50, 1e-6), 1),
      p99: round(modLat.p99 / Math.max(lexLat.p99, 1e-6), 1),
      throughput_batch32: round(modThroughput32 / Math.max(lexThroughput, 1e-6), 2),
    },
  };
  console.error(
    [
      `triage bench, ${messages.length} messages from intents/ (one at a time, one onnxruntime thread)`,
      `  model load          ${loadMs} ms   (onnx ${result.model.onnx_mb} MB, tokenizer ${result.model.tokenizer_mb} MB, RSS +${round((rssAfter - rssBefore) / 1e6, 1)} MB)`,
      `  latency p50         lexicon ${lexLat.p50} ms   model ${modLat.p50} ms   ratio ${result.ratios_vs_lexicon.p50}×`,
      `  latency p99         lexicon ${lexLat.p99} ms   model ${modLat.p99} ms   ratio ${result.ratios_vs_lexicon.p99}×`,
      `  throughput          lexicon ${lexThroughput}/s   model ${modThroughput1}/s (batch 1), ${modThroughput32}/s (batch 32)   ratio ${result.ratios_vs_lexicon.throughput_batch32}×`,
    ].join('\n'),
  );
  console.log(JSON.stringify(result));
  await model.dispose();
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exit(1);
});
