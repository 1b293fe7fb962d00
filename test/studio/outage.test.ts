// Redis away during a publish: refused with 503, nothing changed, the draft kept; it publishes once Redis is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import { TestRedis } from '../helpers/redis-server.js';
import { admin, start, staff, until } from '../console/helpers.js';

describe('studio with Redis away', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let app: RunningApp;

  beforeAll(async () => {
    redis = await TestRedis.create(true);
    app = await start({ REDIS_URL: redis.url });
    await (app.store as RedisStore).ready();
  });
  afterAll(async () => {
    redis?.resume();
    await app?.close();
    await redis?.stop();
  });

  it('refuses a publish while Redis hangs or is down, keeps the draft, and publishes when it is back', async () => {
    const olga = await staff(app, await admin(app), 'olga', 'editor');
    const d = (await olga.post('/api/studio/drafts', { title: 'outage' })).body;
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: 'breathing = Дыши.', rev: 0 });

    redis.pause();
    const hung = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'during a hang' });
    expect(hung.status, JSON.stringify(hung.body)).toBe(503);
    expect(hung.body.code).toBe('store_unavailable');
    redis.resume();

    await redis.stop();
    const down = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'while down' });
    expect(down.status, JSON.stringify(down.body)).toBe(503);
    expect(down.body.code).toBe('store_unavailable');
    // The bot keeps saying what it said.
    expect(app.content.current.i18n.t('ru', 'breathing')).toContain('Давай вместе');

    await redis.start();
    await until(async () => (await olga.get(`/api/studio/drafts/${d.id}`)).status === 200, 10_000, 'the store back');
    expect((await olga.get(`/api/studio/drafts/${d.id}`)).body.items['message:ru:breathing'].value).toBe('breathing = Дыши.');
    const pub = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'after the outage' });
    expect(pub.status).toBe(200);
    expect(app.content.current.i18n.t('ru', 'breathing')).toBe('Дыши.');
  });
});
