// Blocking an abusive contact (issue 18, supervisor+): 1–365 days with a reason, audited. The
// child keeps getting the help numbers, and a crisis still reaches the queue.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from './api.js';
import { Modal } from './Modal.js';
import { current, dialog, notice, toast } from './state.js';
import { errorText, lang, t } from './text.js';

export function BlockDialog() {
  const open = dialog.value === 'block';
  const [days, setDays] = useState('7');
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) {
      setDays('7');
      setReason('');
    }
  }, [open]);
  const submit = async () => {
    const c = current.value;
    if (!c) return;
    try {
      const r = (await api('POST', `/api/conversations/${enc(c.id)}/block`, { days: Number(days), reason: reason.trim() })) as { until: number };
      dialog.value = 'none';
      toast(t('console-blocked', { date: new Date(r.until).toLocaleDateString(lang) }));
    } catch (e) {
      notice.value = errorText(e);
    }
  };
  return (
    <Modal id="block-dialog" open={open} onClose={() => (dialog.value = 'none')}>
      <form
        id="block-form"
        method="dialog"
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
      >
        <h2>{t('console-block-title')}</h2>
        <p class="hint">{t('console-block-hint')}</p>
        <label>
          <span>{t('console-block-days')}</span>
          <input id="block-days" type="number" min={1} max={365} step={1} value={days} onInput={(ev) => setDays(ev.currentTarget.value)} />
        </label>
        <label>
          <span>{t('console-block-reason')}</span>
          <input id="block-reason" maxLength={500} value={reason} onInput={(ev) => setReason(ev.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button id="block-cancel" type="button" class="ghost" onClick={() => (dialog.value = 'none')}>
            {t('console-cancel')}
          </button>
          <button id="block-submit" type="submit" class="danger" disabled={reason.trim().length < 3}>
            {t('console-block-submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
