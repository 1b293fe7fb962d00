// The console's state as signals, and the actions that change it. Views read the signals and call
// the actions; nothing here touches the DOM except the tab's title and icon.
import { batch, computed, effect, signal } from '@preact/signals';
import { atLeast, type Role } from '../../src/console/roles.js';
import {
  cannedSchema,
  closedSchema,
  detailSchema,
  liveViewSchema,
  metaSchema,
  staffMemberSchema,
  summarySchema,
  type Detail,
  type Entry,
  type LiveViewPayload,
  type Meta,
  type QueueCard,
  type StaffMember,
  type Summary,
} from '../../src/console/schemas.js';
import { array } from 'zod/mini';
import { api, ApiError, apiAs, enc, setCsrf, whenUnauthorized } from './api.js';
import { beep } from './sound.js';
import { errorText, lang, setLabels, t } from './text.js';

export type Risk = Summary['risk'];
export type Topic = Summary['topic'];
export interface Me {
  id: string;
  role: Role;
}
export interface Alert {
  id: string;
  risk: Risk;
  topic?: Topic;
  repeat?: boolean;
  waiting?: boolean;
  transfer?: { by: string; note?: string };
}
/** The open conversation without its transcript (kept apart, merged by sequence number). */
export type Current = Omit<Detail, 'transcript'>;

export const phase = signal<'loading' | 'login' | 'app'>('loading');
export const me = signal<Me | null>(null);
export const available = signal(false);
export const sound = signal(true);
export const offline = signal(false);
export const queue = signal<QueueCard[]>([]);
export const queueTotal = signal(0);
export const convs = signal<Summary[]>([]);
export const staff = signal<StaffMember[]>([]);
export const meta = signal<Meta | null>(null);
export const view = signal<'none' | 'chat' | 'admin'>('none');
export const current = signal<Current | null>(null);
export const transcript = signal<Entry[]>([]);
export const childTyping = signal(false);
export const notice = signal('');
export const toastText = signal('');
export const alerts = signal<Alert[]>([]);
export const board = signal<LiveViewPayload | null>(null);
export const unread = signal<ReadonlySet<string>>(new Set());
export const canned = signal<{ id: string; text: string }[]>([]);
/** Minutes on cards are counted from this clock, moved every 15 s. */
export const now = signal(Date.now());
export const dialog = signal<'none' | 'close' | 'transfer' | 'password' | 'plan' | 'block'>('none');
/** After closing a high or imminent chat: the pause offered (skippable), and when it ends. */
export const cooldown = signal<{ until: number | null } | null>(null);

export const isStaff = (min: Role) => !!me.value && atLeast(me.value.role, min);
export const isMine = (c: Pick<Summary, 'state' | 'counselorId'> | null) => !!c && c.state === 'with_counselor' && c.counselorId === me.value?.id;
const urgent = (r: Risk) => r === 'high' || r === 'imminent';
export const urgentWaiting = computed(() => queue.value.filter((q) => urgent(q.risk)).length);

setInterval(() => {
  if (me.value) now.value = Date.now();
}, 15_000);

let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function toast(text: string): void {
  toastText.value = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toastText.value = ''), 3500);
}

// ---- sign-in ----

let ws: WebSocket | null = null;
let retry = 0;
let connectedOnce = false;
const watching = new Set<string>();
/** Children whose waiting already raised the banner since the last (re)connect. */
let alerted = new Set<string>();

export function showLogin(): void {
  if (ws) {
    ws.onclose = null;
    ws.close();
    ws = null;
  }
  setCsrf(null);
  batch(() => {
    me.value = null;
    phase.value = 'login';
  });
}
whenUnauthorized(showLogin);

export function start(user: Me, csrf: string, isAvailable: boolean): void {
  setCsrf(csrf);
  alerted = new Set();
  batch(() => {
    me.value = user;
    available.value = isAvailable;
    // On by default (an imminent child must be heard); each counselor's choice is remembered.
    sound.value = localStorage.getItem(`hl-console-sound:${user.id}`) !== '0';
    phase.value = 'app';
  });
  if (isStaff('supervisor')) void apiAs(liveViewSchema, 'GET', '/api/supervisor/live').then((v) => (board.value = v), () => undefined);
  if (!isStaff('counselor')) return;
  void apiAs(metaSchema, 'GET', `/api/meta?locale=${lang}`).then((m) => {
    setLabels(m.categoryLabels);
    meta.value = m;
  }, () => undefined);
  refreshConvs();
  void refreshStaff();
  connect();
}

