// The safety plan (issue 18): the counselor writes the child's warning signs, what helps, people
// to contact, safe places and numbers, one line per item; the child gets it as one message on
// their channel and can ask for it again ("мой план").
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { Modal } from './Modal.js';
import { current, dialog, notice, toast } from './state.js';
import { errorText, t } from './text.js';

const SECTIONS = ['warningSigns', 'helps', 'people', 'places', 'numbers'] as const;
type Section = (typeof SECTIONS)[number];
const empty = (): Record<Section, string> => ({ warningSigns: '', helps: '', people: '', places: '', numbers: '' });
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 10);

export function SafetyPlanDialog() {
  const open = dialog.value === 'plan';
  const [plan, setPlan] = useState(empty());
  useEffect(() => {
    if (open) setPlan(empty());
  }, [open]);
  const send = async () => {
    const c = current.value;
    if (!c) return;
    try {
      await api('POST', `/api/conversations/${enc(c.id)}/safety-plan`, Object.fromEntries(SECTIONS.map((s) => [s, lines(plan[s])])));
      dialog.value = 'none';
      toast(t('console-plan-sent'));
    } catch (e) {
      notice.value = errorText(e);
    }
  };
  return (
    <Modal id="plan-dialog" open={open} onClose={() => (dialog.value = 'none')}>
      <form
        id="plan-form"
        method="dialog"
        onSubmit={(ev) => {
          ev.preventDefault();
          void send();
        }}
      >
        <h2>{t('console-plan-title')}</h2>
        <p class="hint">{t('console-plan-hint')}</p>
        {SECTIONS.map((s) => (
          <label key={s}>
            <span>{t(`console-plan-${s}`)}</span>
            <textarea id={`plan-${s}`} rows={3} maxLength={3000} value={plan[s]} onInput={(ev) => setPlan({ ...plan, [s]: ev.currentTarget.value })} />
          </label>
        ))}
        <div class="dialog-actions">
          <button id="plan-cancel" type="button" class="ghost" onClick={() => (dialog.value = 'none')}>
            {t('console-cancel')}
          </button>
          <button id="plan-submit" type="submit" disabled={SECTIONS.every((s) => lines(plan[s]).length === 0)}>
            {t('console-plan-send')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
