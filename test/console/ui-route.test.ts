// GET /api/console/ui: the console's words from locales/console.<locale>.ftl in one language,
// before sign-in, with the page's variables left for it to fill.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { CONSOLE_PAGE_MESSAGES, type ConsoleUi } from '../../src/core/console-messages.js';
import { start } from './helpers.js';

let app: RunningApp;
beforeAll(async () => {
  app = await start();
});
afterAll(() => app?.close());

async function ui(query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: ConsoleUi; bytes: number }> {
  const res = await app.app.inject({ method: 'GET', url: `/api/console/ui${query}`, headers });
  return { status: res.statusCode, body: res.json() as ConsoleUi, bytes: gzipSync(res.body).length };
}

describe('GET /api/console/ui', () => {
  it('answers every console word in the asked language without a session, variables as {$name}', async () => {
    const ru = await ui('?locale=ru-RU');
    expect(ru.status).toBe(200);
    expect(ru.body.locale).toBe('ru');
    expect(Object.keys(ru.body.strings).sort()).toEqual([...CONSOLE_PAGE_MESSAGES].sort());
    expect(ru.body.strings['console-queue']).toBe('Очередь');
    expect(ru.body.strings['console-state-other']).toBe('Разговор ведёт: {$name}');
    expect(ru.body.locales.map((l) => l.code).sort()).toEqual(['en', 'ru']);
    const en = await ui('?locale=en-GB');
    expect(en.body.locale).toBe('en');
    expect(en.body.strings['console-queue']).toBe('Queue');
    // The figure the route's comment gives: a language's words over the wire, gzipped.
    console.log(`console words: ru ${ru.bytes} B gz, en ${en.bytes} B gz`);
    expect(ru.bytes).toBeLessThan(8000);
  });

  it('follows Accept-Language without a query, and falls back to Russian for a language it has no files for', async () => {
    expect((await ui('', { 'accept-language': 'en-US,en;q=0.9' })).body.locale).toBe('en');
    expect((await ui('?locale=de')).body.locale).toBe('ru');
  });
});
