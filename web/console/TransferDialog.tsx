// Passing a chat on: to the head of the queue or to a counselor online, with an optional note the
// receiver alone sees.
import { useEffect, useState } from 'preact/hooks';
import { MAX_TRANSFER_NOTE } from '../../src/console/schemas.js';
import { Modal } from './Modal.js';
import { current, dialog, refreshStaff, staff, transfer } from './state.js';
import { t } from './text.js';

export function TransferDialog() {
  const open = dialog.value === 'transfer';
  const [to, setTo] = useState('queue');
  const [note, setNote] = useState('');
  useEffect(() => {
    if (open) {
      setTo('queue');
      void refreshStaff();
    }
  }, [open]);
  const holder = current.value?.counselorId;
  const targets = staff.value.filter((s) => s.id !== holder && s.online);
  return (
    <Modal id="transfer-dialog" open={open} onClose={() => (dialog.value = 'none')}>
      <form
        id="transfer-form"
        method="dialog"
        onSubmit={(ev) => {
          ev.preventDefault();
          void transfer(to, note.trim()).then(() => setNote(''));
        }}
      >
        <h2>{t('console-transfer-title')}</h2>
        <label>
          <span>{t('console-transfer-to')}</span>
          <select id="transfer-to" value={to} onChange={(ev) => setTo(ev.currentTarget.value)}>
            <option value="queue">{t('console-to-queue')}</option>
            {targets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id + (s.available ? ' · ' + t('console-available-short') : '')}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('console-transfer-note')}</span>
          <input id="transfer-note" maxLength={MAX_TRANSFER_NOTE} value={note} onInput={(ev) => setNote(ev.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button id="transfer-cancel" type="button" class="ghost" onClick={() => (dialog.value = 'none')}>
            {t('console-cancel')}
          </button>
          <button id="transfer-submit" type="submit">
            {t('console-transfer-submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
