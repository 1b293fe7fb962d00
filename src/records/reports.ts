// The report queries: one date range (local days of the helpline's time zone) and an optional
// channel, answered from contact_records with its started_at index. The same SQL on PostgreSQL
// and PGlite.
import { WAIT_BUCKETS, type ChiAnnual, type CorrectionFacts, type Count, type ExportRow, type ReportQuery, type ReportsSource, type ReportSummary, type TriageAccuracy } from '../core/reports.js';
import { RISKS, type Risk } from '../core/taxonomy.js';
import type { Db } from './db.js';
import { RECORD_COLUMNS } from './repository.js';

// $1 from, $2 to (local dates, both included), $3 time zone, $4 channel or null.
const RANGE = `started_at >= ($1::date::timestamp AT TIME ZONE $3) AND started_at < (($2::date + 1)::timestamp AT TIME ZONE $3) AND ($4::text IS NULL OR channel = $4)`;

/** The export leaves the conversation id out: it would tie a row to a transcript still kept. */
export const EXPORT_COLUMNS = RECORD_COLUMNS.filter((c) => c !== 'id');

const PAGE = 2000;

type Row = Record<string, unknown>;

export class RecordsReports implements ReportsSource {
  readonly columns = EXPORT_COLUMNS;
  /** onQuery: each named query's time (bench/reports.ts times the dashboard query by query). */
  constructor(
    private db: Db,
    private onQuery?: (name: string, ms: number) => void,
  ) {}

