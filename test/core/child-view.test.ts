// What a reloaded web chat shows of its transcript (issue 13, item 9): presses read as the labels
// the child pressed, never as wire codes, and only the newest bot line keeps its buttons.
import { describe, expect, it } from 'vitest';
import { childView } from '../../src/core/use-cases/channel-gateway.js';
import type { TranscriptEntry } from '../../src/core/types.js';

let seq = 0;
const e = (entry: Omit<TranscriptEntry, 'seq' | 'at'>): TranscriptEntry => ({ seq: ++seq, at: seq * 1000, ...entry });
const menu = [
  { label: 'Справиться самому', value: 'goto:selfhelp_menu' },
  { label: 'О сервисе', value: 'goto:about' },
];

describe('childView', () => {
  it('shows a press as the label of the button the bot offered with that value', () => {
    const lines = childView([
      e({ from: 'child', text: 'привет', kind: 'text' }),
      e({ from: 'bot', text: 'Привет!', buttons: menu }),
      e({ from: 'child', text: '[goto:selfhelp_menu]', kind: 'button' }),
      e({ from: 'bot', text: 'О чём хочешь поговорить?', buttons: [{ label: 'Меню', value: 'action:menu' }] }),
    ]);
    expect(lines.map((l) => [l.from, l.text])).toEqual([
      ['child', 'привет'],
      ['bot', 'Привет!'],
      ['child', 'Справиться самому'],
      ['bot', 'О чём хочешь поговорить?'],
    ]);
    // Only the newest line's buttons are still open.
    expect(lines.map((l) => l.buttons?.map((b) => b.value))).toEqual([undefined, undefined, undefined, ['action:menu']]);
  });

  it('leaves out presses of nothing offered (the language switch, old transcripts) and hides system lines and notes', () => {
    const lines = childView([
      e({ from: 'bot', text: 'Привет!' }),
      e({ from: 'child', text: '[lang:en]', kind: 'button' }),
      e({ from: 'child', text: '[goto:selfhelp_menu]', kind: 'button' }),
      e({ from: 'system', text: 'queued' }),
      e({ from: 'note', text: 'staff only', by: 's1' }),
      e({ from: 'counselor', text: 'Я здесь', by: 's1' }),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['Привет!', 'Я здесь']);
    expect(lines.every((l) => !/\[[a-z_]+:/.test(l.text))).toBe(true);
    // The counselor spoke last: no quick replies come back.
    expect(lines.at(-1)?.buttons).toBeUndefined();
  });

  it('a label that changed later is read from the latest offer of that value', () => {
    const lines = childView([
      e({ from: 'bot', text: 'a', buttons: [{ label: 'Old', value: 'action:menu' }] }),
      e({ from: 'bot', text: 'b', buttons: [{ label: 'Menu', value: 'action:menu' }] }),
      e({ from: 'child', text: '[action:menu]', kind: 'button' }),
    ]);
    expect(lines.at(-1)).toMatchObject({ from: 'child', text: 'Menu' });
  });
});
