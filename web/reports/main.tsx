// The reports dashboard for supervisors and admins (/reports/): the contact records' figures of a
// date range and channel as uPlot charts, each with its numbers as a table, and the two exports
// (records CSV, CHI annual data). Preact with signals; every word from locales/ through
// GET /api/reports/ui; everything from the server goes on the page as text (JSX escapes).
import { signal } from '@preact/signals';
import { render } from 'preact';
import { api, ApiError, type Me, type ReportSummary, type ReportsUi } from './api';
import { Chart, Plot } from './chart';

type Count = { key: string; n: number };

const ui = signal<ReportsUi | null>(null);
const me = signal<Me | null | 'signed-out'>(null);
const summary = signal<ReportSummary | null>(null);
const status = signal<'idle' | 'loading' | string>('idle');

const today = () => new Date().toISOString().slice(0, 10);
const daysBefore = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const filters = signal({ from: daysBefore(today(), 29), to: today(), channel: '' });
const chiYear = signal(String(new Date().getUTCFullYear() - 1));

/** A page word; `{$name}` placeholders filled here (the server sends them unformatted). */
function t(id: string, args: Record<string, string> = {}): string {
  let s = ui.value?.strings[id] ?? id;
  for (const [k, v] of Object.entries(args)) s = s.split(`{$${k}}`).join(v);
  return s;
}
/** The label of an id of one kind (risk, topic, category…), the id itself when there is none. */
function label(kind: string, id: string): string {
  const known = ui.value?.labels[kind]?.[id];
  if (known !== undefined) return known;
  // "none" is how the records say "not given" (a risk "none" has its own label above).
  return id === 'none' ? t('reports-none') : id;
}
const numbers = () => new Intl.NumberFormat(ui.value?.locale ?? 'ru');
const fmt = (n: number) => numbers().format(n);
const fmt1 = (n: number) => new Intl.NumberFormat(ui.value?.locale ?? 'ru', { maximumFractionDigits: 1 }).format(n);

const COLORS = { main: '#3b6fb6', second: '#9bb7e0', alert: '#c0392b' };

function query(): string {
  const f = filters.value;
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.channel) q.set('channel', f.channel);
  return q.toString();
}

async function load(): Promise<void> {
  status.value = 'loading';
  try {
    summary.value = await api.summary(query());
    status.value = 'idle';
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) me.value = 'signed-out';
    status.value = (err as Error).message;
  }
}

function allowed(role: string): boolean {
  return role === 'supervisor' || role === 'admin';
}

function Login() {
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const get = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    try {
      me.value = await api.login(get('username'), get('password'));
      status.value = 'idle';
      if (allowed(me.value.user.role)) void load();
    } catch (err) {
      status.value = (err as Error).message;
    }
  };
  return (
    <form id="login" class="row" onSubmit={submit}>
      <label>
        {t('reports-username')}
        <input id="login-username" name="username" autocomplete="username" required />
      </label>
      <label>
        {t('reports-password')}
        <input id="login-password" name="password" type="password" autocomplete="current-password" required />
      </label>
      <button id="login-submit" type="submit">
        {t('reports-sign-in')}
      </button>
      {status.value !== 'idle' && status.value !== 'loading' ? <p class="error" role="alert">{status.value}</p> : null}
    </form>
  );
}

function Filters({ channels }: { channels: string[] }) {
  const f = filters.value;
  const set = (k: 'from' | 'to' | 'channel') => (e: Event) => (filters.value = { ...filters.value, [k]: (e.currentTarget as HTMLInputElement).value });
  const known = [...new Set([...channels, ...(f.channel ? [f.channel] : [])])];
  return (
    <form
      id="filters"
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        void load();
      }}
    >
      <label>
        {t('reports-from')}
        <input id="from" type="date" value={f.from} onInput={set('from')} required />
      </label>
      <label>
        {t('reports-to')}
        <input id="to" type="date" value={f.to} onInput={set('to')} required />
      </label>
      <label>
        {t('reports-channel')}
        <select id="channel" value={f.channel} onChange={set('channel')}>
          <option value="">{t('reports-all-channels')}</option>
          {known.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
      </label>
      <button id="apply" type="submit">
        {t('reports-apply')}
      </button>
      <a id="download-records" class="button" href={`/api/reports/records.csv?${query()}`} download>
        {t('reports-download-records')}
      </a>
      <label>
        {t('reports-chi-year')}
        <input id="chi-year" type="number" min="2000" max="2099" value={chiYear.value} onInput={(e) => (chiYear.value = (e.currentTarget as HTMLInputElement).value)} />
      </label>
      <a id="download-chi" class="button" href={`/api/reports/chi.csv?year=${encodeURIComponent(chiYear.value)}`} download>
        {t('reports-download-chi')}
      </a>
    </form>
  );
}

