// MAX updates as the Bot API sends them (webhook body or an item of GET /updates).
export const BOT_ID = 8_800_000_001;
let nextUser = 5_000_000;
let nextMid = 1;
let clock = Date.now();
const ts = () => ++clock;

export interface Child {
  userId: number;
  chatId: number;
  locale: string;
}

export function newChild(locale = 'ru'): Child {
  const userId = nextUser++;
  return { userId, chatId: userId + 1_000_000, locale };
}

const user = (c: Child) => ({ user_id: c.userId, first_name: 'Аня', name: 'Аня', username: null, is_bot: false, last_activity_time: clock });

function message(c: Child, text: string | null, attachments: object[] = []) {
  return { sender: user(c), recipient: { chat_id: c.chatId, chat_type: 'dialog', user_id: BOT_ID }, timestamp: ts(), body: { mid: `mid.child.${nextMid++}`, seq: nextMid, text, attachments } };
}

export function messageCreated(c: Child, text: string | null, attachments: object[] = []) {
  return { update_type: 'message_created', timestamp: ts(), message: message(c, text, attachments), user_locale: c.locale };
}

export function botStarted(c: Child, payload?: string) {
  return { update_type: 'bot_started', timestamp: ts(), chat_id: c.chatId, user: user(c), ...(payload ? { payload } : {}), user_locale: c.locale };
}

export function botStopped(c: Child) {
  return { update_type: 'bot_stopped', timestamp: ts(), chat_id: c.chatId, user: user(c), user_locale: c.locale };
}

export function messageCallback(c: Child, payload: string, botMessageText = 'greeting') {
  return {
    update_type: 'message_callback',
    timestamp: ts(),
    callback: { timestamp: clock, callback_id: `cb.${nextMid++}`, payload, user: user(c) },
    message: { sender: { user_id: BOT_ID, is_bot: true, name: 'bot', first_name: 'bot', username: 'bot', last_activity_time: clock }, recipient: { chat_id: c.chatId, chat_type: 'dialog', user_id: c.userId }, timestamp: clock, body: { mid: 'mid.bot.1', seq: 1, text: botMessageText } },
    user_locale: c.locale,
  };
}

export function messageEdited(c: Child, text: string, mid?: string) {
  const m = message(c, text);
  if (mid) m.body.mid = mid;
  return { update_type: 'message_edited', timestamp: ts(), message: m };
}

export const media = {
  image: { type: 'image', payload: { photo_id: 1, token: 't', url: 'https://i.example/1.jpg' } },
  sticker: { type: 'sticker', payload: { url: 'https://i.example/s.webp', code: 's1' }, width: 128, height: 128 },
  audio: { type: 'audio', payload: { url: 'https://i.example/v.ogg', token: 't' } },
  file: { type: 'file', payload: { url: 'https://i.example/f.pdf', token: 't' }, filename: 'f.pdf', size: 10 },
  location: { type: 'location', latitude: 55.75, longitude: 37.61 },
  contact: { type: 'contact', payload: { vcf_info: 'BEGIN:VCARD', max_info: null, hash: 'h' } },
  video: { type: 'video', payload: { url: 'https://i.example/v.mp4', token: 't' } },
};
