// The pure parts: updates → Inbound, buttons → keyboard (never contact or location buttons).
import { describe, expect, it } from 'vitest';
import { parseUpdate } from '../../src/channels/max/inbound.js';
import { assertSafe, inlineKeyboard, MAX_PER_ROW } from '../../src/channels/max/keyboard.js';
import { isRetryable, isUnreachable, userIdOf } from '../../src/channels/max/sender.js';
import { MaxError } from '@maxhub/max-bot-api';
import { messageCallback, messageCreated, newChild } from './updates.js';

describe('max mapping', () => {
  it('a /lang command with a known locale switches; other commands pass as commands', () => {
    const child = newChild();
    const hasLocale = (l: string) => l === 'en';
    const a = parseUpdate(messageCreated(child, '/lang en'), { hasLocale });
    expect(a.ok && a.event.kind === 'message' && a.event.inbounds[0]).toMatchObject({ kind: 'button', value: 'lang:en' });
    const b = parseUpdate(messageCreated(child, '/help'), { hasLocale });
    expect(b.ok && b.event.kind === 'message' && b.event.inbounds[0]).toMatchObject({ kind: 'command', value: 'help' });
  });

  it('the bot’s own messages and empty messages give no Inbound', () => {
    const child = newChild();
    const own = messageCreated(child, 'hi');
    (own.message.sender as { is_bot: boolean }).is_bot = true;
    expect(parseUpdate(own)).toEqual({ ok: true, event: { kind: 'ignored', reason: 'not a dialog with a person' } });
    const empty = parseUpdate(messageCreated(child, '  '));
    expect(empty.ok && empty.event.kind === 'message' && empty.event.inbounds).toEqual([]);
  });

  it('a callback without a payload gets the menu', () => {
    const up = messageCallback(newChild(), '');
    const r = parseUpdate(up);
    expect(r.ok && r.event.kind === 'callback' && r.event.inbound.value).toBe('action:menu');
  });

  it('keyboards: callback buttons only, at most 7 a row', () => {
    const kb = inlineKeyboard(Array.from({ length: 100 }, (_, i) => ({ label: `b${i}`, data: `goto:s${i}` })))!;
    expect(kb.payload.buttons.every((r) => r.length <= MAX_PER_ROW)).toBe(true);
    expect(kb.payload.buttons.length).toBeLessThanOrEqual(30);
    expect(kb.payload.buttons.flat().every((b) => b.type === 'callback')).toBe(true);
    expect(inlineKeyboard([])).toBeUndefined();
    expect(() => assertSafe([{ type: 'inline_keyboard', payload: { buttons: [[{ type: 'request_contact', text: 'x' }]] } }])).toThrow(/request_contact/);
    expect(() => assertSafe([{ type: 'inline_keyboard', payload: { buttons: [[{ type: 'request_geo_location', text: 'x' }]] } }])).toThrow();
  });

  it('which errors are retried and which mean the child is gone', () => {
    expect(isRetryable(new MaxError(429, { code: 'too.many.requests', message: '' }))).toBe(true);
    expect(isRetryable(new MaxError(503, { code: 'x', message: '' }))).toBe(true);
    expect(isRetryable(new MaxError(400, { code: 'proto.payload', message: '' }))).toBe(false);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    expect(isUnreachable(new MaxError(403, { code: 'chat.denied', message: '' }))).toBe(true);
    expect(isUnreachable(new MaxError(404, { code: 'not.found', message: '' }))).toBe(false);
    expect(userIdOf('42')).toBe(42);
    expect(() => userIdOf('x')).toThrow();
  });
});
