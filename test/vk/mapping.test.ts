// The pure parts: events → Inbound, buttons → keyboard, long values → keys.
import { describe, expect, it } from 'vitest';
import { ButtonCodec } from '../../src/channels/button-codec.js';
import { DEFAULT_CAPS, EnvelopeSchema, capsOf, commandOf, localeOfLangId, parseEvent, payloadOf } from '../../src/channels/vk/inbound.js';
import { FIELD_MAX_BUTTONS, choicesAsText, keyboardFor, label, rows } from '../../src/channels/vk/keyboard.js';
import { peerOf } from '../../src/channels/vk/sender.js';
import { splitText } from '../../src/channels/split-text.js';
import { attachment, messageNew, newChild } from './events.js';
import { MemoryState } from './fakes.js';

const env = (e: object) => EnvelopeSchema.parse(e);

describe('vk mapping', () => {
  it('maps lang_id to locale hints', () => {
    expect([0, 1, 3, 6, 999, undefined].map(localeOfLangId)).toEqual(['ru', 'uk', 'en', 'de', undefined, undefined]);
  });

  it('reads commands and payloads', () => {
    expect(commandOf('/start')).toEqual({ name: 'start', arg: '' });
    expect(commandOf('/HELP@club1 me')).toEqual({ name: 'help', arg: 'me' });
    expect(commandOf('/ я устала')).toBeUndefined();
    expect(commandOf('a/b')).toBeUndefined();
    expect(payloadOf('{"command":"start"}')).toEqual({ command: 'start' });
    expect(payloadOf({ b: 'goto:x' })).toEqual({ button: 'goto:x' });
    expect(payloadOf('{not json')).toEqual({});
    expect(payloadOf(42)).toEqual({});
  });

  it('client_info without callback buttons asks for text buttons', () => {
    expect(capsOf(undefined)).toBeUndefined();
    expect(capsOf({ button_actions: ['text'], keyboard: true, inline_keyboard: true })).toEqual({ callback: false, inline: true, keyboard: true });
  });

  it('unknown attachment types are still media, never downloaded', () => {
    const child = newChild();
    const r = parseEvent(env(attachment(child, 'something_new')));
    expect(r.ok && r.event.kind === 'message' && r.event.inbounds).toMatchObject([{ kind: 'media', media: 'file' }]);
  });

  it('a message without words or media gives no Inbound', () => {
    const r = parseEvent(env(messageNew(newChild(), '   ')));
    expect(r.ok && r.event.kind === 'message' && r.event.inbounds).toEqual([]);
  });

  it('lays buttons out within VK limits', () => {
    const b = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `b${i}`, data: `goto:s${i}` }));
    expect(keyboardFor(b(3), DEFAULT_CAPS)!.buttons.map((r) => r.length)).toEqual([1, 1, 1]);
    const eight = keyboardFor(b(8), DEFAULT_CAPS)!;
    expect(eight.inline).toBe(true);
    expect(eight.buttons.length).toBeLessThanOrEqual(6);
    expect(eight.buttons.flat()).toHaveLength(8);
    // More than an inline keyboard holds: the keyboard under the field, text buttons.
    const many = keyboardFor(b(12), DEFAULT_CAPS)!;
    expect(many.inline).toBe(false);
    expect(many.buttons.flat().every((x) => x.action.type === 'text')).toBe(true);
    expect(keyboardFor(b(60), DEFAULT_CAPS)!.buttons.flat()).toHaveLength(FIELD_MAX_BUTTONS);
    expect(rows([1, 2, 3, 4, 5, 6, 7], 6).map((r) => r.length)).toEqual([2, 2, 2, 1]);
    expect(keyboardFor(b(2), { ...DEFAULT_CAPS, keyboard: false })).toBeUndefined();
    expect(choicesAsText('Выбери', b(2))).toBe('Выбери\n\n• b0\n• b1');
    expect([...label('й'.repeat(50))]).toHaveLength(40);
  });

  it('keeps long values as short keys in the channel state, and forgets them when they expire', async () => {
    const state = new MemoryState();
    const codec = new ButtonCodec(state, 1000);
    expect(await codec.encode('action:counselor')).toBe('action:counselor');
    const long = `goto:${'x'.repeat(300)}`;
    const key = await codec.encode(long);
    expect(key).toMatch(/^~/);
    expect(await codec.decode(key)).toBe(long);
    expect(await codec.decode('~unknown')).toBeNull();
    // A value that looks like a key is keyed itself, so it cannot be mistaken.
    expect(await codec.encode('~abc')).not.toBe('~abc');
  });

  it('splits long texts, and only numeric peers are sent to', () => {
    const parts = splitText('слово '.repeat(2000), 4000);
    expect(parts.every((p) => [...p].length <= 4000)).toBe(true);
    expect(parts.join(' ').replace(/\s+/g, ' ').trim()).toBe('слово '.repeat(2000).trim());
    expect(splitText('   ', 10)).toEqual([]);
    expect(peerOf('123')).toBe(123);
    expect(() => peerOf('abc')).toThrow();
  });
});
