// Administration (admins): accounts. The audit log in words (admins and supervisors), with
// filters by person, action and date as GET /api/audit takes them.
import { useEffect, useState } from 'preact/hooks';
import { array } from 'zod/mini';
import { ROLES } from '../../src/console/roles.js';
import { auditActionSchema, auditLineSchema, type AuditLineView } from '../../src/console/schemas.js';
import { api, apiAs, enc } from './api.js';
import { isStaff, refreshStaff, staff, toast, view } from './state.js';
import { errorText, lang, name, t } from './text.js';

interface Account {
  id: string;
  role: string;
  disabled?: boolean;
}
const ROLE_ORDER = ['counselor', 'supervisor', 'editor', 'admin'].filter((r) => (ROLES as readonly string[]).includes(r));

function Accounts({ onChange }: { onChange: () => void }) {
  const [list, setList] = useState<Account[]>([]);
  const [problem, setProblem] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('counselor');
  const load = () => api('GET', '/api/accounts').then((l) => setList(l as Account[]), (e: unknown) => setProblem(errorText(e)));
  useEffect(() => void load(), []);
  const update = (id: string, change: Record<string, unknown>) => {
    setProblem('');
    api('PATCH', `/api/accounts/${enc(id)}`, change).then(load, (e: unknown) => {
      setProblem(errorText(e));
      void load();
    });
  };
  return (
    <>
      <h2>{t('console-accounts')}</h2>
      <table class="table">
        <thead>
          <tr>
            <th>{t('console-username')}</th>
            <th>{t('console-role')}</th>
            <th>{t('console-state')}</th>
            <th />
          </tr>
        </thead>
        <tbody id="accounts">
          {list.map((a) => (
            <tr key={a.id}>
              <td>{a.id}</td>
              <td>
                <select value={a.role} onChange={(ev) => update(a.id, { role: ev.currentTarget.value })}>
                  {ROLE_ORDER.map((r) => (
                    <option key={r} value={r}>
                      {name('role', r)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{a.disabled ? t('console-disabled') : t('console-active')}</td>
              <td>
                <button type="button" class="ghost" onClick={() => update(a.id, { disabled: !a.disabled })}>
                  {a.disabled ? t('console-enable') : t('console-disable')}
                </button>
                <button
                  type="button"
                  class="ghost"
                  onClick={() => {
                    const pw = window.prompt(t('console-new-password-prompt'));
                    if (pw) update(a.id, { password: pw });
                  }}
                >
                  {t('console-reset-password')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        id="account-form"
        class="inline-form"
        autocomplete="off"
        onSubmit={(ev) => {
          ev.preventDefault();
          setProblem('');
          api('POST', '/api/accounts', { username, password, role }).then(
            () => {
              setUsername('');
              setPassword('');
              toast(t('console-created'));
              void load();
              onChange();
            },
            (e: unknown) => setProblem(errorText(e)),
          );
        }}
      >
        <input id="account-username" required maxLength={32} placeholder={t('console-username')} value={username} onInput={(ev) => setUsername(ev.currentTarget.value)} />
        <input id="account-password" type="password" required minLength={8} maxLength={256} autocomplete="new-password" placeholder={t('console-password')} value={password} onInput={(ev) => setPassword(ev.currentTarget.value)} />
        <select id="account-role" value={role} onChange={(ev) => setRole(ev.currentTarget.value)}>
          {ROLE_ORDER.map((r) => (
            <option key={r} value={r}>
              {name('role', r)}
            </option>
          ))}
        </select>
        <button type="submit">{t('console-create')}</button>
      </form>
      <p id="admin-notice" class="notice" role="alert" hidden={!problem}>
        {problem}
      </p>
    </>
  );
}

function Audit() {
  const [by, setBy] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lines, setLines] = useState<AuditLineView[]>([]);
  const [problem, setProblem] = useState('');
  // The actions in words, from locales/ through the server (the same words as the lines).
  const [actions, setActions] = useState<{ action: string; text: string }[]>([]);
  useEffect(() => void apiAs(array(auditActionSchema), 'GET', `/api/audit/actions?locale=${lang}`).then(setActions, () => undefined), []);
  const load = () => {
    const q = new URLSearchParams({ limit: '200', locale: lang });
    if (by) q.set('by', by);
    if (action) q.set('action', action);
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    setProblem('');
    apiAs(array(auditLineSchema), 'GET', `/api/audit?${q}`).then(setLines, (e: unknown) => setProblem(errorText(e)));
  };
  useEffect(load, []);
  const people = staff.value.map((s) => s.id);
  return (
    <>
      <h2>{t('console-audit')}</h2>
      <form
        id="audit-filter"
        class="inline-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          load();
        }}
      >
        <label>
          <span>{t('console-audit-by')} </span>
          <select id="audit-by" value={by} onChange={(ev) => setBy(ev.currentTarget.value)}>
            <option value="">{t('console-anyone')}</option>
            {people.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('console-audit-action')} </span>
          <select id="audit-action" value={action} onChange={(ev) => setAction(ev.currentTarget.value)}>
            <option value="">{t('console-any-action')}</option>
            {actions.map((a) => (
              <option key={a.action} value={a.action}>
                {a.text}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('console-audit-from')} </span>
          <input id="audit-from" type="date" value={from} onInput={(ev) => setFrom(ev.currentTarget.value)} />
        </label>
        <label>
          <span>{t('console-audit-to')} </span>
          <input id="audit-to" type="date" value={to} onInput={(ev) => setTo(ev.currentTarget.value)} />
        </label>
        <button type="submit" class="ghost">
          {t('console-audit-apply')}
        </button>
      </form>
      <p class="notice" role="alert" hidden={!problem}>
        {problem}
      </p>
      <ol id="audit" class="audit">
        {lines.map((a, i) => (
          <li key={`${a.at}-${i}`} data-action={a.action}>
            {`${new Date(a.at).toLocaleString(lang)} · ${a.text ?? `${a.by} · ${a.action}${a.target ? ' · ' + a.target : ''}`}${a.detail ? ' · ' + a.detail : ''}`}
          </li>
        ))}
      </ol>
      <p class="muted" hidden={lines.length > 0}>
        {t('console-audit-empty')}
      </p>
    </>
  );
}

export function Admin() {
  const shown = view.value === 'admin';
  return (
    <main id="admin" class="admin" hidden={!shown}>
      {shown && isStaff('admin') && <Accounts onChange={() => void refreshStaff()} />}
      {shown && <Audit />}
    </main>
  );
}
