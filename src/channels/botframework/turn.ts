import { ActivityTypes, TurnContext, type ConversationReference } from 'botbuilder';
import { errInfo } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';
import type { Inbound } from '../../core/types.js';
import type { ChannelCore } from '../channel.js';
import { BOTFRAMEWORK, chatKeyOf, humansAdded, localeOf, mediaOf, stripMentions, toInbound } from './activity.js';
import { sendHandoffIfQueued } from './handoff.js';
import type { BotFrameworkRecords } from './references.js';
import type { BotFrameworkSender } from './sender.js';

/** The core could only send the fallback numbers: the activity must come again. */
export class NotStoredError extends Error {
  constructor() {
    super('the activity got the fallback reply but was not stored');
    this.name = 'NotStoredError';
  }
}

export interface TurnHandlerOptions {
  core: ChannelCore;
  sender: BotFrameworkSender;
  records: BotFrameworkRecords;
  log: Log;
  /** Emit handoff.initiate (with the transcript) when a child enters the queue. */
  handoffEvent: boolean;
}

/**
 * The bot's logic for one incoming activity. Thin: it turns the activity into Inbound messages
 * for the core, keeps the conversation reference for later, and lets the core decide.
 */
export function createTurnHandler(opts: TurnHandlerOptions): (context: TurnContext) => Promise<void> {
  const { core, sender, records, log } = opts;

  /** The reference for proactive messages; a store failure must not silence this turn's reply. */
  const remember = async (context: TurnContext, chatKey: string) => {
    try {
      await records.saveReference(chatKey, referenceOf(context));
    } catch (err) {
      log.warn({ err: errInfo(err) }, 'bot framework reference not saved; later messages to this child may fail');
    }
  };

  const run = async (context: TurnContext, chatKey: string, inbounds: () => Promise<Inbound[]>) => {
    const a = context.activity;
    await sender.withTurn(chatKey, context, async () => {
      await remember(context, chatKey);
      try {
        const list = await inbounds();
        if (list.length === 0) return;
        const before = opts.handoffEvent ? await core.current(BOTFRAMEWORK, chatKey) : null;
        // Bot Connector retries a request it thinks timed out: the core answers each activity id once.
        let stored = true;
        for (const inb of list) if ((await core.handle(inb)) === 'failed') stored = false;
        // Not stored (the core already sent the numbers): answer 5xx, so the connector sends it again.
        if (!stored) throw new NotStoredError();
        if (opts.handoffEvent) await sendHandoffIfQueued(context, core, chatKey, before, log);
      } catch (err) {
        if (err instanceof NotStoredError) throw err;
        log.error({ err: errInfo(err), kind: a.type }, 'bot framework turn failed; sending fallback reply');
        await core.fallback({ channel: BOTFRAMEWORK, chatKey, text: a.text, localeHint: localeOf(a) });
      }
    });
  };

  return async (context) => {
    const a = context.activity;
    log.debug({ kind: a.type, channelId: a.channelId }, 'bot framework activity');
    const chatKey = chatKeyOf(a);
    switch (a.type) {
      case ActivityTypes.Message:
      case ActivityTypes.MessageUpdate:
        return run(context, chatKey, async () => {
          // Typing right away: the classifier and the store take a moment.
          if (a.type === ActivityTypes.Message) await context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
          const plain = a.type === ActivityTypes.Message && mediaOf(a).length === 0;
          const button = plain ? await records.takeButton(chatKey, stripMentions(a).trim()).catch(() => undefined) : undefined;
          const list = toInbound(a, chatKey, button);
          if (list.length === 0) log.debug({ kind: a.type }, 'bot framework message without text or media; ignored');
          return list;
        });
      case ActivityTypes.ConversationUpdate:
        if (humansAdded(a) === 0) return;
        // Someone opened the chat: greet them before they have to find words.
        return run(context, chatKey, async () => [
          {
            channel: BOTFRAMEWORK,
            chatKey,
            userKey: a.membersAdded?.find((m) => m.id !== a.recipient?.id)?.id ?? chatKey,
            kind: 'command',
            value: 'start',
            localeHint: localeOf(a),
            platformMessageId: a.id,
          },
        ]);
      case ActivityTypes.Typing:
        await core.typing(BOTFRAMEWORK, chatKey).catch(() => undefined);
        return;
      default:
        return;
    }
  };
}

/** Only what a later message needs: no display names, no activity text. */
function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const ref = TurnContext.getConversationReference(context.activity);
  const c = ref.conversation;
  return JSON.parse(
    JSON.stringify({
      channelId: ref.channelId,
      serviceUrl: ref.serviceUrl,
      locale: ref.locale,
      conversation: c && { id: c.id, tenantId: c.tenantId, conversationType: c.conversationType, isGroup: c.isGroup },
      user: ref.user && { id: ref.user.id, role: ref.user.role },
      bot: ref.bot && { id: ref.bot.id, name: ref.bot.name },
    }),
  ) as Partial<ConversationReference>;
}
