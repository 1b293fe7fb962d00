// Closing a chat: the CHI form (a category with its subcategories and an outcome, or a call type
// for a contact that was not counselling), the screener when the server requires it, a note.
import { useEffect, useState } from 'preact/hooks';
import { Modal } from './Modal.js';
import { close, current, dialog, meta, notice, type Current } from './state.js';
import { name, t, tryT } from './text.js';

/** The screener the server requires to close a high or imminent suicide or self-harm chat (in the order counselors ask it). */
const SCREENER = ['wishDead', 'thoughts', 'method', 'intent', 'plan', 'behaviour'] as const;
const ANSWERS = ['yes', 'no', 'unknown'] as const;
const TIME_FRAMES = ['now', 'today', 'this_week', 'past_month', 'longer_ago', 'unknown'] as const;
const SCREENED_SUBS = ['mental_health.suicidal_thoughts', 'mental_health.suicide_attempt', 'mental_health.self_harm'];

function needsScreener(c: Current | null, subs: string[]): boolean {
  if (!c || (c.risk !== 'high' && c.risk !== 'imminent')) return false;
  return c.topic === 'suicide' || c.topic === 'self_harm' || subs.some((s) => SCREENED_SUBS.includes(s));
}

function Question(props: { id: string; label: string; options: readonly string[]; prefix: 'console-a-' | 'console-tf-'; value: string; onChange: (v: string) => void }) {
  return (
    <label class="screener-q">
      <span>{props.label}</span>
      <select id={`screener-${props.id}`} required value={props.value} onChange={(ev) => props.onChange(ev.currentTarget.value)}>
        <option value="">—</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {tryT(props.prefix + o) ?? o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CloseDialog() {
  const open = dialog.value === 'close';
  const m = meta.value;
  const [category, setCategory] = useState('');
  const [subs, setSubs] = useState<string[]>([]);
  const [outcome, setOutcome] = useState('');
  const [callType, setCallType] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  // Every opening starts from an empty form.
  useEffect(() => {
    if (!open) return;
    setCategory('');
    setSubs([]);
    setOutcome(m?.outcomes[0] ?? '');
    setCallType('');
    setAnswers({});
    setNote('');
  }, [open]);
  const node = m?.categoryTree?.categories.find((c) => c.id === category);
  const screener = needsScreener(current.value, subs);
  const submit = (ev: Event) => {
    ev.preventDefault();
    if (!category && !callType) {
      notice.value = t('console-choose-category');
      return;
    }
    const body: Record<string, unknown> = callType ? { callType } : { categories: [category], subcategories: subs, outcome };
    // The screener's answers (answers only, never text).
    if (screener) body.assessment = Object.fromEntries([...SCREENER, 'timeFrame'].map((k) => [k, answers[k] ?? '']));
    if (note.trim()) body.note = note.trim();
    void close(body);
  };
  return (
    <Modal id="close-dialog" open={open} onClose={() => (dialog.value = 'none')}>
      <form id="close-form" method="dialog" onSubmit={submit}>
        <h2>{t('console-close-title')}</h2>
        <label>
          <span>{t('console-category')}</span>
          <select
            id="close-category"
            value={category}
            onChange={(ev) => {
              setCategory(ev.currentTarget.value);
              setSubs([]);
            }}
          >
            <option value="">—</option>
            {m?.categories.map((id) => (
              <option key={id} value={id}>
                {name('category', id)}
              </option>
            ))}
          </select>
        </label>
        {/* The chosen category's subcategories as checkboxes (CHI: several may apply). */}
        <fieldset id="close-subs" class="subs" hidden={!node || !node.subcategories.length}>
          <legend>{t('console-subcategories')}</legend>
          <div id="close-subs-list">
            {node?.subcategories.map((sub) => {
              const value = `${node.id}.${sub}`;
              return (
                <label key={value} class="sub">
                  <input
                    type="checkbox"
                    value={value}
                    checked={subs.includes(value)}
                    onChange={(ev) => {
                      const on = ev.currentTarget.checked;
                      setSubs((old) => (on ? [...old.filter((s) => s !== value), value] : old.filter((s) => s !== value)));
                    }}
                  />
                  <span>{name('category', value)}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
        <label>
          <span>{t('console-outcome')}</span>
          <select id="close-outcome" required value={outcome} onChange={(ev) => setOutcome(ev.currentTarget.value)}>
            {m?.outcomes.map((id) => (
              <option key={id} value={id}>
                {name('outcome', id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('console-call-type')}</span>
          <select id="close-calltype" value={callType} onChange={(ev) => setCallType(ev.currentTarget.value)}>
            <option value="">—</option>
            {m?.categoryTree?.callTypes.map((id) => (
              <option key={id} value={id}>
                {name('call', id)}
              </option>
            ))}
          </select>
        </label>
        <fieldset id="close-screener" class="screener" hidden={!screener}>
          <legend>{t('console-screener-title')}</legend>
          <div id="screener-questions">
            {screener && (
              <>
                {SCREENER.map((k) => (
                  <Question key={k} id={k} label={tryT(`console-q-${k}`) ?? k} options={ANSWERS} prefix="console-a-" value={answers[k] ?? ''} onChange={(v) => setAnswers((a) => ({ ...a, [k]: v }))} />
                ))}
                <Question id="timeFrame" label={t('console-q-timeFrame')} options={TIME_FRAMES} prefix="console-tf-" value={answers.timeFrame ?? ''} onChange={(v) => setAnswers((a) => ({ ...a, timeFrame: v }))} />
              </>
            )}
          </div>
        </fieldset>
        <label>
          <span>{t('console-close-note')}</span>
          <textarea id="close-note" rows={3} maxLength={4000} value={note} onInput={(ev) => setNote(ev.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button id="close-cancel" type="button" class="ghost" onClick={() => (dialog.value = 'none')}>
            {t('console-cancel')}
          </button>
          <button id="close-submit" type="submit" class="danger">
            {t('console-close-submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
