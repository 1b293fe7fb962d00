/** A worker thread's side of parallel training: runs one fit job (see runFitJob) and posts the net back. */
import { parentPort, workerData } from 'node:worker_threads';
import { runFitJob, type FitJobInput } from './train.js';

const port = parentPort!;
try {
  const input = (workerData as { input: FitJobInput }).input;
  port.postMessage({ result: runFitJob(input, (m) => port.postMessage({ log: m })) });
} catch (e) {
  port.postMessage({ error: (e as Error).stack ?? String(e) });
}