export function setSound(on: boolean): void {
  sound.value = on;
  localStorage.setItem(`hl-console-sound:${me.value?.id ?? ''}`, on ? '1' : '0');
  if (on) beep(1);
}

export function setAvailable(on: boolean): void {
  available.value = on;
  api('POST', '/api/presence', { available: on }).then(
    () => void refreshStaff(),
    (e) => {
      available.value = !on;
      toast(errorText(e));
    },
  );
}

// ---- the live feed ----

function send(frame: { type: 'watch' | 'unwatch'; id: string }): void {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}
export function watch(id: string): void {
  watching.add(id);
  send({ type: 'watch', id });
}
export function unwatch(id: string): void {
  watching.delete(id);
  send({ type: 'unwatch', id });
}

/** Set by events.ts: what each frame does (kept apart so this file stays the state). */
let onFrame: (data: string) => void = () => undefined;
export function handleFrames(fn: (data: string) => void): void {
  onFrame = fn;
}

export function connect(): void {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${proto}//${location.host}/api/events`);
  ws = socket;
  socket.onopen = () => {
    const again = connectedOnce;
    connectedOnce = true;
    // The queue frame that follows raises the banner again for every urgent child waiting.
    alerted = new Set();
    retry = 0;
    offline.value = false;
    for (const id of watching) socket.send(JSON.stringify({ type: 'watch', id }));
    // Back after a gap (a restart, a lost network): what was said meanwhile is fetched and merged
    // by sequence number, so every message shows exactly once and in order.
    if (again) {
      refreshConvs();
      const c = current.value;
      if (c) void resync(c);
    }
  };
  socket.onmessage = (ev) => onFrame(String(ev.data));
  socket.onclose = (ev) => {
    if (ws !== socket) return;
    offline.value = true;
    if (ev.code === 1008 || ev.code === 4401) return showLogin();
    // The server refuses the upgrade with 401 when the session ended: ask who we are before
    // retrying, and keep asking (with backoff) while the server is away.
    const later = () => {
      setTimeout(
        () => {
          if (ws !== socket) return;
          api('GET', '/api/auth/me').then(
            () => {
              if (ws === socket) connect();
            },
            (e) => {
              if (e instanceof ApiError && e.status === 401) return;
              later();
            },
          );
        },
        // 0.25, 0.5, 1, 2, 2 … s: live again within about 2 s of the server answering.
        Math.min(250 * 2 ** retry++, 2000),
      );
    };
    later();
  };
}

/** After a reconnect: the open chat again, and plainly what changed while the console was away. */
async function resync(was: Current): Promise<void> {
  const wasMine = isMine(was);
  try {
    const c = await apiAs(detailSchema, 'GET', `/api/conversations/${enc(was.id)}`);
    if (current.value?.id !== was.id) return;
    if (wasMine && !isMine(c)) notice.value = c.state === 'queued' ? t('console-lost-to-queue') : c.state === 'closed' ? t('console-lost-closed') : t('console-lost-to-other', { name: c.counselorId ?? '' });
    batch(() => {
      setCurrent(c);
      merge(c.transcript);
    });
  } catch {
    // the next reconnect tries again
  }
}

// ---- alerts ----

export function raiseAlert(a: Alert): void {
  if (!urgent(a.risk)) return;
  alerts.value = [...alerts.value.filter((x) => x.id !== a.id), a];
  if (sound.value) beep(a.risk === 'imminent' ? 3 : 2);
}
export function dropAlert(id: string): void {
  alerts.value = alerts.value.filter((a) => a.id !== id);
}
/**
 * Children already waiting at high or imminent raise the banner too: at sign-in and after every
 * reconnect (alerted is cleared then), not only when a new message comes in.
 */
