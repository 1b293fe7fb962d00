// Issue 13, items 1 and 2 on the web chat socket: the greeting comes at once on open and says
// what is kept for as long as the retention settings in force say, not a number in a text file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { ChatClient } from '../helpers/ws-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', BOT_RETENTION_HOURS: '6', TRANSCRIPT_RETENTION_DAYS: '14' });
});
afterAll(async () => {
  await app?.close();
});

describe('the welcome follows the retention settings', () => {
  it('BOT_RETENTION_HOURS=6 and TRANSCRIPT_RETENTION_DAYS=14 are what the child reads, in Russian and English, and in "more"', async () => {
    const ru = await ChatClient.connect(app.url);
    const welcome = await ru.waitFor((f) => f.type === 'message' && f.welcome === true, 1000);
    expect(welcome.text).toContain('Переписка хранится 6 часов, а разговор с консультантом — 14 дней');
    ru.send({ type: 'button', value: 'action:privacy', id: 'p1' });
    const more = await ru.waitFor((f) => f.type === 'message' && !f.welcome);
    expect(more.text).toContain('через 6 часов');
    expect(more.text).toContain('через 14 дней');
    ru.close();

    const en = await ChatClient.connect(app.url, '?lang=en');
    const hello = await en.waitFor((f) => f.type === 'message' && f.welcome === true, 1000);
    expect(hello.text).toContain('kept for 6 hours, or 14 days if you talk to a counselor');
    en.close();
  });
});

describe('the chat hours answer follows OPENING_HOURS', () => {
  it('24/7 by default is said as around the clock', async () => {
    const i18n = app.content.current.i18n;
    expect(i18n.t('ru', 'service-hours')).toContain('круглосуточно');
    expect(i18n.t('ru', 'service-hours')).not.toContain('24/7');
  });
});
