// What each frame of the live feed does. Every frame is parsed with the shared schema first: one
// that does not fit is logged (its type only) and dropped, never allowed to break the page.
import { batch } from '@preact/signals';
import { safeParse } from 'zod/v4/core';
import { frameSchema, type Frame } from '../../src/console/schemas.js';
import { beep } from './sound.js';
import {
  alerts,
  boardChat,
  childTyping,
  current,
  dropAlert,
  handleFrames,
  isMine,
  isStaff,
  markUnread,
  me,
  merge,
  notice,
  openConversation,
  patchCurrent,
  queue,
  queueTotal,
  raiseAlert,
  refreshConvsSoon,
  refreshSafety,
  setBoard,
  sound,
  syncUrgent,
  toast,
  transferAlert,
  unwatch,
  watch,
} from './state.js';
import { t } from './text.js';

let typingTimer: ReturnType<typeof setTimeout> | undefined;

export function parseFrame(data: string): Frame | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    console.warn('live feed: a frame that is not JSON, ignored');
    return null;
  }
  const r = safeParse(frameSchema, raw);
  if (r.success) return r.data;
  const type = raw && typeof raw === 'object' && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 30) : '?';
  console.warn(`live feed: a "${type}" frame that does not fit the contract, ignored`, r.error.issues[0]?.path.join('.'));
  return null;
}

export function onFrame(m: Frame): void {
  switch (m.type) {
    case 'queue':
      batch(() => {
        queue.value = m.items;
        queueTotal.value = m.total;
        syncUrgent();
      });
      break;
    case 'alert':
      raiseAlert({ id: m.id, risk: m.risk, topic: m.topic });
      break;
    case 'conversation': {
      // Taken: the risk alert has done its work (a transfer's alert stays until seen).
      if (m.state !== 'queued') alerts.value = alerts.value.filter((a) => a.id !== m.id || a.transfer);
      patchCurrent(m.id, { state: m.state, risk: m.risk, topic: m.topic, counselorId: m.counselorId });
      if (m.counselorId === me.value?.id && m.state === 'with_counselor') watch(m.id);
      refreshConvsSoon();
      break;
    }
    case 'message':
      if (current.value?.id === m.id) {
        merge([m.entry]);
        if (m.entry.from === 'child') childTyping.value = false;
      } else if (m.entry.from === 'child') markUnread(m.id);
      break;
    case 'typing':
      if (current.value?.id === m.id && m.from === 'child') {
        childTyping.value = true;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (childTyping.value = false), 5000);
      }
      break;
    case 'unwatch':
      unwatch(m.id);
      break;
    case 'transferred':
      // Not silent: an alert of its own with who and why, a sound, and the chat opened ready when
      // the counselor is not in another chat of their own.
      transferAlert({ id: m.id, risk: m.risk, topic: m.topic, transfer: { by: m.by, note: m.note } });
      if (!isMine(current.value)) void openConversation(m.id);
      break;
    case 'live': {
      const { type: _type, ...view } = m;
      setBoard(view);
      break;
    }
    case 'safety':
      onSafety(m);
      break;
    case 'no_supervisor':
      if (current.value?.id === m.id) notice.value = t('console-no-supervisor');
      else toast(t('console-no-supervisor'));
      break;
    default:
      break;
  }
}

// ---- the supervisor's safety net ----
function onSafety(m: Extract<Frame, { type: 'safety' }>): void {
  if (m.kind === 'repeat') {
    raiseAlert({ id: m.id, risk: 'imminent', topic: boardChat(m.id)?.topic, repeat: true });
  } else if (m.kind === 'hand' && isStaff('supervisor')) {
    toast(t('console-hand-raised', { name: m.by ?? '' }));
    if (sound.value) beep(2);
  } else if (m.kind === 'ack') {
    dropAlert(m.id);
    if (m.counselorId === me.value?.id) toast(t('console-ack-done', { name: m.by ?? '' }));
  }
  if (current.value?.id === m.id) refreshSafety(m.id);
}

handleFrames((data) => {
  const m = parseFrame(data);
  if (m) onFrame(m);
});
