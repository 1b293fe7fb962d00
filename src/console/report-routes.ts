// Reports for supervisors and admins: the figures of a date range as JSON, and the contact
// records as CSV. Records hold no child text and no chat ids; the export also leaves out the
// conversation id. Both are audited (who exported which range).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errInfo } from '../core/errors.js';
import type { ReportQuery, ReportsSource } from '../core/reports.js';
import { REPORTS_PAGE_MESSAGES } from '../core/page-messages.js';
import { parseBody, type ConsoleContext } from './context.js';
import { csvLine } from './csv.js';
import { chiAnnualCsv } from './chi-export.js';
import { reportLabels } from './report-labels.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Ten years and a bit: the longest range one request may ask for. */
const MAX_DAYS = 3700;

const day = z
  .string()
  .regex(DAY, 'dates look like 2026-03-10')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !DAY.test(d) || (Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d);
  }, 'no such date');
const querySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  channel: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a channel id like webchat or telegram').optional(),
});
const EXPECTED = '?from=YYYY-MM-DD&to=YYYY-MM-DD (local days, both included; default the last 30 days) &channel=';

/** Today's date in a time zone, as YYYY-MM-DD. */
function today(timeZone: string, now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function reportRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const supervisor = ctx.auth.guard('supervisor');

  function query(req: FastifyRequest, reply: FastifyReply): ReportQuery | null {
    const q = parseBody(querySchema, req.query, reply, EXPECTED);
    if (!q) return null;
    const to = q.to ?? today(ctx.reportTimeZone, Date.now());
    const from = q.from ?? addDays(to, -29);
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    const problem = days < 0 ? `from (${from}) is after to (${to})` : days > MAX_DAYS ? `at most ${MAX_DAYS} days at once` : null;
    if (problem) {
      void reply.status(400).send({ error: `${problem}; expected ${EXPECTED}`, code: 'invalid_input' });
      return null;
    }
    return { from, to, timeZone: ctx.reportTimeZone, channel: q.channel };
  }

  async function source(req: FastifyRequest, reply: FastifyReply): Promise<ReportsSource | null> {
    try {
      return await ctx.reports();
    } catch (err) {
      req.log.warn({ err: errInfo(err) }, 'reports: records database unavailable');
      void reply.status(503).send({ error: 'the records database is not available now; try again in a minute', code: 'unavailable' });
      return null;
    }
  }

  app.get('/reports', (_req, reply) => reply.redirect('/reports/'));

  // The dashboard's own words and labels (before sign-in too, like the studio's), from locales/.
  app.get<{ Querystring: { lang?: string } }>('/api/reports/ui', async (req) => {
    const { i18n } = ctx.content();
    const locale = i18n.resolve(typeof req.query.lang === 'string' ? req.query.lang : req.headers['accept-language']);
    // Placeables come back as "{$name}" for the page to fill (Fluent throws on a missing variable).
    const strings = Object.fromEntries(REPORTS_PAGE_MESSAGES.map((id) => [id, i18n.t(locale, id, { error: '{$error}' })]));
    return { locale, strings, labels: reportLabels(ctx.content(), locale) };
  });

  app.get('/api/reports/summary', { preHandler: supervisor }, async (req, reply) => {
    const q = query(req, reply);
    if (!q) return reply;
    const reports = await source(req, reply);
    if (!reports) return reply;
    const summary = await reports.summary(q);
    // Corrections live in the staff store (as long as transcripts); only their ids and levels are read here.
    const corrections = await ctx.corrections.list(5000).catch(() => []);
    if (corrections.length) summary.triage = await reports.triage(q, corrections);
    return summary;
  });

  const yearSchema = z.strictObject({ year: z.string().regex(/^(19|20)\d{2}$/, 'a year like 2026') });
  app.get('/api/reports/chi.csv', { preHandler: supervisor }, async (req, reply) => {
    const y = parseBody(yearSchema, req.query, reply, '?year=YYYY');
    if (!y) return reply;
    const reports = await source(req, reply);
    if (!reports) return reply;
    const year = Number(y.year);
    const q: ReportQuery = { from: `${year}-01-01`, to: `${year}-12-31`, timeZone: ctx.reportTimeZone };
    const figures = await reports.chi(q);
    await ctx.audit.record(req.staff!.id, 'export', undefined, `CHI annual data ${year}`);
    void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="chi-annual-data-${year}.csv"`);
    return chiAnnualCsv({ year, ...figures }, ctx.content());
  });

  app.get('/api/reports/records.csv', { preHandler: supervisor }, async (req, reply) => {
    const q = query(req, reply);
    if (!q) return reply;
    const reports = await source(req, reply);
    if (!reports) return reply;
    await ctx.audit.record(req.staff!.id, 'export', undefined, `${q.from}..${q.to}${q.channel ? ` ${q.channel}` : ''}`);
    const columns = reports.columns;
    async function* csv(): AsyncIterable<string> {
      yield csvLine([...columns]);
      for await (const row of reports!.rows(q!)) yield csvLine(columns.map((c) => row[c] ?? null));
    }
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="contact-records-${q.from}-${q.to}.csv"`);
    return reply.send(Readable.from(csv()));
  });
}
