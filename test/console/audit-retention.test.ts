// The audit log keeps its retention (AUDIT_RETENTION_DAYS) and no conversation id once that
// conversation's transcript has been purged (on 5813c3a it kept purged ids forever).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { admin, sleep, staff, start, webChild, type StaffClient } from './helpers.js';

let app: RunningApp;
let boss: StaffClient;
beforeAll(async () => {
  // Transcripts live ~1.7 s here; the audit log a day.
  app = await start({ TRANSCRIPT_RETENTION_DAYS: '0.00002', BOT_RETENTION_HOURS: '0.0005', AUDIT_RETENTION_DAYS: '1' });
  boss = await admin(app);
});
afterAll(() => app.close());

describe('audit retention', () => {
  it('drops entries past the retention and the conversation ids whose transcripts are gone', async () => {
    const anna = await staff(app, boss, 'anna', 'counselor');
    const child = await webChild(app, 'хочу покончить с собой');
    await child.socket.next((f) => f.type === 'queue');
    expect((await anna.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    child.socket.close();
    // An entry from two days ago.
    await app.store.listPush('console-audit', JSON.stringify({ at: Date.now() - 2 * 24 * 3600_000, by: 'anna', action: 'login' }), 100_000);
    const before = (await boss.get('/api/audit?limit=100')).body as { action: string; target?: string; at: number }[];
    expect(before.some((e) => e.action === 'claim' && e.target === child.id)).toBe(true);

    await sleep(2500);
    expect(await app.store.getConversation(child.id)).toBeNull();
    const pass = await app.staffConsole.pruneAudit();
    expect(pass.after).toBe(pass.before - 1);
    const after = (await boss.get('/api/audit?limit=100')).body as { action: string; target?: string; at: number }[];
    expect(JSON.stringify(after)).not.toContain(child.id);
    expect(after.some((e) => e.action === 'claim' && e.target === undefined)).toBe(true);
    expect(after.every((e) => e.at > Date.now() - 24 * 3600_000)).toBe(true);
    // Account entries keep their targets.
    expect(after.some((e) => e.action === 'account-create' && e.target === 'anna')).toBe(true);
  });
});
