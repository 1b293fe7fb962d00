// Reports for supervisors and admins: the figures of a date range as JSON, and the contact
// records as CSV. Records hold no child text and no chat ids; the export also leaves out the
// conversation id. Both are audited (who exported which range).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errInfo } from '../core/errors.js';
import type { ReportQuery, ReportsSource } from '../core/reports.js';
import { parseBody, type ConsoleContext } from './context.js';
import { csvLine } from './csv.js';

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

  app.get('/api/reports/summary', { preHandler: supervisor }, async (req, reply) => {
    const q = query(req, reply);
    if (!q) return reply;
    const reports = await source(req, reply);
    if (!reports) return reply;
    return reports.summary(q);
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
