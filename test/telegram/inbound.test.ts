// Pure mapping of Telegram messages to the core's Inbound shape; callback_data's 64-byte guard; long texts.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { Message } from 'grammy/types';
import { afterAll, describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES, CallbackData } from '../../src/channels/telegram/callback-data.js';
import { commandOf, editOf, inboundsOf, mediaKind } from '../../src/channels/telegram/inbound.js';
import { splitText } from '../../src/channels/split-text.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { channelState } from '../../src/store/repositories.js';
import type { Store } from '../../src/store/store.js';
import { REDIS_URL } from './harness.js';
import { commandUpdate, editedUpdate, photoUpdate, stickerUpdate, textUpdate, voiceUpdate } from './updates.js';

const child = { chatId: 42, languageCode: 'ru' };
const msg = (u: { message?: unknown }) => u.message as Message;

describe('Telegram message → Inbound', () => {
  it('text, with the chat id as chat key and language_code as locale hint', () => {
    const m = msg(textUpdate(child, 'мне плохо'));
    expect(inboundsOf(m)).toEqual([
      { channel: 'telegram', chatKey: '42', userKey: '42', localeHint: 'ru', platformMessageId: String(m.message_id), kind: 'text', text: 'мне плохо' },
    ]);
  });

  it('commands by their bot_command entity, also /start@bot with a payload', () => {
    expect(inboundsOf(msg(commandUpdate(child, 'start')))[0]).toMatchObject({ kind: 'command', value: 'start' });
    expect(commandOf({ text: '/Start@helpline_bot from_site', entities: [{ type: 'bot_command', offset: 0, length: 19 }] })).toEqual({ name: 'start', arg: 'from_site' });
    // A slash without the entity is words, not a command.
    expect(inboundsOf({ ...msg(textUpdate(child, '/ i want to die')) })[0]).toMatchObject({ kind: 'text', text: '/ i want to die' });
  });

  it('media kinds, not downloaded; the most specific kind wins', () => {
    expect(inboundsOf(msg(stickerUpdate(child)))).toEqual([expect.objectContaining({ kind: 'media', media: 'sticker' })]);
    expect(inboundsOf(msg(voiceUpdate(child)))[0]).toMatchObject({ kind: 'media', media: 'voice' });
    expect(mediaKind({ animation: {}, document: {} } as unknown as Message)).toBe('animation');
    expect(mediaKind({ venue: {}, location: {} } as unknown as Message)).toBe('venue');
    expect(mediaKind({ location: {} } as unknown as Message)).toBe('location');
    expect(mediaKind({ contact: {} } as unknown as Message)).toBe('contact');
    expect(mediaKind({ video_note: {} } as unknown as Message)).toBe('video_note');
  });

  it('a caption is read as words after the media', () => {
    const out = inboundsOf(msg(photoUpdate(child, 'он меня бьёт')));
    expect(out.map((i) => [i.kind, i.media ?? i.text])).toEqual([
      ['media', 'photo'],
      ['text', 'он меня бьёт'],
    ]);
  });

  it('service messages give nothing', () => {
    expect(inboundsOf({ message_id: 1, date: 0, chat: { id: 42, type: 'private', first_name: 'x' }, pinned_message: {} } as unknown as Message)).toEqual([]);
  });

  it('edits with words become kind "edit"; a moving live location does not', () => {
    const e = editedUpdate(child, 7, 'исправила');
    // Each edit of message 7 is its own event (the edit time tells them apart), so a second edit is not taken for a redelivery.
    expect(editOf(e.edited_message as Message)).toMatchObject({ kind: 'edit', text: 'исправила', platformMessageId: `7:${e.edited_message!.edit_date}`, chatKey: '42' });
    expect(editOf({ message_id: 8, date: 0, chat: { id: 42, type: 'private', first_name: 'x' }, location: { latitude: 1, longitude: 2 } } as unknown as Message)).toBeUndefined();
  });
});

describe('callback_data', () => {
  const stores: Store[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });

  for (const kind of ['memory', 'redis'] as const) {
    it(`short values travel as they are; long ones are hashed within ${CALLBACK_DATA_MAX_BYTES} bytes and come back (${kind})`, async () => {
      const retention = { botMs: 60_000, handledMs: 60_000 };
      const store = kind === 'memory' ? new MemoryStore(retention) : await RedisStore.connect({ url: REDIS_URL, prefix: `test-${randomUUID()}`, retention });
      stores.push(store);
      const cb = new CallbackData(channelState(store, 'telegram', pino({ level: 'silent' })), 60_000);
      expect(await cb.encode('goto:selfhelp_menu')).toBe('goto:selfhelp_menu');
      const long = `goto:${'очень_длинный_шаг_'.repeat(5)}`;
      expect(Buffer.byteLength(long)).toBeGreaterThan(CALLBACK_DATA_MAX_BYTES);
      const data = await cb.encode(long);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(await cb.decode(data)).toBe(long);
      expect(await cb.decode('safety:yes')).toBe('safety:yes');
      // A value that looks hashed is hashed too, so it cannot be mistaken for a key.
      expect(await cb.decode(await cb.encode('~x'))).toBe('~x');
      expect(await cb.decode('~unknown')).toBeNull();
      const kb = await cb.keyboard([
        { label: 'Да', value: 'safety:yes' },
        { label: 'Long', value: long },
      ]);
      expect(kb.inline_keyboard.map((r) => r.map((b) => Buffer.byteLength((b as { callback_data: string }).callback_data) <= 64))).toEqual([[true], [true]]);
    });
  }
});

describe('splitText', () => {
  it('keeps short texts whole and splits long ones at breaks, never inside a character', () => {
    expect(splitText('hello', 4000)).toEqual(['hello']);
    const para = `${'слово '.repeat(900)}\n${'😀'.repeat(3000)}`;
    const parts = splitText(para, 4000);
    expect(parts.every((p) => [...p].length <= 4000)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(para.replace(/\s/g, ''));
    expect(parts[0]!.endsWith('слово')).toBe(true);
    expect(parts.some((p) => /\uD83D$/.test(p))).toBe(false);
  });
});
