// Entry of a worker thread started by workers.ts: registers tsx (worker threads do not inherit the
// parent's loader) and runs the TypeScript job module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
