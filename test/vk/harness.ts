// The VK channel as main.ts would run it, against the VK API stand-in over HTTP: the real vk-io,
// the real fastify route, and a fake core that answers like a tiny bot through the channel's sender.
import Fastify, { type FastifyInstance } from 'fastify';
import { VkChannel, type VkSettings } from '../../src/channels/vk/channel.js';
import type { Inbound } from '../../src/core/types.js';
import { CONFIRMATION, GROUP_ID, SECRET } from './events.js';
import { fakeDeps, type FakeCore } from './fakes.js';
import { VkApiStandIn } from './vk-api-stand-in.js';

export const TOKEN = 'vk1.a.test-community-token';
export const LONG_STEP = `goto:${'a_very_long_step_name_'.repeat(4)}end`;

export interface VkHarness {
  api: VkApiStandIn;
  channel: VkChannel;
  app: FastifyInstance;
  core: FakeCore;
  deps: ReturnType<typeof fakeDeps>;
  url: string;
  close(): Promise<void>;
}

/** A tiny bot in place of the core: greeting with buttons on start, an echo of words, a note for media. */
export function tinyBot(channel: () => VkChannel) {
  return async (inb: Inbound) => {
    const target = { id: 'c1', chatKey: inb.chatKey, channel: 'vk', locale: inb.localeHint ?? 'ru' };
    const send = (text: string, buttons?: { label: string; value: string }[]) => channel().sender.send(target, { type: 'message', text, ...(buttons ? { buttons } : {}) });
    if (inb.kind === 'command' && inb.value === 'start')
      return send('greeting', [
        { label: 'Поговорить с консультантом', value: 'action:counselor' },
        { label: 'Помочь себе самому', value: 'goto:selfhelp_menu' },
        { label: 'Очень длинная подпись кнопки, которая не помещается в сорок символов', value: LONG_STEP },
      ]);
    if (inb.kind === 'text') return send(`echo ${inb.text!.length}`);
    if (inb.kind === 'media') return send('media-not-supported');
    if (inb.kind === 'button') return send(`pressed ${inb.value}`);
  };
}

export async function startVk(settings: Partial<VkSettings> = {}, opts: { polling?: boolean } = {}): Promise<VkHarness> {
  const api = await VkApiStandIn.start({ token: TOKEN, groupId: GROUP_ID, maxPollWaitSeconds: 1 });
  const deps = fakeDeps();
  const channel: VkChannel = new VkChannel(
    {
      token: TOKEN,
      groupId: GROUP_ID,
      ...(opts.polling ? {} : { secret: SECRET, confirmation: CONFIRMATION }),
      apiRoot: api.url,
      apiLimit: 1000,
      apiRetryWaitMs: 50,
      apiTimeoutMs: 1000,
      pollingWaitMs: 50,
      ...settings,
    },
    deps,
  );
  deps.core.reply = tinyBot(() => channel);
  const app = Fastify({ logger: false });
  await channel.routes(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  api.webhookTarget = `${url}/vk/callback`;
  await channel.start();
  return {
    api,
    channel,
    app,
    core: deps.core,
    deps,
    url,
    close: async () => {
      await channel.stop();
      await app.close();
      await api.close();
    },
  };
}
