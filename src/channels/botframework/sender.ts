import { queueAsMessage } from '../queue-as-message.js';
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ChannelSender, DeliveryTarget } from '../../core/ports.js';
import type { Outbound } from '../../core/types.js';
import type { BotFrameworkRecords } from './references.js';
import { render, type Target } from './render.js';

export class NoReferenceError extends Error {
  constructor() {
    super('no Bot Framework conversation reference for this chat (expired, or the child never wrote)');
    this.name = 'NoReferenceError';
  }
}

/**
 * Sends to a child on any Bot Framework channel. During the child's own turn the reply goes
 * through that turn (a reply to their activity, and buffered when the channel expects replies
 * in the HTTP response); at any other time, from any instance, through the stored
 * conversation reference and continueConversationAsync.
 */
export class BotFrameworkSender implements ChannelSender {
  private turns = new Map<string, TurnContext>();

  constructor(
    private adapter: CloudAdapter,
    private records: BotFrameworkRecords,
    /** The bot's app id ('' in local mode): proactive calls are made as this bot. */
    private appId: string,
  ) {}

  /** Runs fn with the child's turn registered, so replies made meanwhile use it. */
  async withTurn<T>(chatKey: string, context: TurnContext, fn: () => Promise<T>): Promise<T> {
    this.turns.set(chatKey, context);
    try {
      return await fn();
    } finally {
      // An overlapping later turn of the same chat may have taken the slot; leave it be.
      if (this.turns.get(chatKey) === context) this.turns.delete(chatKey);
    }
  }

  async send(conv: DeliveryTarget, news: Outbound): Promise<void> {
    const out = queueAsMessage(news);
    if (out.type === 'message' && out.buttons?.length) await this.records.offerButtons(conv.chatKey, out.buttons);
    const live = this.turns.get(conv.chatKey);
    if (live) {
      await live.sendActivity(render(out, target(live.activity), conv.locale));
      return;
    }
    const ref = await this.records.reference(conv.chatKey);
    if (!ref) throw new NoReferenceError();
    const activity = render(out, target(ref), conv.locale);
    await this.adapter.continueConversationAsync(this.appId, ref, async (context) => {
      // botbuilder would address it as a reply to the made-up continuation event; it replies
      // to nothing, so it goes to the conversation (Bot Connector's send-to-conversation).
      context.onSendActivities(async (_context, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      await context.sendActivity(activity);
    });
  }
}

function target(ref: Partial<Pick<ConversationReference, 'channelId' | 'conversation'>>): Target {
  return { channelId: ref.channelId ?? '', conversationType: ref.conversation?.conversationType };
}
