// GET /webchat/ui: the page's words per language from locales/, and the language list from the
// locale files present, so adding a .ftl adds a language to the page without code (issue 13, item 15).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webchatUiRoute } from '../../src/channels/webchat/ui-route.js';
import { loadContent } from '../../src/content/load.js';
import { I18n } from '../../src/content/i18n.js';
import { WEBCHAT_PAGE_MESSAGES, type WebChatUi } from '../../src/core/page-messages.js';

const root = resolve(import.meta.dirname, '../..');
const app = Fastify();
let i18n: I18n;

beforeAll(async () => {
  const content = loadContent(root);
  // A third locale file, as a content editor would add one: English words, its own name.
  const uk = `${readFileSync(resolve(root, 'locales/en.ftl'), 'utf8').replace(/^lang-name = .*$/m, 'lang-name = Українська').replace(/^webchat-send = .*$/m, 'webchat-send = Надіслати')}\n`;
  const sources = new Map([
    ['ru', readFileSync(resolve(root, 'locales/ru.ftl'), 'utf8')],
    ['en', readFileSync(resolve(root, 'locales/en.ftl'), 'utf8')],
    ['uk', uk],
  ]);
  const ids = new Map([...sources.keys()].map((l) => [l, content.i18n.ids('ru')]));
  i18n = I18n.fromSources(sources, 'ru', ids);
  await app.register(webchatUiRoute, { content: () => ({ ...content, i18n }), exitUrl: 'https://ya.ru/' });
});
afterAll(() => app.close());

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await app.inject({ url, headers });
  expect(res.statusCode).toBe(200);
  return res.json<WebChatUi>();
};

describe('GET /webchat/ui', () => {
  it('lists every locale present, each in its own name, and the quick-exit address', async () => {
    const ui = await get('/webchat/ui');
    expect(ui.locales).toEqual([
      { code: 'ru', name: 'Русский' },
      { code: 'en', name: 'English' },
      { code: 'uk', name: 'Українська' },
    ]);
    expect(ui.exitUrl).toBe('https://ya.ru/');
  });

  it('answers every page message in the asked language, by ?lang= or else Accept-Language, else the default', async () => {
    const uk = await get('/webchat/ui?lang=uk');
    expect(uk.locale).toBe('uk');
    expect(uk.strings['webchat-send']).toBe('Надіслати');
    expect(Object.keys(uk.strings).sort()).toEqual([...WEBCHAT_PAGE_MESSAGES].sort());
    expect((await get('/webchat/ui', { 'accept-language': 'en-GB,en;q=0.9' })).strings['webchat-send']).toBe('Send');
    const fallback = await get('/webchat/ui?lang=xx');
    expect(fallback.locale).toBe('ru');
    // The phone number is the content's one term, shared with the bot's words.
    expect(fallback.strings['webchat-subtitle']).toContain('8-800-2000-122');
    for (const v of Object.values(fallback.strings)) expect(v).not.toMatch(/^webchat-/);
  });
});
