// Start-up: a refused token is one clear error; a MAX that does not answer does not stop the service.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { MaxChannel, MaxConfigError, MaxTokenError } from '../../src/channels/max/channel.js';
import { fakeDeps } from '../vk/fakes.js';
import { TOKEN } from './harness.js';
import { MaxApiStandIn } from './max-api-stand-in.js';

describe('max start', () => {
  it('a token MAX refuses makes start() throw one MaxTokenError naming the settings, and nothing is subscribed', async () => {
    const api = await MaxApiStandIn.start({ token: TOKEN });
    try {
      for (const webhook of [true, false]) {
        const channel = new MaxChannel({ token: 'wrong', apiRoot: api.url, ...(webhook ? { webhookUrl: 'https://h.example/max/webhook', webhookSecret: 'secret_1' } : {}) }, fakeDeps());
        const err = await channel.start().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MaxTokenError);
        expect((err as Error).message).toBe('MAX_BOT_TOKEN was refused by the MAX Bot API (401); check MAX_BOT_TOKEN and MAX_API_ROOT');
        await channel.stop();
      }
      expect(api.subscriptions).toEqual([]);
      expect(api.callsOf('GET /updates')).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it('a webhook without a valid MAX_WEBHOOK_SECRET is refused at start, and its route refuses every update', async () => {
    for (const webhookSecret of [undefined, 'a b', 'abc']) {
      const channel = new MaxChannel({ token: TOKEN, apiRoot: 'http://127.0.0.1:9', webhookUrl: 'https://h.example/max/webhook', ...(webhookSecret ? { webhookSecret } : {}) }, fakeDeps());
      await expect(channel.start()).rejects.toBeInstanceOf(MaxConfigError);
      const app = Fastify();
      await channel.routes(app);
      const r = await app.inject({ method: 'POST', url: '/max/webhook', headers: webhookSecret ? { 'x-max-bot-api-secret': webhookSecret } : {}, payload: { update_type: 'bot_started', timestamp: 1 } });
      expect(r.statusCode).toBe(401);
      await app.close();
      await channel.stop();
    }
  });

  it('a MAX API that does not answer: start() returns after its timeout, warns, and retries in the background', async () => {
    const deps = fakeDeps();
    const channel = new MaxChannel({ token: TOKEN, apiRoot: 'http://127.0.0.1:9', bootTimeoutMs: 300 }, deps);
    const t0 = Date.now();
    await channel.start();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(deps.log.lines.some((l) => l.level === 'warn' && /not reachable/.test(l.msg ?? ''))).toBe(true);
    await channel.stop();
  });

  it('polling mode removes a leftover webhook subscription (GET /updates gives nothing while one exists)', async () => {
    const api = await MaxApiStandIn.start({ token: TOKEN, maxPollWaitSeconds: 1 });
    api.subscriptions = [{ url: 'https://old.example/hook' }];
    const channel = new MaxChannel({ token: TOKEN, apiRoot: api.url, pollTimeoutSeconds: 1 }, fakeDeps());
    try {
      await channel.start();
      expect(api.subscriptions).toEqual([]);
      await api.waitFor(() => api.callsOf('GET /updates').length > 0);
    } finally {
      await channel.stop();
      await api.close();
    }
  });
});
