// Runs once before the suite. Redis-backed tests need a server on REDIS_URL or 127.0.0.1:6379;
// .ci/run starts one when it is missing. Say so clearly rather than fail with a timeout later.
import { createClient } from 'redis';

export default async function setup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`Redis is not answering at ${url} (${(err as Error).message}); start it: redis-server --daemonize yes --port 6379 --save "" --appendonly no`, { cause: err });
  } finally {
    await client.close().catch(() => undefined);
  }
}
