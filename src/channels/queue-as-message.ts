import type { Outbound } from '../core/types.js';

/**
 * Messengers have no queue widget: a place in the queue is a bot message with its buttons (leave
 * the queue), so leaving stays one tap away under the newest news while the child waits.
 */
export function queueAsMessage(out: Outbound): Outbound {
  return out.type === 'queue' ? { type: 'message', text: out.text, ...(out.buttons?.length ? { buttons: out.buttons } : {}), from: 'bot' } : out;
}
