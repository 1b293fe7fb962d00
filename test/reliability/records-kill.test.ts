// Contact records survive a kill -9 of the instance (issue 18): a record snapshot goes to the
// live store's outbox (Redis) in the child's step and reaches PostgreSQL only after; an instance
// killed before or during its flush leaves the outbox to the next instance, which writes every
// record once. Real server processes, real Redis, real PostgreSQL (a throwaway schema).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis-store.js';
import { Instance } from '../helpers/instance.js';
import { conversationOfSoon } from '../helpers/webchat.js';
import { ChatClient } from '../helpers/ws-client.js';
import { DATABASE_URL, adminQuery, postgresSchema } from '../records/databases.js';

const CHILDREN = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('contact records across a kill -9', () => {
  const prefix = `records-kill-${randomUUID()}`;
  let schema: { schema: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let lookup: RedisStore;
  const instances: Instance[] = [];

  beforeAll(async () => {
    schema = await postgresSchema();
    const url = new URL(DATABASE_URL);
    url.searchParams.set('schema', schema.schema);
    env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, DATABASE_URL: url.toString() };
    lookup = await RedisStore.connect({ url: 'redis://127.0.0.1:6379', prefix, retention: { botMs: 60_000, handledMs: 60_000 } });
  }, 60_000);
  afterAll(async () => {
    await lookup?.close();
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    await schema?.drop();
  });

  const rows = async () => (await adminQuery(`SELECT id FROM ${schema.schema}.contact_records`).catch(() => ({ rows: [] as { id: string }[] }))).rows.map((r) => r.id as string);

  it('writes every contact once after the instance holding them was killed', async () => {
    const a = await Instance.start(env);
    instances.push(a);
    const ids: string[] = [];
    const clients: ChatClient[] = [];
    for (let i = 0; i < CHILDREN; i++) {
      const c = await ChatClient.connect(a.url);
      const secret = String((await c.waitFor((f) => f.type === 'session')).id);
      c.send({ type: 'message', text: `привет, у меня вопрос ${i}`, id: `m${i}` });
      clients.push(c);
      ids.push(secret);
    }
    for (const c of clients) await c.waitFor((f) => f.type === 'ack', 10_000);
    const conversations = await Promise.all(ids.map((s) => conversationOfSoon(lookup, s)));
    // Killed at once: the writer flushes once a second, so most records are still in the outbox.
    await a.kill();
    for (const c of clients) c.close();
    const beforeRestart = await rows();
    expect(beforeRestart.length).toBeLessThanOrEqual(CHILDREN);

    const b = await Instance.start(env);
    instances.push(b);
    const deadline = Date.now() + 20_000;
    while ((await rows()).length < CHILDREN && Date.now() < deadline) await sleep(200);
    // Two more flush periods: nothing written twice, nothing more.
    await sleep(2500);
    const after = await rows();
    expect(after.sort()).toEqual([...conversations].sort());
    expect(new Set(after).size).toBe(CHILDREN);
    console.log(`records: ${beforeRestart.length}/${CHILDREN} written before the kill, ${after.length}/${CHILDREN} after the restart`);
  }, 90_000);
});