export function syncUrgent(): void {
  for (const q of queue.value) {
    if (!urgent(q.risk) || alerted.has(q.id)) continue;
    alerted.add(q.id);
    if (!alerts.value.some((a) => a.id === q.id)) raiseAlert({ id: q.id, risk: q.risk, topic: q.topic, waiting: true });
  }
}
export function transferAlert(a: Alert): void {
  alerts.value = [...alerts.value.filter((x) => x.id !== a.id), a];
  if (sound.value) beep(1);
  setTimeout(() => (alerts.value = alerts.value.filter((x) => !(x.id === a.id && x.transfer))), 20_000);
}

/** The tab says how many high or imminent children wait, seen from another tab too. */
effect(() => {
  if (phase.value !== 'app') {
    document.title = t('console-login-title');
    return;
  }
  const n = urgentWaiting.value;
  const base = alerts.value.length ? `⚠ ${t('console-alert-text')}` : t('console-login-title');
  document.title = (n ? `(${n}) ` : '') + base;
});

// ---- lists ----

let convTimer: ReturnType<typeof setTimeout> | undefined;
export function refreshConvsSoon(): void {
  clearTimeout(convTimer);
  convTimer = setTimeout(refreshConvs, 200);
}
export function refreshConvs(): void {
  apiAs(array(summarySchema), 'GET', '/api/conversations').then(
    (list) => {
      for (const c of list) if (c.counselorId === me.value?.id && !watching.has(c.id)) watch(c.id);
      convs.value = list;
    },
    () => undefined,
  );
}
export async function refreshStaff(): Promise<void> {
  try {
    staff.value = await apiAs(array(staffMemberSchema), 'GET', '/api/staff');
  } catch {
    // the list stays as it was
  }
}
export function markUnread(id: string): void {
  unread.value = new Set([...unread.value, id]);
}

// ---- the chat ----

