import type { Conversation, Outbound } from './types.js';

/** A channel's way of reaching a child: one per channel, registered by the composition root. */
export interface ChannelSender {
  send(conv: Pick<Conversation, 'id' | 'chatKey' | 'channel' | 'locale'>, out: Outbound): Promise<void>;
}

export class UnknownChannelError extends Error {
  constructor(channel: string) {
    super(`no sender registered for channel ${channel}`);
    this.name = 'UnknownChannelError';
  }
}

export class Delivery {
  private senders = new Map<string, ChannelSender>();

  register(channel: string, sender: ChannelSender): void {
    this.senders.set(channel, sender);
  }

  async send(conv: Pick<Conversation, 'id' | 'chatKey' | 'channel' | 'locale'>, out: Outbound): Promise<void> {
    const sender = this.senders.get(conv.channel);
    if (!sender) throw new UnknownChannelError(conv.channel);
    await sender.send(conv, out);
  }
}
