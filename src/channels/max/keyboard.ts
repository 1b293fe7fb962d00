// Buttons → a MAX inline keyboard attachment. Pure. Only callback buttons are ever made: never
// request_contact or request_geo_location, which would send the child's phone number, name or place.
export const LABEL_MAX_CHARS = 128;
/** At most 7 buttons a row; labels are sentences, so one a row while 30 rows suffice. */
export const MAX_PER_ROW = 7;
export const MAX_ROWS = 30;
export const MAX_BUTTONS = 210;

export interface WireButton {
  label: string;
  data: string;
}

export interface CallbackButton {
  type: 'callback';
  text: string;
  payload: string;
}

export interface InlineKeyboard {
  type: 'inline_keyboard';
  payload: { buttons: CallbackButton[][] };
}

export function label(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= LABEL_MAX_CHARS ? chars.join('') : `${chars.slice(0, LABEL_MAX_CHARS - 1).join('')}…`;
}

export function inlineKeyboard(buttons: WireButton[]): InlineKeyboard | undefined {
  if (!buttons.length) return undefined;
  const keys: CallbackButton[] = buttons.slice(0, MAX_BUTTONS).map((b) => ({ type: 'callback', text: label(b.label), payload: b.data }));
  const perRow = Math.min(MAX_PER_ROW, Math.max(1, Math.ceil(keys.length / MAX_ROWS)));
  const rows: CallbackButton[][] = [];
  for (let i = 0; i < keys.length; i += perRow) rows.push(keys.slice(i, i + perRow));
  return { type: 'inline_keyboard', payload: { buttons: rows } };
}

/** Button types that give away who or where the child is: never sent. */
export const FORBIDDEN_BUTTON_TYPES = new Set(['request_contact', 'request_geo_location']);

/** A last check on anything the channel sends: throws if a button would ask for contact or place. */
export function assertSafe(attachments: { type: string; payload?: unknown }[]): void {
  for (const a of attachments) {
    if (a.type !== 'inline_keyboard') continue;
    const rows = (a.payload as { buttons?: { type?: string }[][] } | undefined)?.buttons ?? [];
    for (const row of rows) for (const b of row) if (b.type && FORBIDDEN_BUTTON_TYPES.has(b.type)) throw new Error(`refusing to send a ${b.type} button`);
  }
}
