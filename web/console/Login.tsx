// Sign-in: the server's refusals in the counselor's words.
import { useEffect, useRef, useState } from 'preact/hooks';
import { meSchema } from '../../src/console/schemas.js';
import { ApiError, apiAs } from './api.js';
import { phase, start } from './state.js';
import { errorText, t } from './text.js';

export function Login() {
  const [error, setError] = useState('');
  const user = useRef<HTMLInputElement>(null);
  const password = useRef<HTMLInputElement>(null);
  const shown = phase.value === 'login';
  useEffect(() => {
    if (shown) user.current?.focus();
  }, [shown]);
  const submit = (ev: Event) => {
    ev.preventDefault();
    setError('');
    apiAs(meSchema, 'POST', '/api/auth/login', { username: user.current!.value, password: password.current!.value }).then(
      (r) => {
        password.current!.value = '';
        start(r.user, r.csrfToken, false);
      },
      (x: unknown) => {
        const status = x instanceof ApiError ? x.status : 0;
        setError(status === 401 ? t('console-err-wrong-login') : status === 429 ? t('console-err-too-many') : errorText(x));
      },
    );
  };
  return (
    <section id="login-view" class="login" hidden={!shown}>
      <form id="login-form" class="card" autocomplete="on" onSubmit={submit}>
        <h1>{t('console-login-title')}</h1>
        <label>
          <span>{t('console-username')}</span>
          <input id="login-username" ref={user} name="username" autocomplete="username" required maxLength={64} />
        </label>
        <label>
          <span>{t('console-password')}</span>
          <input id="login-password" ref={password} name="password" type="password" autocomplete="current-password" required maxLength={256} />
        </label>
        <p id="login-error" class="error" role="alert" hidden={!error}>
          {error}
        </p>
        <button id="login-submit" type="submit">
          {t('console-sign-in')}
        </button>
      </form>
    </section>
  );
}
