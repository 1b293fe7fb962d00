import { queueAsMessage } from '../queue-as-message.js';
import { randomInt } from 'node:crypto';
import { APIError, type API } from 'vk-io';
import type { ChannelSender, DeliveryTarget } from '../../core/ports.js';
import type { Outbound } from '../../core/types.js';
import type { ButtonCodec } from '../button-codec.js';
import type { ClientCapsStore } from './clients.js';
import { choicesAsText, keyboardFor, type WireButton } from './keyboard.js';
import { splitText } from '../split-text.js';

/** VK's limit is 4096 characters a message; a little less leaves room for counting differences. */
export const MAX_MESSAGE_CHARS = 4000;

/** 900 blacklisted, 901 no permission (messages from the community turned off), 902 privacy settings. */
export const UNREACHABLE_CODES = new Set([900, 901, 902]);

export function isUnreachable(err: unknown): boolean {
  return err instanceof APIError && UNREACHABLE_CODES.has(Number(err.code));
}

export function peerOf(chatKey: string): number {
  if (!/^\d{1,12}$/.test(chatKey)) throw new RangeError('not a VK peer id');
  return Number(chatKey);
}

/** A fresh random_id per message: vk-io resends a failed request with the same one, and VK sends a random_id once. */
export const randomId = () => randomInt(1, 2 ** 31 - 1);

/**
 * Outbound → VK API calls through vk-io (its queue keeps the rate limit; it retries error 6 and
 * network failures with the same random_id, so a retry never doubles a message). Errors are
 * thrown to the core, which records a failed delivery; 900/901/902 also tell the core that the
 * child is gone — not awaited, because the core may hold the conversation's lock while it sends.
 */
export class VkSender implements ChannelSender {
  constructor(
    private api: API,
    private groupId: number,
    private codec: ButtonCodec,
    private clients: ClientCapsStore,
    private onUnreachable: (chatKey: string) => void,
  ) {}

  async send(target: DeliveryTarget, news: Outbound): Promise<void> {
    const out = queueAsMessage(news);
    const peer_id = peerOf(target.chatKey);
    try {
      switch (out.type) {
        case 'message': {
          let text = out.text;
          let keyboard: string | undefined;
          if (out.buttons?.length) {
            const wire: WireButton[] = await Promise.all(out.buttons.map(async (b) => ({ label: b.label, data: await this.codec.encode(b.value) })));
            const kb = keyboardFor(wire, await this.clients.get(target.chatKey));
            if (kb) keyboard = JSON.stringify(kb);
            else text = choicesAsText(text, wire);
          }
          const parts = splitText(text, MAX_MESSAGE_CHARS);
          for (let i = 0; i < parts.length; i++) {
            const last = i === parts.length - 1;
            await this.api.messages.send({
              peer_id,
              random_id: randomId(),
              message: parts[i]!,
              dont_parse_links: 1,
              disable_mentions: 1,
              ...(last && keyboard ? { keyboard } : {}),
            });
          }
          return;
        }
        case 'queue':
          // No queue widget in VK: the same news in words.
          for (const part of splitText(out.text, MAX_MESSAGE_CHARS)) await this.api.messages.send({ peer_id, random_id: randomId(), message: part, dont_parse_links: 1 });
          return;
        case 'typing':
          await this.api.messages.setActivity({ peer_id, type: 'typing', group_id: this.groupId });
          return;
        default:
          return;
      }
    } catch (err) {
      if (isUnreachable(err)) this.onUnreachable(target.chatKey);
      throw err;
    }
  }
}
