// VK events as the Callback API and Bots Long Poll send them (API 5.199).
import { randomUUID } from 'node:crypto';

export const GROUP_ID = 229_000_001;
export const SECRET = 'vk-test-secret-Aa1';
export const CONFIRMATION = 'a1b2c3d4';

let nextUser = 700_000_000;
let nextMessage = 1;

export interface Child {
  id: number;
  langId: number;
  /** client_info.button_actions (callback buttons are there unless said otherwise). */
  buttonActions: string[];
  inline: boolean;
}

export function newChild(langId = 0, opts: Partial<Child> = {}): Child {
  return { id: nextUser++, langId, buttonActions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'], inline: true, ...opts };
}

function envelope(type: string, object: object, extra: object = {}) {
  return { group_id: GROUP_ID, type, event_id: randomUUID().replace(/-/g, '').slice(0, 40), v: '5.199', object, secret: SECRET, ...extra };
}

function message(child: Child, text: string, extra: object = {}) {
  return { date: Math.floor(Date.now() / 1000), from_id: child.id, id: nextMessage++, out: 0, peer_id: child.id, text, conversation_message_id: nextMessage, fwd_messages: [], important: false, random_id: 0, attachments: [], is_hidden: false, ...extra };
}

function clientInfo(child: Child) {
  return { button_actions: child.buttonActions, keyboard: true, inline_keyboard: child.inline, carousel: true, lang_id: child.langId };
}

export function messageNew(child: Child, text: string, extra: object = {}) {
  return envelope('message_new', { message: message(child, text, extra), client_info: clientInfo(child) });
}

/** The "Start" button of a community chat (payload {"command":"start"}). */
export function startButton(child: Child) {
  return messageNew(child, 'Начать', { payload: '{"command":"start"}' });
}

export function photo(child: Child, caption = '') {
  return messageNew(child, caption, { attachments: [{ type: 'photo', photo: { id: 1, owner_id: child.id, sizes: [{ type: 'x', url: 'https://sun.example/p.jpg', width: 604, height: 453 }] } }] });
}

export function attachment(child: Child, type: string) {
  return messageNew(child, '', { attachments: [{ type, [type]: { id: 1, owner_id: child.id } }] });
}

export function location(child: Child) {
  return messageNew(child, '', { geo: { type: 'point', coordinates: { latitude: 55.75, longitude: 37.61 } } });
}

/** A callback button press; payload as the bot sent it. */
export function messageEvent(child: Child, payload: unknown) {
  return envelope('message_event', { user_id: child.id, peer_id: child.id, event_id: randomUUID().replace(/-/g, '').slice(0, 12), payload, conversation_message_id: 1 });
}

export function messageDeny(child: Child) {
  return envelope('message_deny', { user_id: child.id });
}

export function messageEdit(child: Child, text: string) {
  return envelope('message_edit', message(child, text));
}

export function typingState(child: Child) {
  return envelope('message_typing_state', { state: 'typing', from_id: child.id, to_id: -GROUP_ID });
}

export function confirmation(secret = SECRET) {
  return { type: 'confirmation', group_id: GROUP_ID, secret };
}

export function unknownEvent() {
  return envelope('wall_post_new', { id: 1, owner_id: -GROUP_ID, text: 'hello' });
}