function setCurrent(c: Detail | Current): void {
  const { transcript: _t, ...head } = c as Detail;
  current.value = head;
}
/** Entries in sequence order, each once: a reconnect's fetch and live frames may overlap. */
export function merge(entries: Entry[]): void {
  const bySeq = new Map(transcript.value.map((e) => [e.seq, e]));
  let added = false;
  for (const e of entries) {
    if (bySeq.has(e.seq)) continue;
    bySeq.set(e.seq, e);
    added = true;
  }
  if (added) transcript.value = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
export function patchCurrent(id: string, change: Partial<Current>): void {
  const c = current.value;
  if (c && c.id === id) current.value = { ...c, ...change };
}

const cannedCache = new Map<string, { id: string; text: string }[]>();
function loadCanned(locale: string): void {
  const known = cannedCache.get(locale);
  if (known) {
    canned.value = known;
    return;
  }
  apiAs(cannedSchema, 'GET', `/api/canned?locale=${enc(locale)}`).then((list) => {
    cannedCache.set(locale, list);
    canned.value = list;
  }, () => undefined);
}

export async function openConversation(id: string): Promise<void> {
  notice.value = '';
  if (view.value === 'admin') view.value = 'none';
  try {
    const c = await apiAs(detailSchema, 'GET', `/api/conversations/${enc(id)}`);
    const before = current.value;
    if (before && before.id !== id && !isMine(before)) unwatch(before.id);
    batch(() => {
      setCurrent(c);
      transcript.value = [];
      merge(c.transcript);
      childTyping.value = false;
      view.value = 'chat';
      if (unread.value.has(id)) unread.value = new Set([...unread.value].filter((x) => x !== id));
    });
    loadCanned(c.locale);
    watch(id);
  } catch (e) {
    toast(errorText(e));
  }
}

/** Re-reads the safety-net fields of the open chat (ack, hand, joined) after a safety frame. */
export function refreshSafety(id: string): void {
  apiAs(detailSchema, 'GET', `/api/conversations/${enc(id)}`).then(
    (c) => patchCurrent(id, { imminent: c.imminent, hand: c.hand, joined: c.joined }),
    () => undefined,
  );
}

export async function claim(): Promise<void> {
  const c = current.value;
  if (!c) return;
  notice.value = '';
  try {
    const conv = await apiAs(summarySchema, 'POST', `/api/conversations/${enc(c.id)}/claim`);
    dropAlert(c.id);
    toast(t('console-claimed'));
    refreshConvs();
    await openConversation(conv.id);
  } catch (e) {
    // The server's reason, in the counselor's language when it is the usual one.
    notice.value = e instanceof ApiError && e.status === 409 ? `${t('console-conflict')} (409): ${errorText(e)}` : errorText(e);
  }
}

export async function ack(id: string): Promise<void> {
  try {
    const c = await apiAs(summarySchema, 'POST', `/api/conversations/${enc(id)}/ack`);
    dropAlert(id);
    patchCurrent(id, { imminent: c.imminent });
  } catch (e) {
    toast(errorText(e));
  }
}
export async function join(): Promise<void> {
  const c = current.value;
  if (!c) return;
  try {
    const s = await apiAs(summarySchema, 'POST', `/api/conversations/${enc(c.id)}/join`);
    patchCurrent(c.id, { joined: s.joined });
  } catch (e) {
    notice.value = errorText(e);
  }
}
export async function toggleHand(): Promise<void> {
  const c = current.value;
  if (!c) return;
  try {
    const s = await apiAs(summarySchema, 'POST', `/api/conversations/${enc(c.id)}/hand`, { raised: !c.hand });
    patchCurrent(c.id, { hand: s.hand });
  } catch (e) {
    notice.value = errorText(e);
  }
}

/** A reply, a note or a whisper: the entry the server made joins the transcript. Returns whether it was sent. */
export async function post(kind: 'messages' | 'notes' | 'whisper', text: string): Promise<boolean> {
  const c = current.value;
  if (!c || !text) return false;
  try {
    const entry = await api('POST', `/api/conversations/${enc(c.id)}/${kind}`, { text });
    if (current.value?.id === c.id) merge([entry as Entry]);
    return true;
  } catch (e) {
    notice.value = errorText(e);
    return false;
  }
}

let lastTyping = 0;
export function typing(): void {
  const c = current.value;
  const at = Date.now();
  if (!isMine(c) || at - lastTyping < 3000) return;
  lastTyping = at;
  api('POST', `/api/conversations/${enc(c!.id)}/typing`).catch(() => undefined);
}

export async function close(body: Record<string, unknown>): Promise<void> {
  const c = current.value;
  if (!c) return;
  try {
    const done = await apiAs(closedSchema, 'POST', `/api/conversations/${enc(c.id)}/close`, body);
    dialog.value = 'none';
    toast(t('console-closed'));
    // The server says when the chat was heavy enough for a pause (high or imminent, held by this counselor).
    if (done.cooldown) cooldown.value = { until: null };
    refreshConvs();
    await openConversation(c.id);
  } catch (e) {
    dialog.value = 'none';
    notice.value = errorText(e);
  }
}

export async function transfer(to: string, note: string): Promise<void> {
  const c = current.value;
  if (!c) return;
  try {
    await api('POST', `/api/conversations/${enc(c.id)}/transfer`, note ? { to, note } : { to });
    dialog.value = 'none';
    toast(t('console-transferred'));
    refreshConvs();
    await openConversation(c.id);
  } catch (e) {
    dialog.value = 'none';
    notice.value = errorText(e);
  }
}

// ---- the pause after a heavy chat ----

const PAUSE_MS = 5 * 60_000;
let pauseTimer: ReturnType<typeof setTimeout> | undefined;
let backOnShift = false;
/** The pause: off shift for a few minutes (no new chats offered), then back on by itself. */
export function pause(): void {
  backOnShift = available.value;
  cooldown.value = { until: Date.now() + PAUSE_MS };
  if (backOnShift) setAvailable(false);
  clearTimeout(pauseTimer);
  pauseTimer = setTimeout(endPause, PAUSE_MS);
}
/** Skipped, or over: back on shift if the counselor was on shift before the pause. */
export function endPause(): void {
  clearTimeout(pauseTimer);
  const paused = cooldown.value?.until != null;
  cooldown.value = null;
  if (paused && backOnShift && !available.value) setAvailable(true);
  backOnShift = false;
}

// ---- the supervisor's board ----

export function setBoard(v: LiveViewPayload): void {
  board.value = v;
}
export function boardChat(id: string) {
  return board.value?.chats.find((c) => c.id === id) ?? null;
}
