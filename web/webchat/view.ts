import type { From, QuickReply } from './frames';
import { linkified } from './linkify';
import { t } from './strings';

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

export const els = {
  log: byId('log'),
  typing: byId('typing'),
  queue: byId('queue'),
  queueText: byId('queue-text'),
  leave: byId<HTMLButtonElement>('leave'),
  status: byId('status'),
  buttons: byId('buttons'),
  form: byId<HTMLFormElement>('form'),
  input: byId<HTMLTextAreaElement>('text'),
  lang: byId<HTMLSelectElement>('lang'),
  exit: byId<HTMLButtonElement>('exit'),
};

/**
 * The newest message must never hide behind the quick replies (issue 13, item 10): the log
 * stays pinned to its end while the child has not scrolled up, also when the buttons below it
 * appear, grow or go (the log's box shrinks: a ResizeObserver sees that, a scroll event does not)
 * and when an on-screen keyboard opens.
 */
let pinned = true;
// Only the child's own scrolling unpins: a scroll event also follows the log's box shrinking under
// a new bar, which must not count as "the child scrolled up".
let touched = false;
for (const ev of ['wheel', 'touchstart', 'keydown', 'mousedown'] as const) els.log.addEventListener(ev, () => (touched = true), { passive: true });
els.log.addEventListener('scroll', () => {
  if (!touched) return;
  const { scrollHeight, scrollTop, clientHeight } = els.log;
  pinned = scrollHeight - scrollTop - clientHeight < 24;
}, { passive: true });
if (typeof ResizeObserver === 'function') new ResizeObserver(() => keepEnd()).observe(els.log);

/** After anything below the log changed size (buttons, queue bar, typing dots, offline line). */
export function keepEnd(): void {
  if (pinned) toEnd();
}

function toEnd(): void {
  const last = els.log.lastElementChild as HTMLElement | null;
  // A message taller than the log is shown from its start, not its end.
  if (last && last.offsetHeight > els.log.clientHeight) els.log.scrollTop = last.offsetTop - els.log.offsetTop;
  else els.log.scrollTop = els.log.scrollHeight;
}

/** Shows the newest message (every new message pins the log again). */
export function reveal(): void {
  pinned = true;
  touched = false;
  toEnd();
}

export interface BubbleOptions {
  id?: string;
  pending?: boolean;
}

/** One message. The child's text goes in as text; bot and counselor text too, with phone numbers as tel: links. */
export function bubble(from: From, text: string, opts: BubbleOptions = {}): HTMLElement {
  const div = document.createElement('div');
  div.className = `msg ${from}${opts.pending ? ' pending' : ''}`;
  if (opts.id) div.dataset.id = opts.id;
  const body = document.createElement('span');
  body.className = 'text';
  if (from === 'child') body.textContent = text;
  else body.append(...linkified(text));
  div.append(body);
  els.log.append(div);
  reveal();
  return div;
}

export function clearLog(): void {
  els.log.textContent = '';
}

/** A message the server refused (the rate limit): marked as not sent, with a retry. */
export function markFailed(div: HTMLElement, retry: () => void): void {
  div.classList.remove('pending');
  div.classList.add('failed');
  div.querySelector('.note')?.remove();
  const note = document.createElement('span');
  note.className = 'note';
  const said = document.createElement('span');
  said.dataset.t = 'webchat-not-sent';
  said.textContent = t('webchat-not-sent');
  const again = document.createElement('button');
  again.type = 'button';
  again.className = 'retry';
  again.dataset.t = 'webchat-retry';
  again.textContent = t('webchat-retry');
  again.addEventListener('click', () => {
    note.remove();
    div.classList.remove('failed');
    div.classList.add('pending');
    retry();
  });
  note.append(said, ' ', again);
  div.append(note);
  reveal();
}

export function showButtons(list: QuickReply[], press: (b: QuickReply) => void): void {
  els.buttons.textContent = '';
  for (const b of list) {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.textContent = b.label;
    btn.dataset.value = b.value;
    btn.addEventListener('click', () => press(b));
    els.buttons.append(btn);
  }
  // The buttons took room from the log: keep its newest line in sight (the observer does it too, a frame later).
  keepEnd();
}
