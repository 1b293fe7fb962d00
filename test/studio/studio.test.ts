// The studio API on one app (memory store): roles, drafts with conflicts, validation by field,
// "what would the bot do", approval of crisis changes, publish with a comment, rollback, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { admin, start, staff, type StaffClient } from '../console/helpers.js';

const NEW_BREATHING = 'breathing =\n    Новый текст: вдох на 4, выдох на 6.\n    Повтори 3 раза.';

describe('content studio API', { timeout: 60_000 }, () => {
  let app: RunningApp;
  let boss: StaffClient;
  let olga: StaffClient;
  let pavel: StaffClient;
  let counselor: StaffClient;
  let supervisor: StaffClient;

  beforeAll(async () => {
    app = await start();
    boss = await admin(app);
    olga = await staff(app, boss, 'olga', 'editor');
    pavel = await staff(app, boss, 'pavel', 'editor');
    counselor = await staff(app, boss, 'ivan', 'counselor');
    supervisor = await staff(app, boss, 'sveta', 'supervisor');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is for editors and admins: a counselor gets 403 everywhere, a supervisor may only read and approve', async () => {
    for (const [method, url] of [
      ['GET', '/api/studio/drafts'],
      ['GET', '/api/studio/versions'],
      ['POST', '/api/studio/drafts'],
      ['POST', '/api/studio/validate'],
      ['POST', '/api/studio/try'],
      ['POST', '/api/studio/preview'],
      ['GET', '/api/studio/catalog'],
    ] as const) {
      expect((await counselor.req(method, url, method === 'POST' ? {} : undefined)).status, `${method} ${url}`).toBe(403);
    }
    expect((await supervisor.post('/api/studio/drafts', { title: 'x' })).status).toBe(403);
    expect((await supervisor.post('/api/studio/try', { text: 'привет' })).status).toBe(403);
    expect((await supervisor.get('/api/studio/drafts')).status).toBe(200);
    // Not signed in: 401; signed in without the CSRF token: 403.
    expect((await app.app.inject({ method: 'GET', url: '/api/studio/drafts' })).statusCode).toBe(401);
    expect((await olga.req('POST', '/api/studio/drafts', { title: 'x' }, { csrf: null })).status).toBe(403);
    expect((await olga.get('/api/studio/drafts')).status).toBe(200);
    expect((await boss.get('/api/studio/drafts')).status).toBe(200);
  });

  it('lets two editors hold a draft: the second save of the same item at a stale revision is a 409 with both texts, nothing lost', async () => {
    const d = (await olga.post('/api/studio/drafts', { title: 'breathing text' })).body;
    expect(d.base).toBe(1);
    const live = (await pavel.get('/api/studio/items?key=message:ru:breathing')).body;
    expect(live.value).toMatch(/^breathing =\n {4}Давай вместе/);

    const first = await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: NEW_BREATHING, rev: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rev: 1, draftRev: 1 });
    const pavelText = 'breathing = Дыши медленно.';
    const stale = await pavel.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: pavelText, rev: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'edit_conflict', key: 'message:ru:breathing', yours: { value: pavelText, rev: 0 }, theirs: { value: NEW_BREATHING, rev: 1, by: 'olga' } });
    // Olga's text is intact; Pavel merges at the revision he was shown.
    expect((await pavel.get(`/api/studio/drafts/${d.id}`)).body.items['message:ru:breathing'].value).toBe(NEW_BREATHING);
    expect((await pavel.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: NEW_BREATHING, rev: 1 })).status).toBe(200);

    const view = (await olga.get(`/api/studio/drafts/${d.id}`)).body;
    expect(view.problems).toEqual([]);
    expect(view.crisis).toEqual([]);
    expect(view.diff).toEqual([{ key: 'message:ru:breathing', before: expect.stringContaining('Давай вместе'), after: NEW_BREATHING }]);

    // A 100 KB text is refused by name before it is stored.
    const huge = await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:grounding', value: `grounding = ${'а'.repeat(100_000)}`, rev: 0 });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 'too_long', field: 'message:ru:grounding' });

    // Publishing needs a comment.
    const bare = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: '  ' });
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe('comment_required');
    const before = app.content.current.version;
    const pub = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'shorter breathing exercise' });
    expect(pub.status).toBe(200);
    expect(pub.body.number).toBe(2);
    // This instance switched at once, without a restart.
    expect(app.content.current.version).not.toBe(before);
    expect(app.content.published).toBe(2);
    expect(app.content.current.i18n.t('ru', 'breathing')).toBe('Новый текст: вдох на 4, выдох на 6.\nПовтори 3 раза.');
    // Everything else is as it was.
    expect(app.content.current.i18n.t('ru', 'grounding')).toBe(app.content.seed.i18n.t('ru', 'grounding'));
    const versions = (await olga.get('/api/studio/versions')).body;
    expect(versions[0]).toMatchObject({ number: 2, author: 'olga', comment: 'shorter breathing exercise', diff: [{ key: 'message:ru:breathing', after: NEW_BREATHING }] });
    expect(typeof versions[0].at).toBe('number');
    expect(versions[1]).toMatchObject({ number: 1, author: 'system' });
    // The draft is gone once published.
    expect((await olga.get(`/api/studio/drafts/${d.id}`)).status).toBe(404);
  });

  it('validates with content:check rules, naming the field: a broken placeable, a button to a missing step', async () => {
    const broken = await olga.post('/api/studio/validate', { items: { 'message:ru:breathing': 'breathing = Дыши { $broken' } });
    expect(broken.status).toBe(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.problems).toContainEqual(expect.objectContaining({ file: 'locales/ru.ftl', field: 'breathing', message: expect.stringMatching(/^Fluent:/) }));

    const step = await olga.post('/api/studio/validate', { items: { 'step:breathing': 'text: breathing\nbuttons:\n  - { label: btn-better, goto: nowhere }\n' } });
    expect(step.body.problems).toContainEqual(expect.objectContaining({ file: 'intents/scripts.yaml', field: 'steps.breathing.buttons.0.goto', message: 'button goes to unknown step "nowhere"' }));

    // Deleting a step something still points at is refused, naming what points at it.
    const gone = await olga.post('/api/studio/validate', { items: { 'step:grounding': null } });
    expect(gone.body.problems.length).toBeGreaterThan(0);
    for (const p of gone.body.problems) expect(p).toMatchObject({ file: 'intents/scripts.yaml', field: expect.stringMatching(/^steps\.[a-z_]+\.buttons\.\d+\.goto$/), message: 'button goes to unknown step "grounding"' });

    const ok = await olga.post('/api/studio/validate', { items: { 'message:en:breathing': 'breathing = Breathe in for 4, out for 6.' } });
    expect(ok.body).toEqual({ ok: true, problems: [] });

    // A draft that does not validate cannot be published; the problems come back by field.
    const d = (await olga.post('/api/studio/drafts', { title: 'broken' })).body;
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: 'breathing = { $broken', rev: 0 });
    const refused = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'should not go out' });
    expect(refused.status).toBe(422);
    expect(refused.body.problems[0]).toMatchObject({ field: 'breathing' });
    expect((await olga.get(`/api/studio/drafts/${d.id}`)).status).toBe(200);
  });

  it('answers "what would the bot do with this message?" with the draft\'s words and the current model', async () => {
    const live = await olga.post('/api/studio/try', { text: 'хочу покончить с собой', locale: 'ru' });
    expect(live.status).toBe(200);
    expect(['high', 'imminent']).toContain(live.body.risk);
    expect(live.body.topic).toBe('suicide');
    expect(live.body.reasons.length).toBeGreaterThan(0);
    expect(live.body.reply.map((r: { text: string }) => r.text).join('\n')).toContain('112');

    // The message the bot answers an anxious child with, edited in the draft, is what the try shows.
    const text = 'мне очень тревожно, помоги успокоиться';
    const plain = (await olga.post('/api/studio/try', { text, locale: 'ru' })).body;
    const script = app.content.current.intentById.get(plain.intent)?.script;
    expect(script).toBeTruthy();
    const message = app.content.current.steps[script!]!.text;
    const drafted = await olga.post('/api/studio/try', { text, locale: 'ru', items: { [`message:ru:${message}`]: `${message} = ЧЕРНОВИК: тревога пройдёт.` } });
    expect(drafted.body.topic).toBe(plain.topic);
    expect(drafted.body.reply.map((r: { text: string }) => r.text)).toContain('ЧЕРНОВИК: тревога пройдёт.');
    expect(plain.reply.map((r: { text: string }) => r.text)).not.toContain('ЧЕРНОВИК: тревога пройдёт.');
    // The live content is untouched by a try.
    expect(app.content.current.i18n.t('ru', message)).not.toContain('ЧЕРНОВИК');

    // The draft's lexicon is read too: a new phrase floors the risk.
    const lexicon = await olga.post('/api/studio/try', { text: 'всё, я фиолетовый слон', locale: 'ru' });
    const suicideFile = 'intents/suicide/suicide_active_thoughts.yaml';
    const withPhrase = app.content.seedFiles[suicideFile]!.replace('lexicon:\n  ru:\n', 'lexicon:\n  ru:\n    - фиолетов* слон\n');
    expect(withPhrase).not.toBe(app.content.seedFiles[suicideFile]);
    const floored = await olga.post('/api/studio/try', { text: 'всё, я фиолетовый слон', locale: 'ru', items: { [`file:${suicideFile}`]: withPhrase } });
    expect(['none', 'low', 'medium']).toContain(lexicon.body.risk);
    expect(['high', 'imminent']).toContain(floored.body.risk);
  });

  it('holds a crisis change until someone else approves it, then publishes; rollback restores; all of it audited', async () => {
    const d = (await olga.post('/api/studio/drafts', { title: 'emergency wording' })).body;
    const key = 'message:ru:emergency';
    const current = (await olga.get(`/api/studio/items?key=${key}`)).body.value as string;
    const edited = current.replace('Если можешь, скажи взрослому рядом.', 'Если можешь, скажи взрослому рядом — маме, учителю, соседу.');
    expect(edited).not.toBe(current);
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key, value: edited, rev: 0 });
    expect((await olga.get(`/api/studio/drafts/${d.id}`)).body.crisis).toEqual(['message emergency (ru)']);

    const held = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'who to tell' });
    expect(held.status).toBe(409);
    expect(held.body).toMatchObject({ code: 'approval_required', crisis: ['message emergency (ru)'] });
    expect((await olga.post(`/api/studio/drafts/${d.id}/approve`)).status).toBe(403);
    expect((await counselor.post(`/api/studio/drafts/${d.id}/approve`)).status).toBe(403);
    expect((await supervisor.post(`/api/studio/drafts/${d.id}/approve`)).status).toBe(200);
    // A save after the approval needs approving again.
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key, value: `${edited} `, rev: 1 });
    expect((await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'who to tell' })).status).toBe(409);
    expect((await pavel.post(`/api/studio/drafts/${d.id}/approve`)).status).toBe(200);
    const pub = await olga.post(`/api/studio/drafts/${d.id}/publish`, { comment: 'who to tell' });
    expect(pub.status).toBe(200);
    expect(app.content.current.i18n.t('ru', 'emergency')).toContain('маме, учителю, соседу');
    expect((await olga.get('/api/studio/versions')).body[0]).toMatchObject({ number: pub.body.number, approvedBy: ['pavel'] });

    // Rollback to the seed: the breathing text and the emergency message are the files' again.
    const back = await pavel.post('/api/studio/versions/1/rollback', {});
    expect(back.status).toBe(200);
    expect(back.body.number).toBe(pub.body.number + 1);
    expect(app.content.current.i18n.t('ru', 'emergency')).toBe(app.content.seed.i18n.t('ru', 'emergency'));
    expect(app.content.current.i18n.t('ru', 'breathing')).toBe(app.content.seed.i18n.t('ru', 'breathing'));
    expect((await olga.get('/api/studio/versions')).body[0]).toMatchObject({ author: 'pavel', rollbackOf: 1, comment: 'rollback to version 1' });

    const audit = (await boss.get('/api/audit?locale=en&limit=200')).body as { action: string; by: string; actionText: string }[];
    const actions = new Set(audit.map((e) => e.action));
    for (const a of ['content-draft', 'content-draft-save', 'content-approve', 'content-publish', 'content-rollback']) expect(actions, a).toContain(a);
    expect(audit.find((e) => e.action === 'content-publish')?.actionText).toBe('published a content version');
  });
});
