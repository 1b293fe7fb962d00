// Staff change their own password; the server's refusals in words.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { Modal } from './Modal.js';
import { dialog, toast } from './state.js';
import { errorText, t } from './text.js';

export function PasswordDialog() {
  const open = dialog.value === 'password';
  const [currentPw, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (!open) return;
    setCurrent('');
    setNext('');
    setError('');
  }, [open]);
  const submit = (ev: Event) => {
    ev.preventDefault();
    api('POST', '/api/auth/password', { current: currentPw, next }).then(
      () => {
        dialog.value = 'none';
        toast(t('console-password-changed'));
      },
      (x: unknown) => {
        const status = x instanceof ApiError ? x.status : 0;
        setError(status === 403 ? t('console-err-wrong-current') : status === 429 ? t('console-err-too-many') : status === 400 ? t('console-err-weak-password') : errorText(x));
      },
    );
  };
  return (
    <Modal id="password-dialog" open={open} onClose={() => (dialog.value = 'none')}>
      <form id="password-form" method="dialog" onSubmit={submit}>
        <h2>{t('console-change-password')}</h2>
        <label>
          <span>{t('console-current-password')}</span>
          <input id="password-current" type="password" autocomplete="current-password" required maxLength={256} value={currentPw} onInput={(ev) => setCurrent(ev.currentTarget.value)} />
        </label>
        <label>
          <span>{t('console-new-password')}</span>
          <input id="password-next" type="password" autocomplete="new-password" required minLength={8} maxLength={256} value={next} onInput={(ev) => setNext(ev.currentTarget.value)} />
        </label>
        <p id="password-error" class="error" role="alert" hidden={!error}>
          {error}
        </p>
        <div class="dialog-actions">
          <button id="password-cancel" type="button" class="ghost" onClick={() => (dialog.value = 'none')}>
            {t('console-cancel')}
          </button>
          <button id="password-submit" type="submit">
            {t('console-save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
