// The console page: sign-in, or the bar, the banners, the lists and the open chat or the
// administration, and the dialogs. Every element the tests and counselors know keeps its id.
import { Admin } from './Admin.js';
import { AlertBanner } from './AlertBanner.js';
import { Chat } from './Chat.js';
import { CloseDialog } from './CloseDialog.js';
import { Cooldown } from './Cooldown.js';
import { Login } from './Login.js';
import { PasswordDialog } from './PasswordDialog.js';
import { Side } from './Side.js';
import { api } from './api.js';
import { available, dialog, isStaff, me, meta, offline, phase, setAvailable, setSound, sound, toastText, view } from './state.js';
import { name, t } from './text.js';
import { TransferDialog } from './TransferDialog.js';
import { BlockDialog } from './BlockDialog.js';
import { SafetyPlanDialog } from './SafetyPlanDialog.js';

function Bar() {
  const user = me.value;
  const m = meta.value;
  const counselor = isStaff('counselor');
  return (
    <header class="bar">
      <strong class="brand">{t('console-brand')}</strong>
      <span id="shift" class="shift">
        {m ? `${m.open ? t('console-shift-open') : t('console-shift-closed')} · ${m.openingHours}` : ''}
      </span>
      <label class="toggle" hidden={!counselor}>
        <input id="available" type="checkbox" checked={available.value} onChange={(ev) => setAvailable(ev.currentTarget.checked)} /> <span>{t('console-available')}</span>
      </label>
      <label class="toggle">
        <input id="sound" type="checkbox" checked={sound.value} onChange={(ev) => setSound(ev.currentTarget.checked)} /> <span>{t('console-sound')}</span>
      </label>
      <button id="admin-button" type="button" class="ghost" hidden={!isStaff('admin')} onClick={() => (view.value = 'admin')}>
        {t('console-admin')}
      </button>
      <button id="audit-button" type="button" class="ghost" hidden={!isStaff('supervisor') || isStaff('admin')} onClick={() => (view.value = 'admin')}>
        {t('console-audit-button')}
      </button>
      <a id="reports-link" class="ghost button" href="/reports/" hidden={!isStaff('supervisor')}>
        {t('console-reports')}
      </a>
      <span id="me" class="me">
        {user ? `${user.id} · ${name('role', user.role)}` : ''}
      </span>
      <button id="password-button" type="button" class="ghost" onClick={() => (dialog.value = 'password')}>
        {t('console-change-password')}
      </button>
      <button id="logout" type="button" class="ghost" onClick={() => void api('POST', '/api/auth/logout').catch(() => undefined).then(() => location.reload())}>
        {t('console-sign-out')}
      </button>
    </header>
  );
}

export function App() {
  const inApp = phase.value === 'app';
  const counselor = inApp && isStaff('counselor');
  return (
    <>
      <Login />
      <div id="app" hidden={!inApp}>
        <Bar />
        <div id="connection" class="connection" hidden={!offline.value}>
          {t('console-reconnecting')}
        </div>
        <AlertBanner />
        <Cooldown />
        <p id="role-note" class="role-note" hidden={!inApp || counselor}>
          {t('console-editor-note')}
        </p>
        <div id="layout" class="layout" hidden={!counselor}>
          <Side />
          <Chat />
          <Admin />
        </div>
        <div id="toast" class="toast" role="status" hidden={!toastText.value}>
          {toastText.value}
        </div>
      </div>
      <CloseDialog />
      <PasswordDialog />
      <TransferDialog />
      <SafetyPlanDialog />
      <BlockDialog />
    </>
  );
}
