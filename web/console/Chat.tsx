// The open conversation: its head (risk, topic, what this person may do), the transcript in
// sequence order, and the reply, whisper and note composers.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { EntryView } from './Entry.js';
import {
  ack,
  canned,
  childTyping,
  claim,
  current,
  dialog,
  isMine,
  isStaff,
  join,
  me,
  notice,
  post,
  toggleHand,
  transcript,
  typing,
  view,
} from './state.js';
import { lang, name, t } from './text.js';

/** "2 weeks ago" in the console's language (Intl: no words in code). */
function ago(at: number): string {
  const days = Math.round((Date.now() - at) / 86_400_000);
  const f = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (days < 1) return f.format(-Math.max(1, Math.round((Date.now() - at) / 3_600_000)), 'hour');
  if (days < 14) return f.format(-days, 'day');
  if (days < 60) return f.format(-Math.round(days / 7), 'week');
  return f.format(-Math.round(days / 30), 'month');
}

function Head() {
  const c = current.value;
  const mine = isMine(c);
  const supervisor = isStaff('supervisor');
  const facts = c ? [c.channel, c.locale] : [];
  if (c?.ageGroup) facts.push(`${t('console-age')}: ${name('age', c.ageGroup)}`);
  if (c?.about) facts.push(`${t('console-about')}: ${c.about === 'self' ? t('console-about-self') : c.about === 'other' ? t('console-about-other') : '—'}`);
  // Earlier contacts of this identity (PROFILE_SECRET): counts, the last one's topic and risk, no text.
  const prev = c?.previous;
  if (prev && prev.count > 0) facts.push(t('console-previous', { count: prev.count, ago: ago(prev.lastAt), topic: name('topic', prev.topic), risk: name('risk', prev.risk) }));
  if (c?.blocked) facts.push(t('console-blocked-badge'));
  const live = c?.state === 'with_counselor';
  const joined = !!c && !!me.value && c.joined.includes(me.value.id);
  return (
    <header class="chat-head">
      <div class="chat-info">
        <span id="chat-risk" class={`risk risk-${c?.risk ?? 'none'}`}>{c ? name('risk', c.risk) : ''}</span>
        <span id="chat-topic" class="topic">{c ? name('topic', c.topic) : ''}</span>
        <span id="chat-facts" class="facts">{facts.join(' · ')}</span>
      </div>
      <div class="chat-actions">
        {/* Claim stays offered for a chat someone else holds: the server then answers 409, shown below. */}
        <button id="claim" type="button" hidden={!c || mine || c.state === 'closed' || c.state === 'bot'} onClick={() => void claim()}>
          {t('console-claim')}
        </button>
        <button id="ack" type="button" class="danger" hidden={!(c && supervisor && c.risk === 'imminent' && !c.imminent?.ackAt && c.state !== 'closed')} onClick={() => c && void ack(c.id)}>
          {t('console-ack')}
        </button>
        <button id="join" type="button" class="ghost" hidden={!(supervisor && live && !mine && !joined)} onClick={() => void join()}>
          {t('console-join')}
        </button>
        <button id="hand" type="button" class="ghost" hidden={!mine} onClick={() => void toggleHand()}>
          {c?.hand ? t('console-hand-down') : t('console-hand')}
        </button>
        <button id="plan" type="button" class="ghost" hidden={!(live && (mine || supervisor))} onClick={() => (dialog.value = 'plan')}>
          {t('console-plan')}
        </button>
        <button id="block" type="button" class="ghost" hidden={!(c && supervisor)} onClick={() => (dialog.value = 'block')}>
          {t('console-block')}
        </button>
        <button id="transfer" type="button" class="ghost" hidden={!(live && (mine || supervisor))} onClick={() => (dialog.value = 'transfer')}>
          {t('console-transfer')}
        </button>
        <button
          id="close"
          type="button"
          class="danger"
          hidden={!((live && (mine || supervisor)) || (c?.state === 'queued' && supervisor))}
          onClick={() => (dialog.value = 'close')}
        >
          {t('console-close-chat')}
        </button>
      </div>
    </header>
  );
}

