// Two instances on one Redis: a version published on one reaches a web chat child on the other
// within 2 s, without a restart; a restarted instance starts on the latest published version.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import { admin, start, staff, webChild, type Socket } from '../console/helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NEW_TEXT = 'Вдох на 4 — выдох на 6. Это новый текст из студии.';

/** Presses the breathing button and returns the bot's answer. */
async function breathing(child: Socket): Promise<string> {
  const seen = child.frames.length;
  child.send({ type: 'button', value: 'goto:breathing' });
  const reply = await child.next((f) => f.type === 'message' && f.from === 'bot' && child.frames.indexOf(f) >= seen);
  return reply.text as string;
}

describe('studio versions across two instances (Redis)', { timeout: 60_000 }, () => {
  let a: RunningApp;
  let b: RunningApp;
  let c: RunningApp | undefined;
  const prefix = `test-${randomUUID()}`;
  const env = { REDIS_URL, REDIS_PREFIX: prefix };

  beforeAll(async () => {
    a = await start(env);
    b = await start(env);
    await Promise.all([(a.store as RedisStore).ready(), (b.store as RedisStore).ready()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) if (keys.length) await client.del(keys);
    await client.close();
  });

  it('publishes on A; a child on B gets the new breathing text within 2 s; a restarted instance starts on it', async () => {
    const boss = await admin(a);
    const olga = await staff(a, boss, 'olga', 'editor');
    const { socket: child } = await webChild(b, 'привет');
    await child.next((f) => f.type === 'message' && f.from === 'bot' && !f.welcome);
    const old = await breathing(child);
    expect(old).toContain('Давай вместе');

    const d = (await olga.post('/api/studio/drafts', { title: 'breathing' })).body;
    expect((await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: `breathing = ${NEW_TEXT}`, rev: 0 })).status).toBe(200);
    const pub = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'new breathing text' });
    expect(pub.status).toBe(200);
    const publishedAt = Date.now();

    // The child on B presses again until the new words come (each answer is a real round trip).
    let text = old;
    while (text !== NEW_TEXT && Date.now() - publishedAt < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      text = await breathing(child);
    }
    const ms = Date.now() - publishedAt;
    expect(text).toBe(NEW_TEXT);
    expect(ms).toBeLessThan(2000);
    expect(b.content.published).toBe(pub.body.number);
    console.log(`[studio] publish on A → new text to a child on B in ${ms} ms`);
    child.close();

    // A third instance started now begins on the published version, not on the files.
    c = await start(env);
    expect(c.content.published).toBe(pub.body.number);
    expect(c.content.current.i18n.t('ru', 'breathing')).toBe(NEW_TEXT);
    expect(c.content.seed.i18n.t('ru', 'breathing')).toContain('Давай вместе');
  });
});
