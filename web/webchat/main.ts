/**
 * The child's web chat. Plain typed DOM code, no framework: the page has a handful of regions
 * (log, quick replies, queue bar, composer) that change in a few well-known ways, and a child may
 * open it on a hand-me-down Android. Preact + signals alone are 8.3 KB gzipped (a bare counter
 * built by Vite here) and add a render step before the first word; this whole page is 2.9 KB.
 *
 * The chat lives in this tab only (sessionStorage): a reload or a restored tab resumes it, but a
 * new tab, or the next person on a shared phone, starts clean, and quick exit wipes it. A chat
 * kept in localStorage would outlive the browser and show a parent or sibling what was said.
 */
import type { ChatState, Draft, Pending, QuickReply, ServerFrame } from './frames';
import { applyStrings, current, loadStrings, t } from './strings';
import { bubble, clearLog, els, keepEnd, markFailed, showButtons } from './view';

const tab = window.sessionStorage;
/** The language the child picked on this page; otherwise the browser's (Accept-Language) decides. */
let chosen = tab.getItem('hl-lang');
let session = tab.getItem('hl-session');
let pending: Pending[] = readPending();
let state: ChatState | null = null;
let queueText = '';
let ws: WebSocket | null = null;
let attempt = 0;
let historySeen = false;
let typingTimer = 0;
let lastTyping = 0;
let resendTimer = 0;
let resendDelay = 1000;

function readPending(): Pending[] {
  try {
    const list: unknown = JSON.parse(tab.getItem('hl-pending') ?? '[]');
    return Array.isArray(list) ? (list as Pending[]) : [];
  } catch {
    return [];
  }
}
const savePending = () => tab.setItem('hl-pending', JSON.stringify(pending));
const newId = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
const open = () => ws !== null && ws.readyState === WebSocket.OPEN;

/** What goes on the wire: the label of a press and the failed mark stay on the page. */
function transmit(f: Pending): void {
  if (!open()) return;
  ws!.send(JSON.stringify(f.type === 'message' ? { type: f.type, id: f.id, text: f.text } : { type: f.type, id: f.id, value: f.value }));
}

function send(frame: Draft): string {
  const f: Pending = { ...frame, id: newId() };
  pending.push(f);
  savePending();
  transmit(f);
  return f.id;
}

function press(b: QuickReply): void {
  showButtons([], press);
  const id = send({ type: 'button', value: b.value, label: b.label });
  bubble('child', b.label, { id, pending: true });
}

function retry(id: string): void {
  const f = pending.find((p) => p.id === id);
  if (!f) return;
  f.failed = false;
  savePending();
  transmit(f);
}

const bubbleOf = (id: string) => els.log.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);

/** The queue bar (place in the queue and the leave button) shows only while the child waits. */
const waiting = () => state === 'queued' || (state === null && queueText !== '');
function renderQueue(): void {
  els.queue.hidden = !waiting();
  els.queueText.textContent = queueText || t('webchat-waiting');
  keepEnd();
}

/** The bar's leave button is always there while waiting; the same button among the quick replies would be twice. */
const LEAVE = 'action:leave_queue';
const replies = (list: QuickReply[] | undefined) => (list ?? []).filter((b) => !(b.value === LEAVE && waiting()));

function showPending(): void {
  for (const f of pending) {
    const text = f.type === 'message' ? f.text : f.label;
    if (!text) continue;
    const div = bubble('child', text, { id: f.id, pending: true });
    if (f.failed) markFailed(div, () => retry(f.id));
  }
}