function stateText(): string {
  const c = current.value;
  if (!c) return '';
  if (c.state === 'queued') return t('console-state-queued');
  if (c.state === 'closed') return t('console-state-closed');
  if (c.state === 'bot') return t('console-state-bot');
  return isMine(c) ? t('console-state-mine') : t('console-state-other', { name: c.counselorId ?? '' });
}

function Transcript() {
  const box = useRef<HTMLDivElement>(null);
  // Follows new entries while the counselor is at the bottom; leaves them reading when scrolled up.
  const stuck = useRef(true);
  const entries = transcript.value;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [entries]);
  const id = current.value?.id ?? null;
  return (
    <div
      id="transcript"
      class="transcript"
      aria-live="polite"
      ref={box}
      onScroll={() => {
        const el = box.current!;
        stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      {entries.map((e) => (
        <EntryView key={e.seq} e={e} convId={id} />
      ))}
    </div>
  );
}

function Reply() {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const mine = isMine(current.value);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const value = text.trim();
    if (!value || !current.value) return;
    setSending(true);
    if (await post('messages', value)) setText('');
    setSending(false);
    // Focus after the box is enabled again (the next paint).
    requestAnimationFrame(() => box.current?.focus());
  };
  return (
    <form id="reply-form" class="composer" autocomplete="off" onSubmit={(ev) => void submit(ev)}>
      <select
        id="canned"
        aria-label={t('console-canned')}
        disabled={!mine}
        value=""
        onChange={(ev) => {
          const sel = ev.currentTarget;
          const v = sel.value;
          if (!v) return;
          setText((old) => (old ? `${old} ${v}` : v));
          sel.value = '';
          box.current?.focus();
        }}
      >
        <option value="">{t('console-canned')}</option>
        {canned.value.map((c) => (
          <option key={c.id} value={c.text}>
            {c.text.length > 60 ? c.text.slice(0, 57) + '…' : c.text}
          </option>
        ))}
      </select>
      <textarea
        id="reply"
        ref={box}
        rows={2}
        maxLength={4000}
        placeholder={t('console-reply-placeholder')}
        disabled={!mine || sending}
        value={text}
        onInput={(ev) => {
          setText(ev.currentTarget.value);
          typing();
        }}
        onKeyDown={(ev) => {
          if (ev.key === 'Enter' && !ev.shiftKey) {
            ev.preventDefault();
            ev.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <button id="send" type="submit" disabled={!mine}>
        {t('console-send')}
      </button>
    </form>
  );
}

/** One line sent to staff only: a whisper (supervisors) or a note. */
function Line(props: { formId: string; inputId: string; cls: string; kind: 'whisper' | 'notes'; placeholder: string; label: string; hidden?: boolean }) {
  const [text, setText] = useState('');
  return (
    <form
      id={props.formId}
      class={`composer ${props.cls}`}
      autocomplete="off"
      hidden={props.hidden}
      onSubmit={(ev) => {
        ev.preventDefault();
        const value = text.trim();
        if (value) void post(props.kind, value).then((ok) => ok && setText(''));
      }}
    >
      <input id={props.inputId} maxLength={4000} placeholder={props.placeholder} value={text} onInput={(ev) => setText(ev.currentTarget.value)} />
      <button type="submit" class="ghost">
        {props.label}
      </button>
    </form>
  );
}

export function Chat() {
  const c = current.value;
  const whisper = isStaff('supervisor') && c?.state === 'with_counselor' && !isMine(c);
  return (
    <main id="chat" class="chat" hidden={view.value !== 'chat'}>
      <Head />
      <p id="chat-state" class="chat-state">
        {stateText()}
      </p>
      <p id="chat-notice" class="notice" role="alert" hidden={!notice.value}>
        {notice.value}
      </p>
      <Transcript />
      <div id="child-typing" class="typing" hidden={!childTyping.value}>
        {t('console-child-typing')}
      </div>
      <Reply />
      <Line formId="whisper-form" inputId="whisper" cls="whisper" kind="whisper" placeholder={t('console-whisper-placeholder')} label={t('console-whisper-send')} hidden={!whisper} />
      <Line formId="note-form" inputId="note" cls="note" kind="notes" placeholder={t('console-note-placeholder')} label={t('console-add-note')} />
    </main>
  );
}
