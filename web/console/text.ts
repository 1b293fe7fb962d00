// The console's words come from locales/console.<locale>.ftl through GET /api/console/ui, once at
// start: no word lives in this code. The server formats each message and leaves the console's own
// variables as "{$name}"; t() fills them. The server's other words come through the API as before:
// category labels (GET /api/meta?locale=), audit lines, canned replies.
import type { ConsolePageMessage } from '../../src/core/console-messages.js';
import { consoleUiSchema } from '../../src/console/schemas.js';
import { ApiError, apiAs } from './api.js';

export type Args = Record<string, string | number>;

/** The language the server chose for this browser (its default when it has no file for ours). */
export let lang = 'ru';
let strings: Record<string, string> = {};

/** Fetches the words for the browser's language; retried until the server answers (nothing shows without them). */
export async function loadWords(): Promise<void> {
  for (let wait = 500; ; wait = Math.min(wait * 2, 8000)) {
    try {
      const ui = await apiAs(consoleUiSchema, 'GET', `/api/console/ui?locale=${encodeURIComponent(navigator.language || '')}`);
      lang = ui.locale;
      strings = ui.strings;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function fill(text: string, args?: Args): string {
  return args ? text.replace(/\{\$([a-zA-Z][\w-]*)\}/g, (m, k: string) => (Object.hasOwn(args, k) ? String(args[k]) : m)) : text;
}

export function t(id: ConsolePageMessage, args?: Args): string {
  return fill(strings[id] ?? id, args);
}

/** A message whose id is made from a code (console-risk-high): undefined when there is none. */
export function tryT(id: string, args?: Args): string | undefined {
  const text = strings[id];
  return text === undefined ? undefined : fill(text, args);
}

export type NameKind = 'risk' | 'topic' | 'category' | 'outcome' | 'age' | 'role' | 'call';

/** The server's labels for categories and call types (GET /api/meta?locale=), set once loaded. */
let labels: Record<string, string> = {};
export function setLabels(next: Record<string, string> | undefined): void {
  labels = next ?? {};
}

/** A code in words: category labels from the server, the rest console-<kind>-<code>; the code itself when there are none. */
export function name(kind: NameKind, id: string | undefined | null): string {
  if (id === undefined || id === null) return '—';
  if (kind === 'category') return labels[id] ?? id.replace(/_/g, ' ');
  if (kind === 'call') return labels[`call:${id}`] ?? id.replace(/_/g, ' ');
  return tryT(`console-${kind}-${id}`) ?? String(id).replace(/_/g, ' ');
}

/**
 * A refusal in the console's words, by the error `code` the API answers with (console-error-<code>),
 * or by the status when there is no code; otherwise a generic line with the status. Never the
 * server's English text.
 */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return t('console-error-network');
  const params = e.params ?? {};
  const byCode = e.code ? tryT(`console-error-${e.code}`, params) : undefined;
  if (byCode) return byCode;
  const byStatus: Record<number, ConsolePageMessage> = {
    401: 'console-error-unauthorized',
    403: 'console-error-forbidden',
    404: 'console-error-not_found',
    409: 'console-error-conflict',
    429: 'console-error-rate_limited',
    503: 'console-error-unavailable',
  };
  const id = byStatus[e.status];
  return id ? t(id, params) : t('console-error-other', { status: e.status || '—' });
}
