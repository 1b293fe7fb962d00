// The preview chat: a draft clicked through as a child would, with nothing queued or stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { admin, start, staff, type StaffClient } from '../console/helpers.js';

type Turn = { state: unknown; replies: { text: string; buttons?: { label: string; value: string }[] }[]; effects: string[]; triage?: { risk: string } };

describe('studio preview', { timeout: 60_000 }, () => {
  let app: RunningApp;
  let olga: StaffClient;

  beforeAll(async () => {
    // Not the default retention: the preview must speak with this deployment's facts.
    app = await start({ BOT_RETENTION_HOURS: '48' });
    olga = await staff(app, await admin(app), 'olga', 'editor');
  });
  afterAll(async () => {
    await app?.close();
  });

  it("clicks through the draft's scripts with the draft's words, in each language", async () => {
    const d = (await olga.post('/api/studio/drafts', { title: 'preview' })).body;
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:ru:breathing', value: 'breathing = ЧЕРНОВИК: дыши.', rev: 0 });
    await olga.post(`/api/studio/drafts/${d.id}/items`, { key: 'message:en:breathing', value: 'breathing = DRAFT: breathe.', rev: 0 });
    for (const [locale, expected] of [
      ['ru', 'ЧЕРНОВИК: дыши.'],
      ['en', 'DRAFT: breathe.'],
    ] as const) {
      const turn = async (state: unknown, event: unknown): Promise<Turn> => {
        const r = await olga.post('/api/studio/preview', { draft: d.id, locale, state, event });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body as Turn;
      };
      const press = (t: Turn, value: string) => {
        const b = t.replies.flatMap((r) => r.buttons ?? []).find((x) => x.value === value);
        expect(b, `${value} offered`).toBeDefined();
        return b!.value;
      };
      let t = await turn(undefined, { type: 'start' });
      expect(t.replies[0]!.text).toBe(app.content.current.i18n.t(locale, 'greeting'));
      expect(t.replies[0]!.text).toContain('48');
      t = await turn(t.state, { type: 'button', value: press(t, 'goto:selfhelp_menu') });
      t = await turn(t.state, { type: 'button', value: press(t, 'goto:selfhelp_anxiety') });
      t = await turn(t.state, { type: 'button', value: press(t, 'goto:breathing') });
      expect(t.replies[0]!.text).toBe(expected);
      expect(t.effects).toEqual([]);
    }
    // The live content is untouched.
    expect(app.content.current.i18n.t('ru', 'breathing')).toContain('Давай вместе');
  });

  it('shows what a crisis message would do, without queueing anyone', async () => {
    const r = await olga.post('/api/studio/preview', { locale: 'ru', event: { type: 'text', text: 'хочу покончить с собой' } });
    expect(r.status).toBe(200);
    const t = r.body as Turn & { state: { state: string; risk: string } };
    expect(['high', 'imminent']).toContain(t.triage?.risk);
    expect(t.effects.some((e) => e.startsWith('enqueue:'))).toBe(true);
    expect(t.effects.some((e) => e.startsWith('alert:'))).toBe(true);
    expect(t.state.state).toBe('queued');
    expect(t.replies.map((x) => x.text).join('\n')).toContain('112');
    expect(await app.store.queueLength()).toBe(0);
    // A forged state is only the editor's own preview: a bad one is a 400, not a crash.
    expect((await olga.post('/api/studio/preview', { state: { state: 'nonsense' }, event: { type: 'start' } })).status).toBe(400);
  });
});
