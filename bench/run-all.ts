// npm run bench — runs each benchmark in its own process (so they do not share an event loop)
// and prints its summary. Each benchmark prints ratios against a baseline measured in the same
// run; the soak is long (10 minutes) and runs only with `npm run bench:soak`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const benches: { name: string; args: string[] }[] = [
  { name: 'triage', args: ['bench/triage.ts'] },
  { name: 'telegram', args: ['bench/telegram.ts'] },
  { name: 'handoff', args: ['bench/handoff.ts', '--redis'] },
  { name: 'vk', args: ['bench/vk.ts'] },
  { name: 'max', args: ['bench/max.ts'] },
];
const only = process.argv.slice(2);
let failed = 0;
for (const b of benches) {
  if (only.length && !only.includes(b.name)) continue;
  console.error(`\n=== bench/${b.name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...b.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  console.log(`${b.name}: ${last}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
