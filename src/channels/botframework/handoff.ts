import { ActivityTypes, EventFactory, type Activity, type TurnContext } from 'botbuilder';
import { errInfo } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';
import type { ChatView, HistoryLine } from '../../core/use-cases/channel-gateway.js';
import type { ChannelCore } from '../channel.js';
import { BOTFRAMEWORK } from './activity.js';

/** What the helpline's own agent hub learns with the handoff: ids and levels, no free text. */
export interface HandoffContext {
  conversationId: string;
  risk: ChatView['risk'];
  topic: ChatView['topic'];
  locale: string;
  waitingSince?: number;
}

/**
 * For helplines whose agents already work in a Bot Framework agent hub: when this turn put the
 * child in the queue, also emit `handoff.initiate` with the transcript. Our own queue stays the
 * source of truth; a failure here is logged and changes nothing for the child.
 */
export async function sendHandoffIfQueued(context: TurnContext, core: ChannelCore, chatKey: string, before: ChatView | null, log: Log): Promise<void> {
  try {
    const after = await core.current(BOTFRAMEWORK, chatKey);
    if (!after || after.state !== 'queued') return;
    if (before && before.id === after.id && before.state === 'queued') return;
    const transcript = { activities: toActivities(context, await core.history(after.id, Number.POSITIVE_INFINITY)) as Activity[] };
    const value: HandoffContext = { conversationId: after.id, risk: after.risk, topic: after.topic, locale: after.locale, waitingSince: after.waitingSince };
    await context.sendActivity(EventFactory.createHandoffInitiation(context, value, transcript));
    log.info({ risk: after.risk, entries: transcript.activities.length }, 'bot framework handoff.initiate sent');
  } catch (err) {
    log.warn({ err: errInfo(err) }, 'bot framework handoff.initiate failed; the child stays in our queue');
  }
}

/** The child's view of the conversation (what they, the bot and counselors said), as activities. */
function toActivities(context: TurnContext, entries: HistoryLine[]): Partial<Activity>[] {
  const a = context.activity;
  return entries.map((e) => ({
      type: ActivityTypes.Message,
      channelId: a.channelId,
      conversation: a.conversation,
      from: e.from === 'child' ? a.from : a.recipient,
      recipient: e.from === 'child' ? a.recipient : a.from,
      text: e.text,
      timestamp: new Date(e.at),
    }));
}
