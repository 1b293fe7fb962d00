// Start-up: a refused token is one clear error; a VK that does not answer does not stop the service.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { VkChannel, VkConfigError, VkTokenError } from '../../src/channels/vk/channel.js';
import { CONFIRMATION, GROUP_ID, SECRET } from './events.js';
import { fakeDeps } from './fakes.js';
import { TOKEN } from './harness.js';
import { VkApiStandIn } from './vk-api-stand-in.js';

describe('vk start', () => {
  it('a token VK refuses makes start() throw one VkTokenError naming the settings', async () => {
    const api = await VkApiStandIn.start({ token: TOKEN, groupId: GROUP_ID });
    try {
      for (const polling of [false, true]) {
        const channel = new VkChannel({ token: 'wrong', groupId: GROUP_ID, apiRoot: api.url, ...(polling ? {} : { secret: SECRET, confirmation: CONFIRMATION }) }, fakeDeps());
        const err = await channel.start().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(VkTokenError);
        expect((err as Error).message).toBe('VK_GROUP_TOKEN was refused by the VK API (error 5); check VK_GROUP_TOKEN, VK_GROUP_ID and VK_API_ROOT');
        await channel.stop();
      }
      expect(api.callsOf('groups.getLongPollServer')).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it('the Callback API without VK_SECRET is refused at start, and its route refuses every event', async () => {
    const deps = fakeDeps();
    const channel = new VkChannel({ token: TOKEN, groupId: GROUP_ID, confirmation: CONFIRMATION, apiRoot: 'http://127.0.0.1:9' }, deps);
    await expect(channel.start()).rejects.toBeInstanceOf(VkConfigError);
    const app = Fastify();
    await channel.routes(app);
    const r = await app.inject({ method: 'POST', url: '/vk/callback', payload: { type: 'confirmation', group_id: GROUP_ID } });
    expect(r.statusCode).toBe(403);
    await app.close();
    await channel.stop();
    await expect(new VkChannel({ token: TOKEN, groupId: 0 }, fakeDeps()).start()).rejects.toThrow(/VK_GROUP_ID/);
  });

  it('a VK API that does not answer: start() returns after its timeout, warns, and retries in the background', async () => {
    const deps = fakeDeps();
    const channel = new VkChannel({ token: TOKEN, groupId: GROUP_ID, apiRoot: 'http://127.0.0.1:9', apiRetryWaitMs: 20, bootTimeoutMs: 300 }, deps);
    const t0 = Date.now();
    await channel.start();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(deps.log.lines.some((l) => l.level === 'warn' && /not reachable/.test(l.msg ?? ''))).toBe(true);
    await channel.stop();
  });
});
