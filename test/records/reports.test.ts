// The reports API over real fastify, on PGlite and on PostgreSQL: figures of a date range from
// seeded records (local days of OPENING_TIMEZONE), the CSV export (escaped, without conversation
// ids), and who may read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import type { ContactRecord } from '../../src/core/records.js';
import { admin, staff, start, StaffClient } from '../console/helpers.js';
import { csvField } from '../../src/console/csv.js';
import { DATABASE_URL, postgresSchema } from './databases.js';
import { record } from './records-factory.js';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Ten contacts in March 2026 (Moscow is UTC+3) and two outside the range. */
function seed(): ContactRecord[] {
  const base = { queuedAt: null, claimedAt: null, closedAt: null, abandonedAt: null, waitMs: null, feedback: null, referral: null } as const;
  const counselled = (iso: string, risk: ContactRecord['risk'], waitMin: number, over: Partial<ContactRecord> = {}) =>
    record({ ...base, startedAt: at(iso), queuedAt: at(iso) + MIN, claimedAt: at(iso) + MIN + waitMin * MIN, closedAt: at(iso) + 30 * MIN, waitMs: waitMin * MIN, risk, ...over });
  return [
    counselled('2026-03-01T10:00:00Z', 'high', 1, { topic: 'suicide', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.suicidal_thoughts'], outcome: 'emergency', feedback: 'helped' }),
    counselled('2026-03-01T11:00:00Z', 'high', 3, { topic: 'self_harm', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.self_harm'], outcome: 'supported', feedback: 'helped' }),
    counselled('2026-03-01T12:00:00Z', 'high', 5, { topic: 'suicide', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.suicidal_thoughts'], outcome: 'referred' }),
    counselled('2026-03-02T09:00:00Z', 'medium', 10, { topic: 'bullying', channel: 'telegram', chiCategories: ['violence', 'education'], chiSubcategories: ['violence.bullying_in_school'], outcome: 'supported', feedback: 'partly' }),
    counselled('2026-03-02T09:30:00Z', 'medium', 20, { topic: 'family', channel: 'telegram', chiCategories: ['family_relationships'], chiSubcategories: [], outcome: 'follow_up' }),
    counselled('2026-03-03T08:00:00Z', 'low', 2, { topic: 'other', chiCategories: [], chiSubcategories: [], callType: 'joke', outcome: 'not_genuine' }),
    // 22:30 UTC on the 3rd is 01:30 on the 4th in Moscow.
    counselled('2026-03-03T22:30:00Z', 'imminent', 0, { topic: 'suicide', chiCategories: ['mental_health'], chiSubcategories: ['mental_health.suicide_attempt'], outcome: 'emergency' }),
    record({ ...base, startedAt: at('2026-03-05T10:00:00Z'), queuedAt: at('2026-03-05T10:01:00Z'), abandonedAt: at('2026-03-05T10:20:00Z'), risk: 'medium', topic: 'family', state: 'bot', outcome: null, chiCategories: [], chiSubcategories: [], counselorId: null, counselors: [] }),
    record({ ...base, startedAt: at('2026-03-06T10:00:00Z'), queuedAt: at('2026-03-06T10:01:00Z'), abandonedAt: at('2026-03-06T10:40:00Z'), risk: 'high', topic: 'violence', state: 'bot', outcome: null, chiCategories: [], chiSubcategories: [], counselorId: null, counselors: [] }),
    // A staff id that a spreadsheet would run as a formula, and one with a comma and a quote.
    counselled('2026-03-07T10:00:00Z', 'none', 4, { topic: 'greeting', counselorId: '=HYPERLINK("x")', counselors: ['=HYPERLINK("x")', 'a,b'], chiCategories: ['other'], chiSubcategories: [], outcome: 'other' }),
    counselled('2026-02-28T20:59:00Z', 'low', 1, { topic: 'school' }), // 23:59 Moscow on the 28th: outside
    counselled('2026-04-01T10:00:00Z', 'low', 1, { topic: 'school' }),
  ];
}

const backends = [
  { name: 'pglite', env: async () => ({ env: { RECORDS_DIR: 'memory://' }, drop: async () => undefined }) },
  {
    name: 'postgres',
    env: async () => {
      const { schema, drop } = await postgresSchema();
      return { env: { DATABASE_URL: `${DATABASE_URL}?schema=${schema}` }, drop };
    },
  },
];

for (const backend of backends) {
  describe(`reports API (${backend.name})`, () => {
    let app: RunningApp;
    let boss: StaffClient;
    let sveta: StaffClient;
    let anna: StaffClient;
    let drop: () => Promise<void>;
    const records = seed();

    beforeAll(async () => {
      const b = await backend.env();
      drop = b.drop;
      app = await start({ ...b.env, OPENING_TIMEZONE: 'Europe/Moscow' });
      boss = await admin(app);
      sveta = await staff(app, boss, 'sveta', 'supervisor');
      anna = await staff(app, boss, 'anna', 'counselor');
      const repo = await app.records.repository();
      await repo.write(records.map((record, i) => ({ seq: i + 1, snapshot: { record } })));
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    it('counts a range by day (the helpline’s days), channel, topic, risk, outcome, category, subcategory, call type, feedback; waits p50/p90 by risk; abandonment', async () => {
      const res = await sveta.get('/api/reports/summary?from=2026-03-01&to=2026-03-31');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const s = res.body;
      expect(s.totals).toEqual({ contacts: 10, counselled: 8, abandoned: 2, nonCounselling: 1, highRisk: 5 });
      expect(s.byDay).toEqual([
        { key: '2026-03-01', n: 3 },
        { key: '2026-03-02', n: 2 },
        { key: '2026-03-03', n: 1 },
        { key: '2026-03-04', n: 1 },
        { key: '2026-03-05', n: 1 },
        { key: '2026-03-06', n: 1 },
        { key: '2026-03-07', n: 1 },
      ]);
      expect(s.byChannel).toEqual([
        { key: 'webchat', n: 8 },
        { key: 'telegram', n: 2 },
      ]);
      expect(s.byTopic[0]).toEqual({ key: 'suicide', n: 3 });
      expect(s.byRisk).toEqual([
        { key: 'imminent', n: 1 },
        { key: 'high', n: 4 },
        { key: 'medium', n: 3 },
        { key: 'low', n: 1 },
        { key: 'none', n: 1 },
      ]);
      expect(s.byOutcome).toEqual(
        expect.arrayContaining([
          { key: 'emergency', n: 2 },
          { key: 'supported', n: 2 },
          { key: 'not_genuine', n: 1 },
        ]),
      );
      expect(s.byCategory).toEqual([
        { key: 'mental_health', n: 4 },
        { key: 'education', n: 1 },
        { key: 'family_relationships', n: 1 },
        { key: 'other', n: 1 },
        { key: 'violence', n: 1 },
      ]);
      expect(s.bySubcategory).toEqual([
        { key: 'mental_health.suicidal_thoughts', n: 2 },
        { key: 'mental_health.self_harm', n: 1 },
        { key: 'mental_health.suicide_attempt', n: 1 },
        { key: 'violence.bullying_in_school', n: 1 },
      ]);
      expect(s.byCallType).toEqual([{ key: 'joke', n: 1 }]);
      expect(s.byFeedback).toEqual([
        { key: 'helped', n: 2 },
        { key: 'partly', n: 1 },
      ]);
      // high: waits 1, 3, 5 min → p50 3 min, p90 4.6 min (linear interpolation, percentile_cont).
      expect(s.waitByRisk.find((w: { risk: string }) => w.risk === 'high')).toEqual({ risk: 'high', n: 3, p50Ms: 3 * MIN, p90Ms: 4.6 * MIN });
      expect(s.waitByRisk.find((w: { risk: string }) => w.risk === 'medium')).toEqual({ risk: 'medium', n: 2, p50Ms: 15 * MIN, p90Ms: 19 * MIN });
      expect(s.abandonedByRisk).toEqual([
        { key: 'high', n: 1 },
        { key: 'medium', n: 1 },
      ]);
    });

    it('counts abandonment by wait, hour of the week, age and gender, counselor load per shift, and names the range’s channels whatever the filter', async () => {
      const s = (await sveta.get('/api/reports/summary?from=2026-03-01&to=2026-03-31')).body;
      // Queued 10:01, left 10:20 (19 min) and 10:40 (39 min).
      expect(s.abandonedByWait).toEqual([
        { key: 'lt1', n: 0 },
        { key: '1to5', n: 0 },
        { key: '5to15', n: 0 },
        { key: '15to30', n: 1 },
        { key: 'ge30', n: 1 },
      ]);
      // Sunday 1 March 10:00-12:00 UTC is 13:00-15:00 in Moscow; 22:30 UTC on Tuesday the 3rd is 01:00 on Wednesday.
      const how = (day: number, hour: number) => s.byHourOfWeek.find((c: { day: number; hour: number }) => c.day === day && c.hour === hour)?.n ?? 0;
      expect([how(7, 13), how(7, 14), how(7, 15), how(3, 1)]).toEqual([1, 1, 1, 1]);
      expect(s.byHourOfWeek.reduce((a: number, c: { n: number }) => a + c.n, 0)).toBe(10);
      expect(s.byGender).toEqual([{ key: 'female', n: 10 }]);
      expect(s.byAgeGroup).toEqual([{ key: '12-14', n: 10 }]);
      // anna: 7 chats on 4 local days (the 22:30 UTC one is the 4th in Moscow), 4 of them high or imminent.
      expect(s.counselorLoad[0]).toEqual({ counselor: 'anna', shifts: 4, chats: 7, highRisk: 4 });
      expect(s.counselorLoad).toEqual(expect.arrayContaining([{ counselor: 'a,b', shifts: 1, chats: 1, highRisk: 0 }]));
      expect(s.channels).toEqual(['telegram', 'webchat']);
      expect((await sveta.get('/api/reports/summary?from=2026-03-01&to=2026-03-31&channel=telegram')).body.channels).toEqual(['telegram', 'webchat']);
    });

    it('exports the CHI annual data of a year: every id of the tree with its count, audited; supervisors only', async () => {
      const res = await sveta.get('/api/reports/chi.csv?year=2026');
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="chi-annual-data-2026.csv"');
      const lines = (res.body as string).split('\r\n');
      expect(lines[0]).toBe('year,section,id,label,contacts');
      for (const line of [
        '2026,total,contacts,All contacts,12',
        '2026,total,counselling,Counselling contacts,11',
        '2026,total,non_counselling,Non-counselling contacts,1',
        '2026,category,mental_health,Mental health,4',
        // the two records outside March keep the factory's family category
        '2026,category,family_relationships,Family relationships,3',
        '2026,subcategory,violence.trafficking,Violence: Child trafficking,0',
        '2026,call_type,joke,"Joke, prank",1',
        '2026,age_group,unknown,not given,0',
        // an age group the tree does not have is kept as its own row, not dropped
        '2026,age_group,12-14,12-14,12',
        '2026,gender,female,girl,12',
      ]) {
        expect(lines, line).toContain(line);
      }
      expect(lines.filter((l) => l.startsWith('2026,category,')).length).toBe(app.content.current.categories!.categories.length);
      expect((await sveta.get('/api/reports/chi.csv?year=2025')).body).toContain('2025,total,contacts,All contacts,0');
      expect((await sveta.get('/api/reports/chi.csv?year=26')).status).toBe(400);
      expect((await sveta.get('/api/reports/chi.csv')).status).toBe(400);
      expect((await anna.get('/api/reports/chi.csv?year=2026')).status).toBe(403);
      const audit = (await boss.get('/api/audit?action=export')).body;
      expect(JSON.stringify(audit)).toContain('CHI annual data 2026');
    });

    it('filters by channel and by a range of one day', async () => {
      const tg = (await sveta.get('/api/reports/summary?from=2026-03-01&to=2026-03-31&channel=telegram')).body;
      expect(tg.totals.contacts).toBe(2);
      expect(tg.byChannel).toEqual([{ key: 'telegram', n: 2 }]);
      const one = (await sveta.get('/api/reports/summary?from=2026-03-04&to=2026-03-04')).body;
      expect(one.totals.contacts).toBe(1);
      expect(one.byRisk).toEqual([{ key: 'imminent', n: 1 }]);
    });

    it('exports the range as CSV: a header, one escaped line per record in start order, no conversation id', async () => {
      const res = await sveta.get('/api/reports/records.csv?from=2026-03-01&to=2026-03-31');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="contact-records-2026-03-01-2026-03-31.csv"');
      const text = res.body as string;
      const lines = text.split('\r\n');
      expect(lines.at(-1)).toBe('');
      expect(lines.length - 2).toBe(10);
      const header = lines[0]!.split(',');
      expect(header).not.toContain('id');
      expect(header.slice(0, 4)).toEqual(['channel', 'locale', 'state', 'started_at']);
      expect(lines[1]).toContain('2026-03-01T10:00:00.000Z');
      expect(lines[1]).toContain(',mental_health.suicidal_thoughts,');
      // The formula is defused and the field with a comma and quotes is quoted.
      expect(text).toContain(`,"'=HYPERLINK(""x"")",`);
      expect(text).toContain(`,"'=HYPERLINK(""x"");a,b",`);
      for (const r of records) expect(text).not.toContain(r.id);
      const audit = (await boss.get('/api/audit?action=export')).body;
      expect(audit.entries?.[0] ?? audit[0]).toMatchObject({ by: 'sveta', action: 'export', detail: '2026-03-01..2026-03-31' });
    });

    it('is for supervisors and admins only, and says what is wrong with a range', async () => {
      expect((await anna.get('/api/reports/summary')).status).toBe(403);
      expect((await anna.get('/api/reports/records.csv')).status).toBe(403);
      expect((await new StaffClient(app).get('/api/reports/summary')).status).toBe(401);
      expect((await boss.get('/api/reports/summary')).status).toBe(200);
      const bad: [string, RegExp][] = [
        ['from=2026-3-1', /^from: dates look like 2026-03-10/],
        ['from=2026-02-30', /^from: no such date/],
        ['from=2026-03-10&to=2026-03-01', /^from \(2026-03-10\) is after to \(2026-03-01\)/],
        ['from=2000-01-01&to=2026-01-01', /^at most 3700 days at once/],
        ['channel=Web%20Chat', /^channel: a channel id like webchat/],
        ['limit=5', /^Unrecognized key: "limit"/],
      ];
      for (const [q, error] of bad) {
        const res = await sveta.get(`/api/reports/summary?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body.error, q).toMatch(error);
      }
      // The default range is the last 30 days, ending today.
      const d = (await sveta.get('/api/reports/summary')).body.query;
      expect((Date.parse(d.to) - Date.parse(d.from)) / 86_400_000).toBe(29);
    });
  });
}

describe('CSV fields', () => {
  it('quotes commas, quotes and line breaks, defuses formulas, leaves numbers and booleans alone', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) expect(csvField(f)).toBe(`'${f}`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(true)).toBe('true');
    expect(csvField(['a', 'b'])).toBe('a;b');
  });
});
