// Two instances sharing one Redis: sessions, the live feed and claims work across them.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import { StaffClient, admin, consoleSocket, staff, start, webChild } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('console across two instances (Redis)', () => {
  let a: RunningApp;
  let b: RunningApp;
  const prefix = `test-${randomUUID()}`;

  beforeAll(async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix };
    a = await start(env);
    b = await start(env);
    await Promise.all([(a.store as RedisStore).ready(), (b.store as RedisStore).ready()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    // Leave the shared Redis as we found it.
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length) await client.del(keys);
    await client.close();
  });

  it('shares accounts and sessions, alerts consoles on the other instance, and lets exactly one claim win', async () => {
    const bossA = await admin(a);
    const annaA = await staff(a, bossA, 'anna', 'counselor');
    // Anna's cookie from instance A works on B; Boris signs in on B.
    const annaB = Object.assign(new StaffClient(b), { cookie: annaA.cookie, csrf: annaA.csrf, id: 'anna' });
    expect((await annaB.get('/api/auth/me')).body.user.id).toBe('anna');
    await bossA.post('/api/accounts', { username: 'boris', password: 'counselor-pass-1', role: 'counselor' });
    const borisB = new StaffClient(b);
    expect((await borisB.login('boris', 'counselor-pass-1')).status).toBe(200);

    const feedB = await consoleSocket(b, borisB);
    await feedB.next((f) => f.type === 'hello');
    const sentAt = Date.now();
    const { socket: child, id } = await webChild(a, 'хочу покончить с собой');
    const alert = await feedB.next((f) => f.type === 'alert' && f.id === id);
    expect(alert.receivedAt - sentAt).toBeLessThan(1000);

    const [x, y] = await Promise.all([annaA.post(`/api/conversations/${id}/claim`), borisB.post(`/api/conversations/${id}/claim`)]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? annaA : borisB;
    // The child's socket is on A; a counselor on either instance reaches it.
    expect((await winner.post(`/api/conversations/${id}/messages`, { text: 'Я здесь' })).status).toBe(201);
    await child.next((f) => f.type === 'message' && f.from === 'counselor' && f.text === 'Я здесь');
    feedB.close();
    child.close();
  });
});
