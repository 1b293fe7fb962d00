/**
 * Runs independent, CPU-bound jobs on worker threads, at most `threads` at a time, and returns
 * their results in input order. A job's worker posts { log } lines and then { result } or { error }.
 */
import { Worker } from 'node:worker_threads';

// Worker threads do not inherit tsx's loader, so each starts from a small JS file that registers it.
const BOOT = new URL('./worker-boot.mjs', import.meta.url);

type Message<O> = { log: string } | { result: O } | { error: string };

export async function runInWorkers<I, O>(entry: URL, inputs: I[], threads: number, log: (m: string) => void): Promise<O[]> {
  const results = new Array<O>(inputs.length);
  const live = new Set<Worker>();
  let next = 0;
  let failed = false;

  const runOne = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(BOOT, { workerData: { entry: entry.href, input: inputs[index] } });
      live.add(worker);
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        live.delete(worker);
        if (error) reject(error);
        else resolve();
      };
      worker.on('message', (m: Message<O>) => {
        if ('log' in m) log(m.log);
        else if ('error' in m) settle(new Error(`training thread failed: ${m.error}`));
        else {
          results[index] = m.result;
          settle();
          void worker.terminate();
        }
      });
      worker.on('error', (e) => settle(e));
      worker.on('exit', (code) => settle(new Error(`training thread stopped before it finished (exit code ${code})`)));
    });

  const lane = async (): Promise<void> => {
    while (!failed && next < inputs.length) await runOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, inputs.length)) }, lane));
  } catch (e) {
    failed = true;
    await Promise.all([...live].map((w) => w.terminate()));
    throw e;
  }
  return results;
}
