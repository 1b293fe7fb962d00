// The left column: the queue, my conversations, and for supervisors the board, every live chat
// and who carries what this shift.
import type { QueueCard, Summary } from '../../src/console/schemas.js';
import { ack, board, convs, current, isStaff, me, now, openConversation, queue, queueTotal, staff, unread } from './state.js';
import { name, t } from './text.js';

const minutesSince = (ms: number) => Math.max(0, Math.floor((now.value - ms) / 60000));
const aboutWords = (about: string) => (about === 'self' ? t('console-about-self') : about === 'other' ? t('console-about-other') : '—');

function QueueItem({ q }: { q: QueueCard }) {
  const facts = [q.channel, q.locale, t('console-waiting-minutes', { minutes: minutesSince(q.waitingSince) })];
  if (q.ageGroup) facts.push(`${t('console-age')} ${name('age', q.ageGroup)}`);
  if (q.about) facts.push(aboutWords(q.about));
  if (q.returned) facts.push(t('console-returned'));
  const cls = ['risk-' + q.risk, current.value?.id === q.id && 'current', q.flood && 'flood', q.online === false && 'offline'].filter(Boolean).join(' ');
  return (
    <li class={cls} data-id={q.id} onClick={() => void openConversation(q.id)}>
      <div class="line">
        <span class={`risk risk-${q.risk}`}>{name('risk', q.risk)}</span>
        <strong>{name('topic', q.topic)}</strong>
        {q.flood && <span class="flood-badge">{t('console-flood')}</span>}
        {/* Two identical "imminent suicide" cards are told apart by presence and the child's first words. */}
        {q.online === true && <span class="presence online">{t('console-child-online')}</span>}
        {q.online === false && (
          <span class="presence offline">{t('console-child-offline') + (q.lastSeen ? ` · ${t('console-last-seen', { minutes: minutesSince(q.lastSeen) })}` : '')}</span>
        )}
      </div>
      <div class="sub">{facts.join(' · ')}</div>
      {q.preview && <div class="preview">{`«${q.preview}»`}</div>}
    </li>
  );
}

function ConvItem({ c }: { c: Summary }) {
  const cls = ['risk-' + c.risk, unread.value.has(c.id) && 'unread', current.value?.id === c.id && 'current'].filter(Boolean).join(' ');
  return (
    <li class={cls} data-id={c.id} onClick={() => void openConversation(c.id)}>
      <div class="line">
        <span class={`risk risk-${c.risk}`}>{name('risk', c.risk)}</span>
        <strong>{name('topic', c.topic)}</strong>
      </div>
      <div class="sub">{[c.channel, c.locale, c.counselorId === me.value?.id ? t('console-you') : c.counselorId].join(' · ')}</div>
    </li>
  );
}

function Board() {
  const v = board.value;
  const chats = v?.chats ?? [];
  return (
    <section id="board-section" hidden={!isStaff('supervisor')}>
      <h2>
        <span>{t('console-board')}</span> <span id="board-supervisors" class="count">{v ? t('console-supervisors-online', { count: v.supervisorsOnline }) : ''}</span>
      </h2>
      <ol id="board" class="list">
        {chats.map((c) => {
          const unacked = c.risk === 'imminent' && !c.imminent?.ackAt;
          const facts = [c.channel, c.state === 'queued' ? t('console-state-queued') : (c.counselorId ?? '')];
          if (c.state === 'queued' && c.waitingSince) facts.push(t('console-waiting-minutes', { minutes: minutesSince(c.waitingSince) }));
          if (c.online === false) facts.push(t('console-offline'));
          if (c.imminent?.ackAt) facts.push(t('console-acked', { name: c.imminent.ackBy ?? '' }));
          if (c.joined.length) facts.push(t('console-joined', { names: c.joined.join(', ') }));
          return (
            <li key={c.id} class={`board-chat risk-${c.risk}${unacked ? ' unacked' : ''}${c.hand ? ' hand' : ''}`} data-id={c.id} onClick={() => void openConversation(c.id)}>
              <div class="line">
                <span class={`risk risk-${c.risk}`}>{name('risk', c.risk)}</span>
                <strong>{name('topic', c.topic)}</strong>
                {unacked && <span class="badge unacked-badge">{t('console-unacked')}</span>}
                {c.hand && <span class="badge hand-badge">{'✋ ' + t('console-hand-up')}</span>}
              </div>
              <div class="sub">{facts.join(' · ')}</div>
              {unacked && (
                <button
                  type="button"
                  class="board-ack danger"
                  onClick={(ev) => {
                    ev.stopPropagation();
                    void ack(c.id);
                  }}
                >
                  {t('console-ack')}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <p id="board-empty" class="muted" hidden={chats.length > 0}>
        {t('console-board-empty')}
      </p>
    </section>
  );
}

/** Who is on shift; with the board, also what each carries (held chats and heavy ones this shift). */
function Staff() {
  const v = board.value;
  const line = (s: { id: string; role: string; online: boolean; available: boolean }) =>
    `${s.id} · ${name('role', s.role)} · ${s.online ? t('console-online') : t('console-offline')}${s.available ? ' · ' + t('console-available-short') : ''}`;
  return (
    <section id="staff-section" hidden={!isStaff('supervisor')}>
      <h2>{t('console-staff')}</h2>
      <ul id="staff" class="list small">
        {v && v.counselors.length
          ? v.counselors.map((s) => <li key={s.id}>{`${line(s)} · ${t('console-holding')} ${s.holding}${v.maxChats ? '/' + v.maxChats : ''} · ${t('console-heavy')} ${s.heavyChats}`}</li>)
          : staff.value.map((s) => <li key={s.id}>{line(s)}</li>)}
      </ul>
    </section>
  );
}

export function Side() {
  const items = queue.value;
  const mine = convs.value.filter((c) => c.counselorId === me.value?.id);
  const others = convs.value.filter((c) => c.counselorId !== me.value?.id);
  return (
    <aside class="side">
      <h2>
        <span>{t('console-queue')}</span> <span id="queue-count" class="count">{String(queueTotal.value)}</span>
      </h2>
      <ol id="queue" class="list">
        {items.map((q) => (
          <QueueItem key={q.id} q={q} />
        ))}
      </ol>
      <p id="queue-empty" class="muted" hidden={items.length > 0}>
        {t('console-queue-empty')}
      </p>
      <h2>{t('console-mine')}</h2>
      <ul id="mine" class="list">
        {mine.map((c) => (
          <ConvItem key={c.id} c={c} />
        ))}
      </ul>
      <Board />
      <section id="live-section" hidden={!isStaff('supervisor')}>
        <h2>{t('console-live')}</h2>
        <ul id="live" class="list">
          {others.map((c) => (
            <ConvItem key={c.id} c={c} />
          ))}
        </ul>
      </section>
      <Staff />
    </aside>
  );
}
