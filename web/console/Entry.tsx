// One transcript entry: who and when, the text (always as text), and for a child's message the
// triage in a counselor's words with "Оценка неверна".
import { useState } from 'preact/hooks';
import { RISKS, TOPICS } from '../../src/core/taxonomy.js';
import { correctionBodySchema, type Entry } from '../../src/console/schemas.js';
import { api, enc } from './api.js';
import { reasonWords, systemText } from './reasons.js';
import { me, notice } from './state.js';
import { errorText, lang, name, t, tryT, type NameKind } from './text.js';

const clock = (ms: number) => new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });

function who(e: Entry): string {
  const self = me.value?.id;
  if (e.from === 'counselor') return e.by === self ? t('console-you') : (e.by ?? '');
  if (e.from === 'note') return `${t('console-note')} · ${e.by ?? ''}`;
  if (e.from === 'whisper') return `${t('console-whisper')} · ${e.by ?? ''}${e.to ? ' → ' + (e.to === self ? t('console-you') : e.to) : ''}`;
  return tryT(`console-${e.from}`) ?? e.from;
}

function Choice(props: { cls: string; label: string; ids: readonly string[]; kind: NameKind; value: string; onChange: (v: string) => void }) {
  return (
    <select class={props.cls} aria-label={props.label} value={props.value} onChange={(ev) => props.onChange(ev.currentTarget.value)}>
      {props.ids.map((id) => (
        <option key={id} value={id}>
          {name(props.kind, id)}
        </option>
      ))}
    </select>
  );
}

/** "Triage was wrong" on a child's message: the right topic and risk go to the editors' list. */
function Correction({ convId, e }: { convId: string; e: Entry & { triage: NonNullable<Entry['triage']> } }) {
  const [open, setOpen] = useState(false);
  const [topic, setTopic] = useState<string>(e.triage.topic);
  const [risk, setRisk] = useState<string>(e.triage.risk);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<{ topic: string; risk: string } | null>(null);
  if (done) {
    return (
      <span class="correction">
        <span class="corrected">{t('console-corrected', { what: `${name('topic', done.topic)} · ${name('risk', done.risk)}` })}</span>
      </span>
    );
  }
  const save = () => {
    setSaving(true);
    const body = correctionBodySchema.parse({ topic, risk });
    api('POST', `/api/conversations/${enc(convId)}/messages/${e.seq}/correction`, body).then(
      (c) => setDone(c as { topic: string; risk: string }),
      (err: unknown) => {
        setSaving(false);
        notice.value = errorText(err);
      },
    );
  };
  return (
    <span class="correction">
      <button type="button" class="link wrong-triage" hidden={open} onClick={() => setOpen(true)}>
        {t('console-wrong-triage')}
      </button>
      {open && (
        <>
          <Choice cls="fix-topic" label={t('console-right-topic')} ids={TOPICS} kind="topic" value={topic} onChange={setTopic} />
          <Choice cls="fix-risk" label={t('console-right-risk')} ids={RISKS} kind="risk" value={risk} onChange={setRisk} />
          <button type="button" class="save-correction" disabled={saving} onClick={save}>
            {t('console-save-correction')}
          </button>
        </>
      )}
    </span>
  );
}

export function EntryView({ e, convId }: { e: Entry; convId: string | null }) {
  const tr = e.triage;
  const words = tr?.reasons?.length ? reasonWords(tr.reasons) : [];
  return (
    <div class={`entry from-${e.from}`} data-seq={String(e.seq)}>
      <div class="who">{`${who(e)} · ${clock(e.at)}`}</div>
      <div class="text">{e.from === 'system' ? systemText(e.text) : e.text}</div>
      {tr && (
        <div class="triage">
          <span class={`risk risk-${tr.risk}`}>{name('risk', tr.risk)}</span>
          <span>{`${t('console-topic-label')}: ${name('topic', tr.topic)} (${Math.round((tr.confidence ?? 0) * 100)}%)`}</span>
          {words.length > 0 && <span class="reasons">{`${t('console-reasons')}: ${words.join('; ')}`}</span>}
          {/* Counselor words first; the classifier's own lines (scores, labels) behind a toggle. */}
          {tr.reasons?.length ? (
            <details class="reason-details">
              <summary>{t('console-reason-details')}</summary>
              <span class="raw-reasons">{tr.reasons.join('; ')}</span>
            </details>
          ) : null}
          {e.from === 'child' && convId && <Correction convId={convId} e={{ ...e, triage: tr }} />}
        </div>
      )}
    </div>
  );
}
