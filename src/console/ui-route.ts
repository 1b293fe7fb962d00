import type { FastifyInstance } from 'fastify';
import { CONSOLE_PAGE_MESSAGES, type ConsolePageMessage, type ConsoleUi } from '../core/console-messages.js';
import type { ConsoleContext } from './context.js';

/**
 * GET /api/console/ui?locale=: the console's words (locales/console.<locale>.ftl) in one language,
 * before sign-in too (the sign-in form needs them). The server formats them, leaving the console's
 * own variables as "{$name}" for the page to fill: @fluent/bundle in the page would add 4.1 KB gz
 * (esbuild --minify, es2019) to a 35 KB bundle, and the console needs nothing but named
 * substitution (the content check keeps selectors off those variables). About 4 KB gz per language.
 */
export async function consoleUiRoute(app: FastifyInstance, ctx: Pick<ConsoleContext, 'content'>): Promise<void> {
  app.get<{ Querystring: { locale?: string } }>('/api/console/ui', async (req) => {
    const { i18n } = ctx.content();
    const wanted = typeof req.query.locale === 'string' ? req.query.locale : req.headers['accept-language'];
    const locale = i18n.resolve(wanted);
    const strings = Object.fromEntries(CONSOLE_PAGE_MESSAGES.map((id) => [id, i18n.template(locale, id)])) as Record<ConsolePageMessage, string>;
    const body: ConsoleUi = {
      locale,
      locales: i18n.locales.map((code) => ({ code, name: i18n.t(code, 'lang-name') })),
      strings,
    };
    return body;
  });
}
