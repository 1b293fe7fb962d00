/**
 * npm run content:gate -- [--content DIR] [--base DIR] [--current MODEL_DIR] [--set FILE.jsonl …] [--out DIR]
 *
 * The publishing safety gate from the command line (for changes made in files): trains a model
 * from DIR's intents/ (default: CONTENT_DIR or the current folder) in a child process, measures it
 * and the current model (TRIAGE_MODEL_DIR or models/triage, read with --base's content, default the
 * same DIR) on the labelled sets (default test/fixtures/triage-challenge.jsonl; add a corrections
 * export with --set), prints the figures before and after and the lines now missed, and exits 1
 * when escalation or imminent recall falls under GATE_ESCALATION_FLOOR (0.97) / GATE_IMMINENT_FLOOR
 * (0.90) or drops by more than GATE_MAX_DROP (0.01).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadContent } from '../content/load.js';
import { parseEvalFile } from './eval.js';
import { DEFAULT_GATE_FLOORS, describeGate, gateCandidate } from './gate.js';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function floor(env: string | undefined, fallback: number): number {
  const n = env === undefined ? fallback : Number(env);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`a gate floor must be a number from 0 to 1, got "${env}"`);
  return n;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const root = resolve(arg(args, '--content') ?? process.env.CONTENT_DIR ?? '.');
  const base = resolve(arg(args, '--base') ?? root);
  const currentDir = resolve(arg(args, '--current') ?? process.env.TRIAGE_MODEL_DIR ?? 'models/triage');
  const files = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]!] : []));
  if (!files.length) files.push('test/fixtures/triage-challenge.jsonl');
  const sets = files.map((f) => {
    if (!existsSync(f)) throw new Error(`no labelled set at ${f}`);
    return { name: f, rows: parseEvalFile(readFileSync(f, 'utf8')) };
  });
  const floors = {
    escalation_recall: floor(process.env.GATE_ESCALATION_FLOOR, DEFAULT_GATE_FLOORS.escalation_recall),
    imminent_recall: floor(process.env.GATE_IMMINENT_FLOOR, DEFAULT_GATE_FLOORS.imminent_recall),
    max_drop: floor(process.env.GATE_MAX_DROP, DEFAULT_GATE_FLOORS.max_drop),
  };
  const out = arg(args, '--out');
  const work = out ? null : mkdtempSync(join(tmpdir(), 'gate-'));
  try {
    const report = await gateCandidate({
      candidate: loadContent(root),
      candidateRoot: root,
      candidateDir: out ? resolve(out) : join(work!, 'model'),
      current: existsSync(join(currentDir, 'config.json')) ? { dir: currentDir, content: loadContent(base) } : undefined,
      sets,
      floors,
      log: (m) => console.error(`[gate] ${m}`),
    });
    console.error(`[gate] candidate trained in ${report.trainSeconds} s`);
    for (const line of describeGate(report)) console.log(line);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`[gate] ${(e as Error).message}`);
  process.exit(2);
});
