import type { Translator } from '../core/ports.js';
import type { AuditEntry } from '../core/staff.js';

/** What a supervisor may see of the log: the work on conversations; sign-ins and accounts are the admins'. */
export const SUPERVISION_ACTIONS = new Set(['open', 'claim', 'transfer', 'close', 'whisper', 'join', 'ack', 'hand', 'hand-lowered', 'block', 'unblock']);

export interface AuditFilter {
  by?: string;
  actions?: string[];
  from?: number;
  to?: number;
}

export interface AuditLine extends AuditEntry {
  /** The action in words, in the asked language. */
  actionText: string;
  /** The whole line in words: who did what (and to which conversation). */
  text: string;
}

export function matches(e: AuditEntry, f: AuditFilter): boolean {
  if (f.by && e.by !== f.by) return false;
  if (f.actions?.length && !f.actions.includes(e.action)) return false;
  if (f.from !== undefined && e.at < f.from) return false;
  if (f.to !== undefined && e.at > f.to) return false;
  return true;
}

/** An entry in words from locales/ (audit-action-*): a new action without words yet still reads as one. */
export function inWords(e: AuditEntry, i18n: Translator, locale: string): AuditLine {
  const id = `audit-action-${e.action}`;
  const actionText = i18n.ids(locale, id).includes(id) ? i18n.t(locale, id) : i18n.t(locale, 'audit-action-other', { action: e.action });
  const text = e.target ? i18n.t(locale, 'audit-line-target', { by: e.by, what: actionText, target: e.target.slice(0, 8) }) : i18n.t(locale, 'audit-line', { by: e.by, what: actionText });
  return { ...e, actionText, text };
}

/**
 * A day as YYYY-MM-DD (the whole day, UTC) or an ISO time; `end`: the day's last moment. Returns
 * undefined for no value, NaN for a value that is not a date.
 */
export function parseDay(value: string | undefined, end: boolean): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return end ? start + 24 * 3600_000 - 1 : start;
  }
  return Date.parse(value);
}

/** Every action the log has words for (audit-action-* in locales/), in words: what the audit view's filter offers. */
export function actionWords(i18n: Translator, locale: string): { action: string; text: string }[] {
  const prefix = 'audit-action-';
  return i18n
    .ids(locale, prefix)
    .filter((id) => id !== `${prefix}other`)
    .map((id) => ({ action: id.slice(prefix.length), text: i18n.t(locale, id) }));
}
