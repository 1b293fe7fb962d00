import { ActionTypes, ActivityTypes, CardFactory, Channels, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { Button, Outbound } from '../../core/types.js';

/** Where a reply goes: enough to pick how buttons are shown. */
export interface Target {
  channelId: string;
  conversationType?: string;
}

/**
 * Whether a channel shows `count` suggested actions (quick replies). The same table as
 * botbuilder-dialogs' Channel.supportsSuggestedActions, kept here to avoid that whole package.
 */
export function supportsSuggestedActions(target: Target, count: number): boolean {
  switch (target.channelId) {
    case Channels.Facebook:
    case Channels.Skype:
      return count <= 10;
    case Channels.Line:
      return count <= 13;
    case Channels.Kik:
      return count <= 20;
    case Channels.Telegram:
    case Channels.Emulator:
    case Channels.Directline:
    case Channels.DirectlineSpeech:
    case Channels.Webchat:
      return count <= 100;
    case Channels.Msteams:
      return target.conversationType === 'personal' && count <= 3;
    default:
      return false;
  }
}

/**
 * imBack sends the label back as the child's own words: that is what the child sees in the
 * chat after a tap, and it works on every channel. The sender remembers which value each
 * label stands for.
 */
function actions(buttons: Button[]): CardAction[] {
  return buttons.map((b) => ({ type: ActionTypes.ImBack, title: b.label, value: b.label }));
}

/** One Outbound as the activity to send. */
export function render(out: Outbound, target: Target, locale: string): Partial<Activity> {
  switch (out.type) {
    case 'typing':
      return { type: ActivityTypes.Typing };
    case 'queue':
      return { ...MessageFactory.text(out.text), textFormat: 'plain', locale };
    case 'message': {
      const buttons = out.buttons ?? [];
      let activity: Partial<Activity>;
      if (buttons.length === 0) activity = MessageFactory.text(out.text);
      else if (supportsSuggestedActions(target, buttons.length)) activity = MessageFactory.suggestedActions(actions(buttons), out.text);
      else activity = MessageFactory.attachment(CardFactory.heroCard('', undefined, actions(buttons)), out.text);
      // Plain: a counselor's asterisks stay asterisks, and line breaks stay line breaks.
      return { ...activity, textFormat: 'plain', locale };
    }
  }
}
