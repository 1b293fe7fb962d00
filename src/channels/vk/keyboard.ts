// Buttons → a VK keyboard (https://dev.vk.com/api/bots/development/keyboard). Pure.
import type { ClientCaps } from './inbound.js';

/** VK cuts labels longer than 40 characters. */
export const LABEL_MAX_CHARS = 40;
/** A button's payload is at most 255 bytes of JSON. */
export const PAYLOAD_MAX_BYTES = 255;
/** Inline keyboards: at most 6 rows and 10 buttons; the keyboard under the input field: 10 rows, 40 buttons. */
export const INLINE_MAX_ROWS = 6;
export const INLINE_MAX_BUTTONS = 10;
export const FIELD_MAX_ROWS = 10;
export const FIELD_MAX_BUTTONS = 40;
/** At most 4 buttons side by side (labels are sentences in some languages). */
export const MAX_COLUMNS = 4;

export interface WireButton {
  label: string;
  /** The value as it travels (short, or a '~' key). */
  data: string;
}

export interface VkButton {
  action: { type: 'callback' | 'text'; label: string; payload: string };
}

export interface VkKeyboard {
  inline: boolean;
  one_time?: boolean;
  buttons: VkButton[][];
}

export function label(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= LABEL_MAX_CHARS ? chars.join('') : `${chars.slice(0, LABEL_MAX_CHARS - 1).join('')}…`;
}

export function payload(data: string): string {
  const p = JSON.stringify({ b: data });
  if (Buffer.byteLength(p, 'utf8') > PAYLOAD_MAX_BYTES) throw new RangeError('button payload longer than 255 bytes');
  return p;
}

/** As few columns as the row limit allows, one button a row when they fit. */
export function rows<T>(items: T[], maxRows: number): T[][] {
  const cols = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(items.length / maxRows)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += cols) out.push(items.slice(i, i + cols));
  return out;
}

/**
 * The keyboard for a message, as the client can show it: callback buttons in the message when
 * it can, text buttons otherwise (they come back as a message with the payload), and the
 * keyboard under the input field for more buttons than fit in a message. Undefined when the
 * client shows no keyboards: the caller writes the choices into the text.
 */
export function keyboardFor(buttons: WireButton[], caps: ClientCaps): VkKeyboard | undefined {
  if (!buttons.length || !caps.keyboard) return undefined;
  const type = caps.callback ? 'callback' : 'text';
  const inline = caps.inline && buttons.length <= INLINE_MAX_BUTTONS;
  // Callback buttons exist only in inline keyboards … and in the field keyboard since 5.103; text is safest there.
  const kind = inline ? type : 'text';
  const list = buttons.slice(0, inline ? INLINE_MAX_BUTTONS : FIELD_MAX_BUTTONS);
  const keys: VkButton[] = list.map((b) => ({ action: { type: kind, label: label(b.label), payload: payload(b.data) } }));
  return inline ? { inline: true, buttons: rows(keys, INLINE_MAX_ROWS) } : { inline: false, one_time: true, buttons: rows(keys, FIELD_MAX_ROWS) };
}

/** For clients without keyboards: the choices as lines under the text. */
export function choicesAsText(text: string, buttons: WireButton[]): string {
  if (!buttons.length) return text;
  return `${text}\n\n${buttons.map((b) => `• ${b.label}`).join('\n')}`;
}
