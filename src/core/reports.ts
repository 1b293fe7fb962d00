// What supervisors read about contacts: counts over a date range from the contact records (no
// text, no chat ids). The records database implements it (src/records/reports.ts); the console
// serves it as JSON and CSV.
import type { Risk } from './taxonomy.js';

export interface ReportQuery {
  /** Local dates YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** The helpline's time zone: days start at its midnight (OPENING_TIMEZONE). */
  timeZone: string;
  channel?: string;
}

export interface Count {
  key: string;
  n: number;
}

export interface WaitFigure {
  risk: Risk;
  /** Contacts that reached a counselor. */
  n: number;
  p50Ms: number;
  p90Ms: number;
}

export interface ReportSummary {
  query: ReportQuery;
  totals: {
    contacts: number;
    /** Reached a counselor. */
    counselled: number;
    /** Left the queue before a counselor came. */
    abandoned: number;
    /** Closed with a call type (silent, joke, wrong number…). */
    nonCounselling: number;
    /** Highest risk high or imminent. */
    highRisk: number;
  };
  byDay: Count[];
  byChannel: Count[];
  byTopic: Count[];
  byRisk: Count[];
  byOutcome: Count[];
  byCategory: Count[];
  bySubcategory: Count[];
  byCallType: Count[];
  byFeedback: Count[];
  /** Time from the queue to a counselor, by risk. */
  waitByRisk: WaitFigure[];
  abandonedByRisk: Count[];
}

/** One contact record as exported: column → value (text, number, boolean, list or null). */
export type ExportRow = Record<string, string | number | boolean | string[] | null>;

export interface ReportsSource {
  summary(q: ReportQuery): Promise<ReportSummary>;
  /** The records of the range in start order, a page at a time (a year of records never sits in memory). */
  rows(q: ReportQuery): AsyncIterable<ExportRow>;
  /** The export's columns, in order. */
  readonly columns: readonly string[];
}
