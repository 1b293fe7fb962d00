// Builders of real-shaped Telegram updates (what the Bot API would send about a child's actions).
import type { Message, Update } from 'grammy/types';

let messageId = 1000;
const date = () => Math.floor(Date.now() / 1000);

export interface From {
  /** Private chat id = the child's user id. */
  chatId: number;
  languageCode?: string;
}

function child({ chatId, languageCode }: From) {
  return { id: chatId, is_bot: false, first_name: 'Child', ...(languageCode ? { language_code: languageCode } : {}) };
}

function privateChat(chatId: number) {
  return { id: chatId, type: 'private' as const, first_name: 'Child' };
}

export type NewUpdate = Omit<Update, 'update_id'>;

export function textUpdate(from: From, text: string): NewUpdate {
  return { message: { message_id: messageId++, date: date(), chat: privateChat(from.chatId), from: child(from), text } } as NewUpdate;
}

export function commandUpdate(from: From, command: string, arg = ''): NewUpdate {
  const text = `/${command}${arg ? ` ${arg}` : ''}`;
  return {
    message: {
      message_id: messageId++,
      date: date(),
      chat: privateChat(from.chatId),
      from: child(from),
      text,
      entities: [{ type: 'bot_command', offset: 0, length: command.length + 1 }],
    },
  } as NewUpdate;
}

export function stickerUpdate(from: From): NewUpdate {
  return {
    message: {
      message_id: messageId++,
      date: date(),
      chat: privateChat(from.chatId),
      from: child(from),
      sticker: { file_id: 'CAACAgIAAxkBAAE', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '😢' },
    },
  } as NewUpdate;
}

export function photoUpdate(from: From, caption?: string): NewUpdate {
  return {
    message: {
      message_id: messageId++,
      date: date(),
      chat: privateChat(from.chatId),
      from: child(from),
      photo: [{ file_id: 'AgACAgIAAxkBAAE', file_unique_id: 'AQAD', width: 90, height: 90 }],
      ...(caption ? { caption } : {}),
    },
  } as NewUpdate;
}

export function voiceUpdate(from: From): NewUpdate {
  return {
    message: {
      message_id: messageId++,
      date: date(),
      chat: privateChat(from.chatId),
      from: child(from),
      voice: { file_id: 'AwACAgIAAxkBAAE', file_unique_id: 'AgADv', duration: 3 },
    },
  } as NewUpdate;
}

export function editedUpdate(from: From, originalId: number, text: string): NewUpdate {
  return {
    edited_message: {
      message_id: originalId,
      date: date() - 5,
      edit_date: date(),
      chat: privateChat(from.chatId),
      from: child(from),
      text,
    },
  } as NewUpdate;
}

/** The child pressed an inline button under the bot's message `message`. */
export function callbackUpdate(from: From, message: Message, data: string): NewUpdate {
  return {
    callback_query: {
      id: String(Math.floor(Math.random() * 1e15)),
      from: child(from),
      chat_instance: '-123456789',
      message,
      data,
    },
  };
}

export function groupTextUpdate(groupId: number, from: From, text: string): NewUpdate {
  return {
    message: { message_id: messageId++, date: date(), chat: { id: groupId, type: 'group', title: 'Class 7B' }, from: child(from), text },
  } as NewUpdate;
}

/** The child blocked the bot (Telegram tells the bot with a my_chat_member update). */
export function blockedUpdate(from: From, botId: number): NewUpdate {
  return {
    my_chat_member: {
      chat: privateChat(from.chatId),
      from: child(from),
      date: date(),
      old_chat_member: { status: 'member', user: { id: botId, is_bot: true, first_name: 'bot' } },
      new_chat_member: { status: 'kicked', user: { id: botId, is_bot: true, first_name: 'bot' }, until_date: 0 },
    },
  };
}

let nextChat = 500_000_000 + Math.floor(Math.random() * 1e6) * 100;
/** A fresh child for each test (chat ids never repeat within a run). */
export function newChild(languageCode = 'en'): From {
  return { chatId: nextChat++, languageCode };
}
