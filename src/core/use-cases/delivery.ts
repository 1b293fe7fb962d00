import { AppError } from '../errors.js';
import type { ChannelSender, DeliveryTarget } from '../ports.js';
import type { Outbound } from '../types.js';

export class UnknownChannelError extends AppError {
  constructor(channel: string) {
    super('unavailable', 503, `no sender registered for channel ${channel}`);
    this.name = 'UnknownChannelError';
  }
}

/** The channels' senders by channel id, registered once by the composition root. */
export class Delivery implements ChannelSender {
  private senders = new Map<string, ChannelSender>();

  register(channel: string, sender: ChannelSender): void {
    this.senders.set(channel, sender);
  }

  async send(target: DeliveryTarget, out: Outbound): Promise<void> {
    const sender = this.senders.get(target.channel);
    if (!sender) throw new UnknownChannelError(target.channel);
    await sender.send(target, out);
  }
}