function onFrame(m: ServerFrame): void {
  switch (m.type) {
    case 'session':
      session = m.id;
      tab.setItem('hl-session', m.id);
      if (m.state !== undefined) state = m.state;
      renderQueue();
      // A resumed chat speaks its own language (the child may have switched it in the chat).
      if (!chosen && m.locale && current() && current()!.locale !== m.locale) void strings(m.locale);
      return;
    case 'history': {
      // The transcript is the truth after every (re)connect: what was said while this page was
      // away appears, and nothing twice. What is not yet acknowledged stays, marked as pending.
      historySeen = true;
      clearLog();
      for (const line of m.messages) bubble(line.from, line.text);
      const last = m.messages[m.messages.length - 1];
      showButtons(last?.from === 'bot' ? replies(last.buttons) : [], press);
      showPending();
      return;
    }
    case 'message':
      // The greeting of a chat with nothing in it yet: sent again on every reconnect until the
      // child writes, so it replaces what the log shows rather than adding to it.
      if (m.welcome) {
        clearLog();
        bubble('bot', m.text);
        showButtons(replies(m.buttons), press);
        showPending();
        return;
      }
      els.typing.hidden = true;
      // A counselor is talking: the place in the queue no longer applies.
      if (m.from === 'counselor') state = 'with_counselor';
      if (m.state) state = m.state;
      if (state !== 'queued' && state !== null) queueText = '';
      renderQueue();
      bubble(m.from === 'counselor' ? 'counselor' : 'bot', m.text);
      showButtons(replies(m.buttons), press);
      return;
    case 'typing':
      els.typing.hidden = false;
      keepEnd();
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(() => (els.typing.hidden = true), 4000);
      return;
    case 'queue':
      queueText = m.text ?? '';
      renderQueue();
      return;
    case 'state':
      state = m.state;
      if (state !== 'queued') queueText = '';
      renderQueue();
      return;
    case 'ack': {
      resendDelay = 1000;
      pending = pending.filter((f) => f.id !== m.id);
      savePending();
      const el = bubbleOf(m.id);
      // Stored before the gap (its ack was lost): the history just shown has it already.
      if (el && m.duplicate && historySeen) el.remove();
      else el?.classList.remove('pending');
      return;
    }
    case 'error':
      if (!m.id) return;
      // Not stored (the service is down): it stays pending and goes again until acknowledged.
      if (m.retry) return resendLater();
      refused(m.id);
      return;
    case 'pong':
      return;
  }
}

/** Refused (the rate limit): kept on the page as not sent, with a retry; nothing was stored. */
function refused(id: string): void {
  const f = pending.find((p) => p.id === id);
  if (f) {
    f.failed = true;
    savePending();
  }
  const el = bubbleOf(id);
  if (el) markFailed(el, () => retry(id));
}

function resendLater(): void {
  if (resendTimer) return;
  resendTimer = window.setTimeout(() => {
    resendTimer = 0;
    for (const f of pending) if (!f.failed) transmit(f);
  }, resendDelay);
  resendDelay = Math.min(resendDelay * 2, 15_000);
}

function connect(): void {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = new URLSearchParams();
  if (chosen) q.set('lang', chosen);
  if (session) q.set('session', session);
  const qs = q.toString();
  ws = new WebSocket(`${proto}//${location.host}/webchat/ws${qs ? `?${qs}` : ''}`);
  ws.onopen = () => {
    historySeen = false;
    attempt = 0;
    els.status.hidden = true;
    for (const f of pending) if (!f.failed) transmit(f);
  };
  ws.onmessage = (ev: MessageEvent<string>) => {
    let m: ServerFrame;
    try {
      m = JSON.parse(ev.data) as ServerFrame;
    } catch {
      return;
    }
    onFrame(m);
  };
  ws.onclose = () => {
    els.status.hidden = false;
    keepEnd();
    if (!current()) void strings(chosen);
    window.setTimeout(connect, Math.min(1000 * 2 ** attempt++, 15_000));
  };
}

/** The page's words and the language list (from the locale files present). */
async function strings(lang: string | null): Promise<void> {
  try {
    const ui = await loadStrings(lang);
    applyStrings();
    els.lang.textContent = '';
    for (const l of ui.locales) els.lang.append(new Option(l.name, l.code, false, l.code === ui.locale));
  } catch {
    // Offline: the reconnect loop asks again.
  }
}

els.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = els.input.value.trim();
  if (!text) return;
  els.input.value = '';
  const id = send({ type: 'message', text });
  bubble('child', text, { id, pending: true });
});
els.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    els.form.requestSubmit();
  }
});
els.input.addEventListener('input', () => {
  const now = Date.now();
  if (open() && now - lastTyping > 3000) {
    lastTyping = now;
    ws!.send('{"type":"typing"}');
  }
});
els.lang.addEventListener('change', () => {
  chosen = els.lang.value;
  tab.setItem('hl-lang', chosen);
  void strings(chosen);
  send({ type: 'button', value: `lang:${chosen}` });
});
els.leave.addEventListener('click', () => press({ label: t('btn-leave-queue'), value: LEAVE }));
// Quick exit: wipe what is on screen and in this tab's storage, and leave without a history entry.
els.exit.addEventListener('click', () => {
  try {
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  } catch {
    // leaving anyway
  }
  tab.clear();
  document.body.textContent = '';
  location.replace(current()?.exitUrl ?? 'about:blank');
});

// Both at once: the greeting does not wait for the page's words.
void strings(chosen);
connect();
