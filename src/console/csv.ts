// CSV as spreadsheets read it (RFC 4180): a field with a comma, quote or line break is quoted,
// quotes doubled; a field a spreadsheet would run as a formula (= + - @ at the start, or a tab or
// carriage return) gets a leading apostrophe (OWASP's advice against CSV injection).
import type { ExportRow } from '../core/reports.js';

export function csvField(v: ExportRow[string]): string {
  if (v === null) return '';
  let s = Array.isArray(v) ? v.join(';') : String(v);
  if (typeof v === 'string' || Array.isArray(v)) {
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: ExportRow[string][]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
