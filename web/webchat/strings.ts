import type { WebChatPageMessage, WebChatUi } from '../../src/core/page-messages';
import { linkified } from './linkify';

/**
 * The page's words, in the child's language, from GET /webchat/ui (locales/ on the server). Until
 * they arrive (one small request, made while the socket opens) the page shows no words of its
 * own: there is no second copy of them in code.
 */
let ui: WebChatUi | null = null;

export const t = (id: WebChatPageMessage): string => ui?.strings[id] ?? '';
export const current = (): WebChatUi | null => ui;

export async function loadStrings(lang: string | null): Promise<WebChatUi> {
  const res = await fetch(`/webchat/ui${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, { credentials: 'omit' });
  if (!res.ok) throw new Error(`ui ${res.status}`);
  ui = (await res.json()) as WebChatUi;
  return ui;
}

/** Fills every element marked data-t (text), data-t-tel (text with tel: links), data-t-placeholder, data-t-title, data-t-label (aria-label). */
export function applyStrings(root: ParentNode = document): void {
  if (!ui) return;
  document.documentElement.lang = ui.locale;
  document.title = t('webchat-title');
  for (const el of root.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = t(el.dataset.t as WebChatPageMessage);
  // The header's number is a tel: link too.
  for (const el of root.querySelectorAll<HTMLElement>('[data-t-tel]')) el.replaceChildren(...linkified(t(el.dataset.tTel as WebChatPageMessage)));
  for (const el of root.querySelectorAll<HTMLElement>('[data-t-title]')) el.title = t(el.dataset.tTitle as WebChatPageMessage);
  for (const el of root.querySelectorAll<HTMLElement>('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel as WebChatPageMessage));
  for (const el of root.querySelectorAll<HTMLTextAreaElement>('[data-t-placeholder]')) el.placeholder = t(el.dataset.tPlaceholder as WebChatPageMessage);
}
