// The content studio, a first page on the /api/studio API: pick a draft and an item, edit it with
// live validation (content:check's own rules, by field), save with conflict handling, ask what
// the bot would say, publish with a comment, approve, roll back. Plain typed DOM; every word from
// locales/ (GET /api/studio/ui); everything from the server is put on the page as text.

import { refreshMap, setupMap } from './map';
import { renderMessages } from './messages';
import { renderIntents } from './intents';
import type { IntentHit } from '../../src/studio/shapes';
import { lineDiff } from './line-diff';

interface Problem {
  file: string;
  line: number;
  field?: string;
  message: string;
}
interface Catalog {
  live: number;
  locales: string[];
  messages: { id: string; texts: Record<string, string | null> }[];
  steps: string[];
  files: string[];
}
interface DraftItem {
  value: string | null;
  rev: number;
  by: string;
}
interface DraftView {
  id: string;
  title: string;
  items: Record<string, DraftItem>;
  problems: Problem[];
  crisis: string[];
}
interface Version {
  number: number;
  author: string;
  at: number;
  comment: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let strings: Record<string, string> = {};
let csrf = '';
let catalog: Catalog | null = null;
let draft: DraftView | null = null;
let rev = 0;
let validateTimer: number | undefined;

/** A page word; `{ $name }` placeholders filled here (the server sends them unformatted). */
function t(id: string, args: Record<string, string | number> = {}): string {
  let s = strings[id] ?? id;
  for (const [k, v] of Object.entries(args)) s = s.split(`{$${k}}`).join(String(v));
  return s;
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

function applyStrings(): void {
  document.title = t('studio-title');
  document.querySelectorAll<HTMLElement>('[data-t]').forEach((el) => (el.textContent = t(el.dataset.t!)));
  document.querySelectorAll<HTMLInputElement>('[data-t-placeholder]').forEach((el) => (el.placeholder = t(el.dataset.tPlaceholder!)));
}

function li(text: string, cls?: string): HTMLLIElement {
  const el = document.createElement('li');
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function showProblems(list: Problem[]): void {
  const ul = $<HTMLUListElement>('problems');
  ul.replaceChildren(...(list.length ? list.map((p) => li(`${p.field ?? `${p.file}:${p.line}`}: ${p.message}`)) : [li(t('studio-problems-none'), 'ok')]));
}

function currentKey(): string {
  return $<HTMLSelectElement>('item').value;
}

/** The text of an item in the draft, else what is live. */
async function loadItem(): Promise<void> {
  const key = currentKey();
  const inDraft = draft?.items[key];
  $('conflict').hidden = true;
  $('status').textContent = '';
  if (inDraft) {
    $<HTMLTextAreaElement>('text').value = inDraft.value ?? '';
    rev = inDraft.rev;
  } else {
    const r = await api('GET', `/api/studio/items?key=${encodeURIComponent(key)}`);
    $<HTMLTextAreaElement>('text').value = r.json?.value ?? '';
    rev = 0;
  }
  scheduleValidate();
}

function scheduleValidate(): void {
  window.clearTimeout(validateTimer);
  validateTimer = window.setTimeout(() => void validate(), 300);
}

async function validate(): Promise<void> {
  if (!draft) return;
  const r = await api('POST', '/api/studio/validate', { draft: draft.id, items: { [currentKey()]: $<HTMLTextAreaElement>('text').value } });
  if (r.status === 200) showProblems(r.json.problems);
}

async function refreshDraft(id: string | null): Promise<void> {
  const list = (await api('GET', '/api/studio/drafts')).json as { id: string; title: string }[];
  const sel = $<HTMLSelectElement>('drafts');
  sel.replaceChildren(
    ...list.map((d) => {
      const o = document.createElement('option');
      o.value = d.id;
      o.textContent = d.title;
      return o;
    }),
  );
  const pick = id ?? list[0]?.id ?? null;
  if (pick) sel.value = pick;
  draft = pick ? ((await api('GET', `/api/studio/drafts/${pick}`)).json as DraftView) : null;
}

async function refreshVersions(): Promise<void> {
  const versions = (await api('GET', '/api/studio/versions')).json as Version[];
  $('versions').replaceChildren(
    ...versions.map((v, i) => {
      const item = li(`v${v.number} · ${v.author} · ${new Date(v.at).toLocaleString()} · ${v.comment}`);
      if (i > 0) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = t('studio-rollback');
        b.dataset.version = String(v.number);
        b.onclick = async () => {
          const r = await api('POST', `/api/studio/versions/${v.number}/rollback`, {});
          $('publish-status').textContent = r.status === 200 ? t('studio-published', { number: r.json.number }) : t('studio-error', { error: r.json?.error ?? r.status });
          await refreshVersions();
        };
        item.append(' ', b);
      }
      return item;
    }),
  );
}

async function fillItems(): Promise<void> {
  catalog = (await api('GET', '/api/studio/catalog')).json as Catalog;
  const keys = [...catalog.messages.flatMap((m) => catalog!.locales.map((l) => `message:${l}:${m.id}`)), ...catalog.steps.map((s) => `step:${s}`), ...catalog.files.map((f) => `file:${f}`)];
  $<HTMLSelectElement>('item').replaceChildren(
    ...keys.map((k) => {
      const o = document.createElement('option');
      o.value = k;
      o.textContent = k;
      return o;
    }),
  );
}

/** A save the server refused because the sign-in expired: kept in this browser until the next sign-in. */
const PENDING = 'studio-pending-save';
interface PendingSave {
  draft: string;
  key: string;
  value: string;
  rev: number;
}

async function save(value: string, atRev: number): Promise<void> {
  if (!draft) return;
  const key = currentKey();
  const r = await api('POST', `/api/studio/drafts/${draft.id}/items`, { key, value, rev: atRev });
  if (r.status === 401) {
    const pending: PendingSave = { draft: draft.id, key, value, rev: atRev };
    localStorage.setItem(PENDING, JSON.stringify(pending));
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-notice').textContent = t('studio-session-expired');
    $('login-notice').hidden = false;
    return;
  }
  if (r.status === 200) {
    rev = r.json.rev;
    $('conflict').hidden = true;
    $('status').textContent = t('studio-saved');
    draft = (await api('GET', `/api/studio/drafts/${draft.id}`)).json as DraftView;
  } else if (r.status === 409 && r.json.code === 'edit_conflict') {
    $('conflict').hidden = false;
    $('conflict-text').textContent = t('studio-conflict', { by: r.json.theirs?.by ?? '' });
    $<HTMLTextAreaElement>('theirs').value = r.json.theirs?.value ?? '';
    // The merge view: what each side changed, line by line; mine stays in the editor to combine.
    $('merge').replaceChildren(
      ...lineDiff(r.json.theirs?.value ?? '', value).map((l) => {
        const item = li(`${l.kind === 'theirs' ? '−' : l.kind === 'mine' ? '+' : ' '} ${l.text}`, l.kind);
        if (l.kind !== 'same') item.title = t(l.kind === 'theirs' ? 'studio-merge-theirs' : 'studio-merge-mine');
        return item;
      }),
    );
    $('theirs').dataset.rev = String(r.json.theirs?.rev ?? 0);
  } else {
    $('status').textContent = t('studio-error', { error: r.json?.error ?? r.status });
  }
}

async function tryIt(): Promise<void> {
  const r = await api('POST', '/api/studio/try', { draft: draft?.id, items: { [currentKey()]: $<HTMLTextAreaElement>('text').value }, text: $<HTMLInputElement>('try-text').value, locale: currentKey().split(':')[1] ?? 'ru' });
  if (r.status !== 200) {
    $('try-result').textContent = t('studio-error', { error: r.json?.error ?? r.status });
    return;
  }
  $('try-result').textContent = t('studio-try-result', { topic: r.json.topic, risk: r.json.risk });
  $('try-reasons').replaceChildren(...(r.json.reasons as string[]).map((x) => li(x)));
  $('try-reply').replaceChildren(
    ...(r.json.reply as { text: string; buttons?: { label: string }[] }[]).flatMap((m) => {
      const p = document.createElement('p');
      p.textContent = m.text;
      const buttons = (m.buttons ?? []).map((b) => {
        const el = document.createElement('button');
        el.type = 'button';
        el.textContent = b.label;
        return el;
      });
      return [p, ...buttons];
    }),
  );
}

// The preview chat: its state lives here, the server runs each turn under the draft.
let previewState: unknown = undefined;

function say(cls: string, text: string): void {
  const p = document.createElement('p');
  p.className = cls;
  p.textContent = text;
  $('phone').append(p);
}

async function previewTurn(event: { type: 'start' } | { type: 'text'; text: string } | { type: 'button'; value: string; label: string }): Promise<void> {
  if (event.type === 'start') {
    previewState = undefined;
    $('phone').replaceChildren();
  } else say('child', event.type === 'text' ? event.text : event.label);
  const body = event.type === 'button' ? { type: 'button', value: event.value } : event;
  const r = await api('POST', '/api/studio/preview', { draft: draft?.id, locale: currentKey().split(':')[1], state: previewState, event: body });
  if (r.status !== 200) {
    say('effect', t('studio-error', { error: r.json?.error ?? r.status }));
    return;
  }
  previewState = r.json.state;
  $('phone').querySelectorAll('button').forEach((b) => b.remove());
  for (const m of r.json.replies as { text: string; buttons?: { label: string; value: string }[] }[]) {
    say('bot', m.text);
    for (const b of m.buttons ?? []) {
      const el = document.createElement('button');
      el.type = 'button';
      el.textContent = b.label;
      el.dataset.value = b.value;
      el.onclick = () => void previewTurn({ type: 'button', value: b.value, label: b.label });
      $('phone').append(el);
    }
  }
  for (const e of r.json.effects as string[]) say('effect', t('studio-preview-effect', { effect: e }));
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));

/** The gate's figures before → after per set, its refusals and the lines now missed, as text. */
function showGate(report: Json): void {
  const lines: string[] = [];
  for (const s of report.sets as Json[]) {
    lines.push(t('studio-gate-line', { set: s.set.split('/').pop(), what: t('studio-gate-escalation'), before: fmt(s.before?.escalation_recall), after: fmt(s.after?.escalation_recall) }));
    lines.push(t('studio-gate-line', { set: s.set.split('/').pop(), what: t('studio-gate-imminent'), before: fmt(s.before?.imminent_recall), after: fmt(s.after?.imminent_recall) }));
  }
  for (const w of (report.worse as Json[]).slice(0, 20)) lines.push(t('studio-gate-missed', { text: w.text, before: w.before?.risk ?? '', after: w.after?.risk ?? '' }));
  $('gate-figures').replaceChildren(...lines.map((l) => li(l)));
}

async function runGate(): Promise<void> {
  if (!draft) return;
  const id = draft.id;
  const r = await api('POST', `/api/studio/drafts/${id}/gate`);
  if (r.json?.state === 'not_needed') {
    $('gate-status').textContent = t('studio-gate-not-needed');
    return;
  }
  if (r.status !== 202) {
    $('gate-status').textContent = t('studio-error', { error: r.json?.error ?? r.status });
    return;
  }
  $('gate-progress').hidden = false;
  $('gate-figures').replaceChildren();
  for (;;) {
    const s = (await api('GET', `/api/studio/drafts/${id}/gate`)).json;
    if (s?.state === 'queued') {
      $('gate-status').textContent = t('studio-gate-queued', { number: s.ahead ?? 1 });
      await new Promise((res) => setTimeout(res, 500));
      continue;
    }
    if (!s || s.state !== 'running') {
      $('gate-progress').hidden = true;
      if (s?.state === 'done') {
        $('gate-status').textContent = s.report.ok ? t('studio-gate-passed') : t('studio-gate-refused');
        showGate(s.report);
        $('override').hidden = s.report.ok;
      } else $('gate-status').textContent = t('studio-error', { error: s?.error ?? '?' });
      return;
    }
    $('gate-status').textContent = t('studio-gate-running', { effect: s.lines.at(-1) ?? '' });
    await new Promise((res) => setTimeout(res, 500));
  }
}

async function publish(): Promise<void> {
  if (!draft) return;
  const override = $<HTMLInputElement>('override').value.trim();
  const r = await api('POST', `/api/studio/drafts/${draft.id}/publish`, { comment: $<HTMLInputElement>('comment').value, ...(override ? { override } : {}) });
  $('crisis').replaceChildren();
  if (r.json?.code === 'gate_required' || r.json?.code === 'gate_running') {
    $('publish-status').textContent = t('studio-gate-required');
    return;
  }
  if (r.json?.code === 'gate_refused') {
    $('publish-status').textContent = t('studio-gate-refused');
    showGate(r.json);
    $('override').hidden = false;
    return;
  }
  if (r.status === 200) {
    $('publish-status').textContent = t('studio-published', { number: r.json.number });
    await refreshDraft(null);
    await refreshVersions();
  } else if (r.json?.code === 'approval_required') {
    $('publish-status').textContent = t('studio-approval-needed');
    $('crisis').replaceChildren(...(r.json.crisis as string[]).map((c) => li(c)));
  } else if (r.json?.problems) {
    showProblems(r.json.problems);
    $('publish-status').textContent = t('studio-error', { error: r.json.error });
  } else {
    $('publish-status').textContent = t('studio-error', { error: r.json?.error ?? r.status });
  }
}

/** Opens an item (a message in one language) in the text editor below the map. */
function openItem(key: string): void {
  const sel = $<HTMLSelectElement>('item');
  if (![...sel.options].some((o) => o.value === key)) return;
  sel.value = key;
  void loadItem();
  $('text').scrollIntoView({ block: 'center' });
}

/** The page's language first, the others after. */
const pageFirst = (locales: string[]) => [...locales].sort((a, b) => Number(b === document.documentElement.lang) - Number(a === document.documentElement.lang));

function showMessages(): void {
  if (!catalog) return;
  const missing = renderMessages($<HTMLTableElement>('messages'), catalog.messages, pageFirst(catalog.locales), $<HTMLInputElement>('messages-search').value, t, openItem);
  $('messages-missing').textContent = missing ? t('studio-messages-missing', { number: missing }) : '';
}

async function searchIntents(): Promise<void> {
  const q = $<HTMLInputElement>('intents-search').value.trim();
  if (q.length < 2) {
    $('intents').replaceChildren();
    $('intents-found').textContent = '';
    return;
  }
  const r = await api('GET', `/api/studio/intents?q=${encodeURIComponent(q)}${draft ? `&draft=${encodeURIComponent(draft.id)}` : ''}`);
  if (r.status !== 200) {
    $('intents-found').textContent = t('studio-error', { error: r.json?.error ?? r.status });
    return;
  }
  $('intents-found').textContent = t('studio-intents-found', { number: r.json.total });
  renderIntents($<HTMLUListElement>('intents'), r.json.intents as IntentHit[], t, openItem);
}

function takePending(): PendingSave | null {
  const raw = localStorage.getItem(PENDING);
  localStorage.removeItem(PENDING);
  try {
    const p = raw ? (JSON.parse(raw) as PendingSave) : null;
    return p && typeof p.draft === 'string' && typeof p.key === 'string' && typeof p.value === 'string' && typeof p.rev === 'number' ? p : null;
  } catch {
    return null;
  }
}

async function enter(user: { id: string; role: string }): Promise<void> {
  $('login').hidden = true;
  $('who').textContent = user.id;
  if (!['editor', 'admin', 'supervisor'].includes(user.role)) {
    $('forbidden').hidden = false;
    return;
  }
  $('app').hidden = false;
  $('login-notice').hidden = true;
  await fillItems();
  const pending = takePending();
  await refreshDraft(pending?.draft ?? null);
  await refreshVersions();
  if (pending && draft?.id === pending.draft) {
    $<HTMLSelectElement>('item').value = pending.key;
    await loadItem();
    $<HTMLTextAreaElement>('text').value = pending.value;
    await save(pending.value, pending.rev);
    if ($('conflict').hidden) $('status').textContent = t('studio-restored');
  } else await loadItem();
  showMessages();
  await refreshMap();
}

async function start(): Promise<void> {
  const ui = await (await fetch(`/api/studio/ui?lang=${encodeURIComponent(navigator.language)}`)).json();
  strings = ui.strings;
  document.documentElement.lang = ui.locale;
  applyStrings();
  $<HTMLTextAreaElement>('text').addEventListener('input', scheduleValidate);
  setupMap({
    api,
    t,
    draftId: () => draft?.id ?? null,
    messageIds: () => catalog?.messages.map((m) => m.id).filter((id) => !id.startsWith('-')) ?? [],
    saved: async () => {
      if (draft) draft = (await api('GET', `/api/studio/drafts/${draft.id}`)).json as DraftView;
    },
    openItem,
    pageFirst,
  });
  $('messages-search').addEventListener('input', showMessages);
  let intentsTimer: number | undefined;
  $('intents-search').addEventListener('input', () => {
    window.clearTimeout(intentsTimer);
    intentsTimer = window.setTimeout(() => void searchIntents(), 250);
  });
  $('item').addEventListener('change', () => void loadItem());
  $('drafts').addEventListener('change', async () => {
    await refreshDraft($<HTMLSelectElement>('drafts').value);
    await loadItem();
    await refreshMap();
  });
  $('new-draft').addEventListener('click', async () => {
    const title = $<HTMLInputElement>('draft-title').value.trim() || new Date().toLocaleString();
    const r = await api('POST', '/api/studio/drafts', { title });
    if (r.status === 201) {
      await refreshDraft(r.json.id);
      await loadItem();
      await refreshMap();
    } else $('status').textContent = t('studio-error', { error: r.json?.error ?? r.status });
  });
  $('save').addEventListener('click', () => void save($<HTMLTextAreaElement>('text').value, rev));
  $('take-theirs').addEventListener('click', () => {
    $<HTMLTextAreaElement>('text').value = $<HTMLTextAreaElement>('theirs').value;
    rev = Number($('theirs').dataset.rev);
    $('conflict').hidden = true;
    scheduleValidate();
  });
  $('keep-mine').addEventListener('click', () => void save($<HTMLTextAreaElement>('text').value, Number($('theirs').dataset.rev)));
  $('try').addEventListener('click', () => void tryIt());
  $('publish').addEventListener('click', () => void publish());
  $('gate').addEventListener('click', () => void runGate());
  $('preview-start').addEventListener('click', () => void previewTurn({ type: 'start' }));
  $('preview-send').addEventListener('click', () => {
    const text = $<HTMLInputElement>('preview-text').value.trim();
    if (!text) return;
    $<HTMLInputElement>('preview-text').value = '';
    void previewTurn({ type: 'text', text });
  });
  $('approve').addEventListener('click', async () => {
    if (!draft) return;
    const r = await api('POST', `/api/studio/drafts/${draft.id}/approve`);
    $('publish-status').textContent = r.status === 200 ? t('studio-approved') : t('studio-error', { error: r.json?.error ?? r.status });
  });
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api('POST', '/api/auth/login', { username: $<HTMLInputElement>('login-username').value, password: $<HTMLInputElement>('login-password').value });
    if (r.status === 200) {
      csrf = r.json.csrfToken;
      await enter(r.json.user);
    } else $('status').textContent = t('studio-error', { error: r.json?.error ?? r.status });
  });
  const me = await api('GET', '/api/auth/me');
  if (me.status === 200) {
    csrf = me.json.csrfToken;
    await enter(me.json.user);
  } else $('login').hidden = false;
}

void start();
