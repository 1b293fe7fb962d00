// The MAX channel as main.ts would run it, against the MAX API stand-in over HTTP: the real
// @maxhub/max-bot-api client, the real fastify route, and a fake core that answers like a tiny bot.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { MaxChannel, type MaxSettings } from '../../src/channels/max/channel.js';
import type { Inbound } from '../../src/core/types.js';
import { fakeDeps, type FakeCore } from '../vk/fakes.js';
import { MaxApiStandIn } from './max-api-stand-in.js';

export const TOKEN = 'max-test-token-0001';
export const LONG_STEP = `goto:${'a_very_long_step_name_'.repeat(4)}end`;

export interface MaxHarness {
  api: MaxApiStandIn;
  channel: MaxChannel;
  app: FastifyInstance;
  core: FakeCore;
  deps: ReturnType<typeof fakeDeps>;
  secret: string;
  close(): Promise<void>;
}

export function tinyBot(channel: () => MaxChannel) {
  return async (inb: Inbound) => {
    const target = { id: 'c1', chatKey: inb.chatKey, channel: 'max', locale: inb.localeHint ?? 'ru' };
    const send = (text: string, buttons?: { label: string; value: string }[]) => channel().sender.send(target, { type: 'message', text, ...(buttons ? { buttons } : {}) });
    if (inb.kind === 'command' && inb.value === 'start')
      return send('greeting', [
        { label: 'Поговорить с консультантом', value: 'action:counselor' },
        { label: 'Помочь себе самому', value: 'goto:selfhelp_menu' },
        { label: 'Длинная', value: LONG_STEP },
      ]);
    if (inb.kind === 'text') return send(`echo ${inb.text!.length}`);
    if (inb.kind === 'media') return send('media-not-supported');
    if (inb.kind === 'button') return send(`pressed ${inb.value}`);
  };
}

export async function startMax(settings: Partial<MaxSettings> = {}, opts: { polling?: boolean } = {}): Promise<MaxHarness> {
  const api = await MaxApiStandIn.start({ token: TOKEN, maxPollWaitSeconds: 1 });
  const deps = fakeDeps();
  const secret = `s_${randomUUID().replace(/-/g, '')}`;
  const channel: MaxChannel = new MaxChannel(
    {
      token: TOKEN,
      apiRoot: api.url,
      ...(opts.polling ? {} : { webhookUrl: 'https://helpline.example/max/webhook', webhookSecret: secret }),
      retry: { retries: 4, backoffMs: 20, maxBackoffMs: 100, timeoutMs: 2000 },
      pollTimeoutSeconds: 1,
      pollBackoffMs: 20,
      pollMaxBackoffMs: 100,
      answerSpacingMs: 500,
      ...settings,
    },
    deps,
  );
  deps.core.reply = tinyBot(() => channel);
  const app = Fastify({ logger: false });
  await channel.routes(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  api.webhookTarget = `${url}/max/webhook`;
  await channel.start();
  return {
    api,
    channel,
    app,
    core: deps.core,
    deps,
    secret,
    close: async () => {
      await channel.stop();
      await app.close();
      await api.close();
    },
  };
}