  private async timed<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    const t0 = performance.now();
    const rows = await this.db.query<T>(sql, params);
    this.onQuery?.(name, performance.now() - t0);
    return rows;
  }

  private params(q: ReportQuery): unknown[] {
    return [q.from, q.to, q.timeZone, q.channel ?? null];
  }

  private async counts(q: ReportQuery, name: string, key: string, from = 'contact_records', where = 'TRUE'): Promise<Count[]> {
    const rows = await this.timed<{ key: string | null; n: number }>(
      name,
      `SELECT ${key} AS key, count(*)::int AS n FROM ${from} WHERE ${RANGE} AND ${where} GROUP BY 1 ORDER BY 2 DESC, 1`,
      this.params(q),
    );
    return rows.map((r) => ({ key: r.key ?? 'none', n: Number(r.n) }));
  }

  async summary(q: ReportQuery): Promise<ReportSummary> {
    const p = this.params(q);
    const [totals] = await this.timed<Row>(
      'totals',
      `SELECT count(*)::int AS contacts, count(claimed_at)::int AS counselled,
        count(*) FILTER (WHERE abandoned_at IS NOT NULL AND claimed_at IS NULL)::int AS abandoned,
        count(call_type)::int AS non_counselling, count(*) FILTER (WHERE risk IN ('high', 'imminent'))::int AS high_risk
       FROM contact_records WHERE ${RANGE}`,
      p,
    );
    const byDay = (
      await this.timed<{ key: string; n: number }>(
        'byDay',
        // Grouped by the local date, formatted once per day rather than once per row.
        `SELECT to_char(d, 'YYYY-MM-DD') AS key, n FROM (SELECT (started_at AT TIME ZONE $3)::date AS d, count(*)::int AS n FROM contact_records WHERE ${RANGE} GROUP BY 1) days ORDER BY d`,
        p,
      )
    ).map((r) => ({ key: r.key, n: Number(r.n) }));
    const waits = await this.timed<{ risk: Risk; n: number; p50: number; p90: number }>(
      'waitByRisk',
      `SELECT risk, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms)::float8 AS p50,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_ms)::float8 AS p90
       FROM contact_records WHERE ${RANGE} AND wait_ms IS NOT NULL GROUP BY risk`,
      p,
    );
    const riskOrder = (a: { key: string }, b: { key: string }) => RISKS.indexOf(b.key as Risk) - RISKS.indexOf(a.key as Risk);
    return {
      query: q,
      totals: {
        contacts: Number(totals!.contacts),
        counselled: Number(totals!.counselled),
        abandoned: Number(totals!.abandoned),
        nonCounselling: Number(totals!.non_counselling),
        highRisk: Number(totals!.high_risk),
      },
      byDay,
      byChannel: await this.counts(q, 'byChannel', 'channel'),
      // Every channel of the range whatever the filter: the page's channel choice.
      channels: (
        await this.timed<{ channel: string }>('channels', `SELECT DISTINCT channel FROM contact_records WHERE ${RANGE} ORDER BY 1`, [q.from, q.to, q.timeZone, null])
      ).map((r) => r.channel),
      byTopic: await this.counts(q, 'byTopic', 'topic'),
      byRisk: (await this.counts(q, 'byRisk', 'risk')).sort(riskOrder),
      byOutcome: await this.counts(q, 'byOutcome', 'outcome', 'contact_records', 'closed_at IS NOT NULL'),
      byCategory: await this.counts(q, 'byCategory', 'c', 'contact_records, unnest(chi_categories) AS c'),
      bySubcategory: await this.counts(q, 'bySubcategory', 's', 'contact_records, unnest(chi_subcategories) AS s'),
      byCallType: await this.counts(q, 'byCallType', 'call_type', 'contact_records', 'call_type IS NOT NULL'),
      byFeedback: await this.counts(q, 'byFeedback', 'feedback', 'contact_records', 'feedback IS NOT NULL'),
      waitByRisk: waits
        .map((w) => ({ risk: w.risk, n: Number(w.n), p50Ms: Math.round(Number(w.p50)), p90Ms: Math.round(Number(w.p90)) }))
        .sort((a, b) => RISKS.indexOf(b.risk) - RISKS.indexOf(a.risk)),
      abandonedByRisk: (await this.counts(q, 'abandonedByRisk', 'risk', 'contact_records', 'abandoned_at IS NOT NULL AND claimed_at IS NULL')).sort(riskOrder),
      abandonedByWait: await this.abandonedByWait(q),
      byHourOfWeek: (
        await this.timed<{ day: number; hour: number; n: number }>(
          'byHourOfWeek',
          `SELECT extract(isodow FROM local)::int AS day, extract(hour FROM local)::int AS hour, count(*)::int AS n
           FROM (SELECT started_at AT TIME ZONE $3 AS local FROM contact_records WHERE ${RANGE}) t GROUP BY 1, 2 ORDER BY 1, 2`,
          p,
        )
      ).map((r) => ({ day: Number(r.day), hour: Number(r.hour), n: Number(r.n) })),
      byAgeGroup: await this.counts(q, 'byAgeGroup', 'age_group'),
      byGender: await this.counts(q, 'byGender', 'gender'),
      counselorLoad: (
        await this.timed<{ counselor: string; shifts: number; chats: number; high: number }>(
          'counselorLoad',
          // A transferred chat counts for each counselor who had it; a shift is a local day with a chat claimed.
          // Grouped by counselor and day first, then by counselor: count(DISTINCT day) sorted every
          // row and took 136 ms over a year of 100,000 records here (9x the range count), this 97 ms (6x)
          // (npx tsx bench/reports.ts --rows 100000 --skip-pglite).
          `SELECT counselor, count(*)::int AS shifts, sum(chats)::int AS chats, sum(high)::int AS high FROM (
             SELECT c AS counselor, (coalesce(claimed_at, started_at) AT TIME ZONE $3)::date AS d, count(*) AS chats,
               count(*) FILTER (WHERE risk IN ('high', 'imminent')) AS high
             FROM contact_records, unnest(counselors) AS c WHERE ${RANGE} GROUP BY 1, 2) days
           GROUP BY 1 ORDER BY 3 DESC, 1`,
          p,
        )
      ).map((r) => ({ counselor: r.counselor, shifts: Number(r.shifts), chats: Number(r.chats), highRisk: Number(r.high) })),
    };
  }

  private async abandonedByWait(q: ReportQuery): Promise<Count[]> {
    // The wait of a contact that left: from the queue (or the start) to leaving, in minutes.
    const cases = WAIT_BUCKETS.map(([id, max]) => (max === null ? `ELSE '${id}'` : `WHEN w < ${max} THEN '${id}'`)).join(' ');
    const rows = await this.timed<{ key: string; n: number }>(
      'abandonedByWait',
      `SELECT CASE ${cases} END AS key, count(*)::int AS n FROM (
         SELECT extract(epoch FROM abandoned_at - coalesce(queued_at, started_at)) / 60 AS w FROM contact_records
         WHERE ${RANGE} AND abandoned_at IS NOT NULL AND claimed_at IS NULL) t GROUP BY 1`,
      this.params(q),
    );
    const n = new Map(rows.map((r) => [r.key, Number(r.n)]));
    return WAIT_BUCKETS.map(([id]) => ({ key: id, n: n.get(id) ?? 0 }));
  }

  async chi(q: ReportQuery): Promise<Omit<ChiAnnual, 'year'>> {
    const [totals] = await this.timed<Row>(
      'chiTotals',
      `SELECT count(*)::int AS contacts, count(*) FILTER (WHERE call_type IS NULL)::int AS counselling, count(call_type)::int AS non_counselling
       FROM contact_records WHERE ${RANGE}`,
      this.params(q),
    );
    return {
      contacts: Number(totals!.contacts),
      counselling: Number(totals!.counselling),
      nonCounselling: Number(totals!.non_counselling),
      categories: await this.counts(q, 'chiCategories', 'c', 'contact_records, unnest(chi_categories) AS c'),
      subcategories: await this.counts(q, 'chiSubcategories', 's', 'contact_records, unnest(chi_subcategories) AS s'),
      callTypes: await this.counts(q, 'chiCallTypes', 'call_type', 'contact_records', 'call_type IS NOT NULL'),
      ageGroups: await this.counts(q, 'chiAgeGroups', 'age_group'),
      genders: await this.counts(q, 'chiGenders', 'gender'),
    };
  }

  async triage(q: ReportQuery, corrections: CorrectionFacts[]): Promise<TriageAccuracy> {
    const ids = [...new Set(corrections.map((c) => c.conversationId))];
    const [row] = await this.timed<{ counselled: number; corrected: number }>(
      'triageAccuracy',
      `SELECT count(claimed_at)::int AS counselled, count(claimed_at) FILTER (WHERE id = ANY($5::text[]))::int AS corrected
       FROM contact_records WHERE ${RANGE}`,
      [...this.params(q), ids],
    );
    const counselled = Number(row!.counselled);
    const corrected = Number(row!.corrected);
    const inRange = new Set(
      ids.length
        ? (await this.db.query<{ id: string }>(`SELECT id FROM contact_records WHERE ${RANGE} AND id = ANY($5::text[])`, [...this.params(q), ids])).map((r) => r.id)
        : [],
    );
    const mine = corrections.filter((c) => inRange.has(c.conversationId));
    const rank = (r: string) => RISKS.indexOf(r as Risk);
    return {
      counselled,
      corrected,
      accuracy: counselled ? 1 - corrected / counselled : null,
      corrections: mine.length,
      riskRaised: mine.filter((c) => rank(c.risk) > rank(c.was.risk)).length,
      riskLowered: mine.filter((c) => rank(c.risk) < rank(c.was.risk)).length,
      topicChanged: mine.filter((c) => c.topic !== c.was.topic).length,
    };
  }

  async *rows(q: ReportQuery): AsyncIterable<ExportRow> {
    // Keyset pages on (started_at, id): each page is one indexed range read, however far in.
    let after: [string, string] | null = null;
    for (;;) {
      const page: Row[] = await this.db.query<Row>(
        `SELECT ${RECORD_COLUMNS.join(', ')}, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS page_key
         FROM contact_records WHERE ${RANGE} ${after ? 'AND (started_at, id) > ($5::timestamptz, $6)' : ''}
         ORDER BY started_at, id LIMIT ${PAGE}`,
        after ? [...this.params(q), ...after] : this.params(q),
      );
      for (const r of page) yield exportRow(r);
      if (page.length < PAGE) return;
      const last = page.at(-1)!;
      after = [String(last.page_key), String(last.id)];
    }
  }
}

function exportRow(r: Row): ExportRow {
  const out: ExportRow = {};
  for (const c of EXPORT_COLUMNS) {
    const v = r[c];
    if (v === null || v === undefined) out[c] = null;
    else if (v instanceof Date) out[c] = v.toISOString();
    else if (Array.isArray(v)) out[c] = v.map(String);
    else if (typeof v === 'object') out[c] = JSON.stringify(v);
    else if (typeof v === 'bigint') out[c] = Number(v);
    else out[c] = v as string | number | boolean;
  }
  return out;
}
