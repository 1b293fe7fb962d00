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
  /** The channels with contacts in the range, whatever the channel filter. */
  channels: string[];
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
  /** Left before a counselor, by how long they had waited: WAIT_BUCKETS' ids in order (every bucket, zeros too). */
  abandonedByWait: Count[];
  /** Contacts by local weekday (1 Monday … 7 Sunday) and hour (0–23); only the hours with contacts. */
  byHourOfWeek: HourOfWeek[];
  byAgeGroup: Count[];
  byGender: Count[];
  /** Per counselor (staff id): shifts worked in the range (local days with a claimed chat), chats, high-risk chats. */
  counselorLoad: CounselorLoad[];
  /** From the counselors' corrections of the triage, when there are any (added by the console). */
  triage?: TriageAccuracy;
}

export interface HourOfWeek {
  day: number;
  hour: number;
  n: number;
}

export interface CounselorLoad {
  counselor: string;
  shifts: number;
  chats: number;
  highRisk: number;
}

/** Wait buckets for abandonment: [id, upper bound in minutes (exclusive; null: no bound)]. */
export const WAIT_BUCKETS = [
  ['lt1', 1],
  ['1to5', 5],
  ['5to15', 15],
  ['15to30', 30],
  ['ge30', null],
] as const satisfies readonly (readonly [string, number | null])[];

/** A correction as the reports read it: which conversation, what triage said, what the counselor said. No text. */
export interface CorrectionFacts {
  conversationId: string;
  was: { topic: string; risk: string };
  topic: string;
  risk: string;
}

/**
 * Live triage accuracy as far as corrections tell: of the counselled contacts of the range, how
 * many had a message's triage corrected. A message nobody corrected counts as right, so this is
 * an upper bound on accuracy (counselors correct only what they notice).
 */
export interface TriageAccuracy {
  counselled: number;
  /** Counselled contacts of the range with at least one correction. */
  corrected: number;
  /** 1 - corrected / counselled (null with no counselled contact). */
  accuracy: number | null;
  corrections: number;
  riskRaised: number;
  riskLowered: number;
  topicChanged: number;
}

/** The CHI annual data of a year: every id of the category tree with its count (zeros too). */
export interface ChiAnnual {
  year: number;
  contacts: number;
  counselling: number;
  nonCounselling: number;
  categories: Count[];
  subcategories: Count[];
  callTypes: Count[];
  ageGroups: Count[];
  genders: Count[];
}

/** One contact record as exported: column → value (text, number, boolean, list or null). */
export type ExportRow = Record<string, string | number | boolean | string[] | null>;

export interface ReportsSource {
  summary(q: ReportQuery): Promise<ReportSummary>;
  /** The counts of the range's contacts by category, subcategory, call type, age group and gender (ids as stored). */
  chi(q: ReportQuery): Promise<Omit<ChiAnnual, 'year'>>;
  /** Triage accuracy of the range's counselled contacts from these corrections. */
  triage(q: ReportQuery, corrections: CorrectionFacts[]): Promise<TriageAccuracy>;
  /** The records of the range in start order, a page at a time (a year of records never sits in memory). */
  rows(q: ReportQuery): AsyncIterable<ExportRow>;
  /** The export's columns, in order. */
  readonly columns: readonly string[];
}
