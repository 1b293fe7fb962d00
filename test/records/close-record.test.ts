// The contact record written when a counselor closes a chat: the close form over real fastify,
// checked against the category tree (records/categories.yaml), on PGlite and on PostgreSQL. No
// word the child wrote, no chat id and no name may reach any column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { admin, childButton, childSays, SCREENED, staff, start, type StaffClient } from '../console/helpers.js';
import { DATABASE_URL, postgresSchema } from './databases.js';

// A child who gives a name, a school and a place in the first message.
const FIRST = 'меня зовут Маша Воробьёва, я из школы 1234 в Твери, хочу покончить с собой';
const SECRETS = ['Маша', 'Воробьёва', 'Твер', '1234'];
const CRISIS_QUEUED = 'меня бьёт отчим каждый день, мне страшно идти домой';

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
  describe(`the contact record of a closed chat (${backend.name})`, () => {
    let app: RunningApp;
    let anna: StaffClient;
    let sveta: StaffClient;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const b = await backend.env();
      drop = b.drop;
      app = await start(b.env);
      const boss = await admin(app);
      anna = await staff(app, boss, 'anna', 'counselor');
      sveta = await staff(app, boss, 'sveta', 'supervisor');
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    async function claimed(text = FIRST): Promise<{ id: string; chatKey: string }> {
      const child = await childSays(app, text);
      if ((await app.store.getConversation(child.id))!.state === 'bot') {
        // Not a crisis: the child asks for a counselor and answers the two questions before the queue.
        for (const v of ['action:counselor', 'pre_age:14_17', 'pre_about:self']) await childButton(app, child.chatKey, v);
      }
      const res = await anna.post(`/api/conversations/${child.id}/claim`);
      expect(res.status).toBe(200);
      return child;
    }

    async function row(id: string): Promise<Record<string, unknown>> {
      await app.records.flush();
      const r = await (await app.records.repository()).get(id);
      expect(r, `record ${id}`).not.toBeNull();
      return r!;
    }

    it('is written with the categories, subcategories, outcome, referral and the times; no text, chat id or name in any column', async () => {
      const { id, chatKey } = await claimed();
      await anna.post(`/api/conversations/${id}/messages`, { text: 'Маша, я с тобой. Ты сейчас в безопасности?' });
      const res = await anna.post(`/api/conversations/${id}/close`, {
        subcategories: ['mental_health.suicidal_thoughts', 'violence.bullying_in_school'],
        categories: ['education'],
        outcome: 'emergency',
        ageGroup: '14_17',
        gender: 'female',
        referral: { services: ['112', 'ambulance'], calledAt: '2026-03-10T12:05:00Z', signedOffBy: 'sveta' },
        assessment: SCREENED,
        note: 'Маша из Твери, школа 1234: вызвали скорую',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await childButton(app, chatKey, 'feedback:helped');
      const r = await row(id);
      // The record keeps the conversation's highest risk, whatever the model made of the words
      // (high or imminent for this one, depending on the corpus).
      const conv = await app.store.getConversation(id);
      expect(['high', 'imminent']).toContain(conv!.risk);
      expect(r).toMatchObject({
        id,
        channel: 'webchat',
        state: 'closed',
        risk: conv!.risk,
        topic: 'suicide',
        first_topic: 'suicide',
        chi_categories: ['education', 'mental_health', 'violence'],
        chi_subcategories: ['mental_health.suicidal_thoughts', 'violence.bullying_in_school'],
        outcome: 'emergency',
        age_group: '14_17',
        gender: 'female',
        counselor_id: anna.id,
        counselors: [anna.id],
        closed_by: 'staff',
        feedback: 'helped',
        call_type: null,
      });
      expect(r.assessment).toMatchObject({ ...SCREENED, by: anna.id });
      expect(r.referral).toEqual({ services: ['112', 'ambulance'], calledAt: Date.parse('2026-03-10T12:05:00Z'), by: anna.id, signedOffBy: 'sveta', signedOffAt: expect.any(Number) });
      for (const k of ['started_at', 'queued_at', 'claimed_at', 'closed_at']) expect(r[k], k).not.toBeNull();
      expect(Number(r.wait_ms)).toBeGreaterThanOrEqual(0);
      // Every column of the row as the database returns it, as text.
      const all = JSON.stringify(r);
      for (const word of [...SECRETS, chatKey, 'покончить', 'безопасности', 'скорую']) expect(all, word).not.toContain(word);
    });

    it('every contact has a record: one that stays with the bot from its first message, one that leaves the queue as abandoned', async () => {
      const bot = await childSays(app, 'привет, как дела');
      expect((await app.store.getConversation(bot.id))!.state).toBe('bot');
      expect(await row(bot.id)).toMatchObject({ state: 'bot', queued_at: null, claimed_at: null, closed_at: null, first_topic: 'greeting' });
      const left = await childSays(app, CRISIS_QUEUED);
      expect((await app.store.getConversation(left.id))!.state).toBe('queued');
      expect((await row(left.id)).queued_at).not.toBeNull();
      await childButton(app, left.chatKey, 'action:leave_queue');
      const r = await row(left.id);
      expect(r.abandoned_at).not.toBeNull();
      expect(r.claimed_at).toBeNull();
      expect(JSON.stringify(r)).not.toContain(left.chatKey);
    });

    it('a supervisor signs off an emergency referral after the close; the record is written again, once', async () => {
      const { id } = await claimed();
      const closed = await anna.post(`/api/conversations/${id}/close`, { subcategories: ['mental_health.suicidal_thoughts'], outcome: 'emergency', referral: { services: ['police'] }, assessment: SCREENED });
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect((await row(id)).referral).toEqual({ services: ['police'], calledAt: expect.any(Number), by: anna.id });
      expect((await anna.post(`/api/conversations/${id}/referral/sign-off`)).status).toBe(403);
      expect((await sveta.post(`/api/conversations/${id}/referral/sign-off`)).status).toBe(200);
      expect((await row(id)).referral).toMatchObject({ services: ['police'], by: anna.id, signedOffBy: 'sveta', signedOffAt: expect.any(Number) });
      const twice = await sveta.post(`/api/conversations/${id}/referral/sign-off`);
      expect(twice.status).toBe(409);
      expect(twice.body.error).toBe('the referral was signed off by sveta');
      const none = await claimed('мне грустно');
      expect((await sveta.post(`/api/conversations/${none.id}/referral/sign-off`)).body.error).toBe('this conversation has no emergency referral to sign off');
    });

    it('a non-counselling contact closes with a call type alone', async () => {
      const { id } = await claimed('алло');
      const res = await anna.post(`/api/conversations/${id}/close`, { callType: 'joke' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await row(id)).toMatchObject({ call_type: 'joke', chi_categories: [], outcome: 'not_genuine' });
    });

    it('the first console form (one category and an outcome) still closes, unscreened (it has no screener yet)', async () => {
      const high = await claimed('я больше не хочу жить, думаю покончить с собой');
      expect((await anna.post(`/api/conversations/${high.id}/close`, { category: 'mental_health', outcome: 'supported' })).status).toBe(200);
      expect((await row(high.id)).assessment).toBeNull();
      const { id } = await claimed('мне грустно');
      expect((await anna.post(`/api/conversations/${id}/close`, { category: 'mental_health', outcome: 'supported' })).status).toBe(200);
      expect(await row(id)).toMatchObject({ chi_categories: ['mental_health'], chi_subcategories: [], outcome: 'supported' });
    });

    it('a high-risk suicide chat closes only with the screener: 400 assessment_required, then saved during the chat, then closed; a low-risk chat needs none', async () => {
      const { id } = await claimed('я больше не хочу жить, думаю покончить с собой');
      expect((await app.store.getConversation(id))!.risk).toMatch(/high|imminent/);
      const refused = await anna.post(`/api/conversations/${id}/close`, { subcategories: ['mental_health.suicidal_thoughts'], outcome: 'supported' });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('assessment_required');
      expect(refused.body.error).toMatch(/closes only with the risk assessment \(wishDead, thoughts, method, intent, plan, behaviour, timeFrame\)/);
      // A call type is no way round it.
      expect((await anna.post(`/api/conversations/${id}/close`, { callType: 'joke' })).body.code).toBe('assessment_required');
      const half = await anna.post(`/api/conversations/${id}/assessment`, { wishDead: 'yes', thoughts: 'yes' });
      expect(half.status).toBe(400);
      expect(half.body.error).toMatch(/^method: answers are yes, no, unknown/);
      expect((await anna.post(`/api/conversations/${id}/assessment`, { ...SCREENED, timeFrame: 'soon' })).body.error).toMatch(/^timeFrame: timeFrame is one of now, today/);
      const saved = await anna.post(`/api/conversations/${id}/assessment`, { ...SCREENED, plan: 'yes', timeFrame: 'today' });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ plan: 'yes', timeFrame: 'today', by: anna.id });
      expect((await anna.post(`/api/conversations/${id}/close`, { subcategories: ['mental_health.suicidal_thoughts'], outcome: 'supported' })).status).toBe(200);
      expect((await row(id)).assessment).toEqual({ ...SCREENED, plan: 'yes', timeFrame: 'today', by: anna.id, at: saved.body.at });

      // Filed under self-harm, a high-risk chat of another topic needs it too; a low one does not.
      const low = await claimed('мне грустно');
      expect((await anna.post(`/api/conversations/${low.id}/close`, { subcategories: ['mental_health.self_harm'], outcome: 'supported' })).status).toBe(200);
      expect((await row(low.id)).assessment).toBeNull();
    });

    it('refuses a form that does not fit the tree with 400 naming where, and closes nothing', async () => {
      const { id } = await claimed('мне плохо');
      const cases: [unknown, RegExp][] = [
        [{ subcategories: ['violence.bulying'], outcome: 'supported' }, /^subcategories\.0: unknown subcategory "violence\.bulying" \(violence has bullying_in_school, /],
        [{ subcategories: ['bullying'], outcome: 'supported' }, /^subcategories\.0: "bullying" is not "category\.subcategory"/],
        [{ categories: ['violence', 'made_up'], outcome: 'supported' }, /^categories\.1: unknown category "made_up"/],
        [{ categories: ['violence'] }, /^outcome: a counselling contact needs an outcome/],
        [{ outcome: 'supported' }, /^categories: a counselling contact needs at least one category/],
        [{ callType: 'joke', categories: ['violence'] }, /^callType: a non-counselling contact \(callType\) has no categories/],
        [{ callType: 'prank' }, /^callType: unknown call type "prank"/],
        [{ categories: ['violence'], outcome: 'made_up' }, /^outcome: outcome must be one of supported/],
        [{ categories: ['violence'], outcome: 'supported', ageGroup: '15' }, /^ageGroup: unknown age group "15"/],
        [{ categories: ['violence'], outcome: 'supported', referral: { services: ['112'] } }, /^referral: an emergency referral goes with the outcome "emergency"/],
        [{ categories: ['violence'], outcome: 'emergency', referral: { services: ['firemen'] } }, /^referral\.services\.0: services are 112, police/],
        [{ categories: ['violence'], outcome: 'emergency', referral: { services: ['112'], signedOffBy: 'anna' } }, /^referral\.signedOffBy: no supervisor "anna"/],
        [{ categories: ['violence'], outcome: 'emergency', referral: { services: ['112'], calledAt: 'yesterday' } }, /^referral\.calledAt: calledAt is an ISO 8601 time/],
        // Nothing but ids: a name or a message in its own field is refused, not stored.
        [{ categories: ['violence'], outcome: 'supported', childName: 'Маша' }, /^Unrecognized key: "childName"/],
      ];
      for (const [body, error] of cases) {
        const res = await anna.post(`/api/conversations/${id}/close`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('invalid_input');
        expect(res.body.error, JSON.stringify(body)).toMatch(error);
      }
      const several = await anna.post(`/api/conversations/${id}/close`, { categories: ['made_up'], subcategories: ['violence.nope'], outcome: 'supported' });
      expect(several.body.problems.map((p: { path: string }) => p.path)).toEqual(['categories.0', 'subcategories.0']);
      expect((await app.store.getConversation(id))!.state).toBe('with_counselor');
      expect((await sveta.get('/api/meta')).body.categoryTree.categories.find((c: { id: string }) => c.id === 'missing_children').subcategories).toContain('runaway');
    });
  });
}