/** A bar chart of counts, its keys labelled by kind (ids when there is no label). */
function Counts({ name, title, counts, kind, header }: { name: string; title: string; counts: Count[]; kind: string; header: string }) {
  return (
    <Chart
      name={name}
      title={title}
      keys={counts.map((c) => label(kind, c.key))}
      series={[{ label: t('reports-col-contacts'), values: counts.map((c) => c.n), color: COLORS.main }]}
      kind="bars"
      keyHeader={header}
      format={fmt}
      whole
    />
  );
}

function HourOfWeek({ cells }: { cells: ReportSummary['byHourOfWeek'] }) {
  const n = (day: number, hour: number) => cells.find((c) => c.day === day && c.hour === hour)?.n ?? 0;
  const days = [1, 2, 3, 4, 5, 6, 7];
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const keys = days.flatMap((d) => hours.map((h) => `${label('day', String(d))} ${String(h).padStart(2, '0')}`));
  const values = days.flatMap((d) => hours.map((h) => n(d, h)));
  const title = t('reports-by-hour-of-week');
  return (
    <section class="chart wide" data-chart="byHourOfWeek">
      <h2>{title}</h2>
      <Plot keys={keys} series={[{ label: t('reports-col-contacts'), values, color: COLORS.main }]} kind="line" tickEvery={24} whole />
      <div class="scroll">
        <table class="figures">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports-col-weekday')}</th>
              {hours.map((h) => (
                <th scope="col">{String(h).padStart(2, '0')}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr>
                <th scope="row">{label('day', String(d))}</th>
                {hours.map((h) => (
                  <td class="n">{fmt(n(d, h))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FigureTable({ name, title, rows }: { name: string; title: string; rows: [string, string][] }) {
  return (
    <section class="chart" data-chart={name}>
      <h2>{title}</h2>
      <table class="figures">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports-col-figure')}</th>
            <th scope="col">{t('reports-col-value')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, v]) => (
            <tr>
              <th scope="row">{k}</th>
              <td class="n">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Dashboard({ s }: { s: ReportSummary }) {
  const min = (ms: number) => Math.round(ms / 6000) / 10;
  const tr = s.triage;
  return (
    <>
      <FigureTable
        name="totals"
        title={t('reports-totals')}
        rows={[
          [t('reports-total-contacts'), fmt(s.totals.contacts)],
          [t('reports-total-counselled'), fmt(s.totals.counselled)],
          [t('reports-total-abandoned'), fmt(s.totals.abandoned)],
          [t('reports-total-non-counselling'), fmt(s.totals.nonCounselling)],
          [t('reports-total-high-risk'), fmt(s.totals.highRisk)],
        ]}
      />
      {s.totals.contacts === 0 ? <p class="notice">{t('reports-empty')}</p> : null}
      <div class="charts">
        <Chart
          name="byDay"
          title={t('reports-by-day')}
          keys={s.byDay.map((d) => d.key)}
          series={[{ label: t('reports-col-contacts'), values: s.byDay.map((d) => d.n), color: COLORS.main }]}
          kind="bars"
          keyHeader={t('reports-col-day')}
          format={fmt}
          whole
          wide
        />
        <HourOfWeek cells={s.byHourOfWeek} />
        <Counts name="byChannel" title={t('reports-by-channel')} counts={s.byChannel} kind="channel" header={t('reports-col-channel')} />
        <Counts name="byTopic" title={t('reports-by-topic')} counts={s.byTopic} kind="topic" header={t('reports-col-topic')} />
        <Counts name="byRisk" title={t('reports-by-risk')} counts={s.byRisk} kind="risk" header={t('reports-col-risk')} />
        <Counts name="byCategory" title={t('reports-by-category')} counts={s.byCategory} kind="category" header={t('reports-col-category')} />
        <Counts name="bySubcategory" title={t('reports-by-subcategory')} counts={s.bySubcategory} kind="subcategory" header={t('reports-col-subcategory')} />
        <Counts name="byCallType" title={t('reports-by-call-type')} counts={s.byCallType} kind="callType" header={t('reports-col-call-type')} />
        <Counts name="byOutcome" title={t('reports-by-outcome')} counts={s.byOutcome} kind="outcome" header={t('reports-col-outcome')} />
        <Counts name="byAgeGroup" title={t('reports-by-age')} counts={s.byAgeGroup} kind="age" header={t('reports-col-age')} />
        <Counts name="byGender" title={t('reports-by-gender')} counts={s.byGender} kind="gender" header={t('reports-col-gender')} />
        <Chart
          name="waitByRisk"
          title={t('reports-wait-by-risk')}
          keys={s.waitByRisk.map((w) => label('risk', w.risk))}
          // p90 drawn first and p50 over it: p50 <= p90, so both bars show.
          series={[
            { label: t('reports-col-p90'), values: s.waitByRisk.map((w) => min(w.p90Ms)), color: COLORS.second },
            { label: t('reports-col-p50'), values: s.waitByRisk.map((w) => min(w.p50Ms)), color: COLORS.main },
          ]}
          kind="bars"
          keyHeader={t('reports-col-risk')}
          format={fmt1}
        />
        <Counts name="abandonedByRisk" title={t('reports-abandoned-by-risk')} counts={s.abandonedByRisk} kind="risk" header={t('reports-col-risk')} />
        <Counts name="abandonedByWait" title={t('reports-abandoned-by-wait')} counts={s.abandonedByWait} kind="wait" header={t('reports-col-wait')} />
        <Counts name="byFeedback" title={t('reports-feedback')} counts={s.byFeedback} kind="feedback" header={t('reports-col-answer')} />
        <CounselorLoad load={s.counselorLoad} />
        {tr ? (
          <FigureTable
            name="triage"
            title={t('reports-triage')}
            rows={[
              [t('reports-triage-accuracy'), tr.accuracy === null ? '—' : `${fmt1(tr.accuracy * 100)} %`],
              [t('reports-triage-counselled'), fmt(tr.counselled)],
              [t('reports-triage-corrected'), fmt(tr.corrected)],
              [t('reports-triage-corrections'), fmt(tr.corrections)],
              [t('reports-triage-raised'), fmt(tr.riskRaised)],
              [t('reports-triage-lowered'), fmt(tr.riskLowered)],
              [t('reports-triage-topic'), fmt(tr.topicChanged)],
            ]}
          />
        ) : (
          <section class="chart" data-chart="triage">
            <h2>{t('reports-triage')}</h2>
            <p>{t('reports-triage-none')}</p>
          </section>
        )}
      </div>
    </>
  );
}

function CounselorLoad({ load }: { load: ReportSummary['counselorLoad'] }) {
  const title = t('reports-counselor-load');
  const perShift = load.map((l) => (l.shifts ? l.chats / l.shifts : 0));
  return (
    <section class="chart" data-chart="counselorLoad">
      <h2>{title}</h2>
      <Plot
        keys={load.map((l) => l.counselor)}
        series={[
          { label: t('reports-col-chats-per-shift'), values: perShift, color: COLORS.main },
          { label: t('reports-col-high-risk'), values: load.map((l) => (l.shifts ? l.highRisk / l.shifts : 0)), color: COLORS.alert },
        ]}
        kind="bars"
      />
      <div class="scroll">
        <table class="figures">
          <caption>{title}</caption>
          <thead>
            <tr>
              {['reports-col-counselor', 'reports-col-shifts', 'reports-col-chats', 'reports-col-chats-per-shift', 'reports-col-high-risk'].map((id) => (
                <th scope="col">{t(id)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {load.map((l, i) => (
              <tr>
                <th scope="row">{l.counselor}</th>
                <td class="n">{fmt(l.shifts)}</td>
                <td class="n">{fmt(l.chats)}</td>
                <td class="n">{fmt1(perShift[i] ?? 0)}</td>
                <td class="n">{fmt(l.highRisk)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function App() {
  if (!ui.value || me.value === null) return <p role="status">…</p>;
  const who = me.value;
  return (
    <>
      <header>
        <h1>{t('reports-title')}</h1>
        {who !== 'signed-out' ? <span id="who">{who.user.id}</span> : null}
      </header>
      {who === 'signed-out' ? (
        <Login />
      ) : !allowed(who.user.role) ? (
        <p id="forbidden" class="notice" role="alert">
          {t('reports-forbidden')}
        </p>
      ) : (
        <main id="app">
          <Filters channels={summary.value?.channels ?? []} />
          <p id="status" role="status">
            {status.value === 'loading' ? t('reports-loading') : status.value !== 'idle' ? t('reports-error', { error: status.value }) : ''}
          </p>
          {summary.value ? <Dashboard s={summary.value} /> : null}
        </main>
      )}
    </>
  );
}

async function start(): Promise<void> {
  render(<App />, document.getElementById('root')!);
  ui.value = await api.ui(navigator.language);
  document.documentElement.lang = ui.value.locale;
  document.title = t('reports-title');
  try {
    me.value = await api.me();
  } catch {
    me.value = 'signed-out';
    return;
  }
  if (allowed(me.value.user.role)) await load();
}

void start();
