import type { FastifyInstance } from 'fastify';
import { WEBCHAT_PAGE_MESSAGES, type WebChatPageMessage, type WebChatUi } from '../../core/page-messages.js';
import type { ContentSource } from '../../core/ports.js';

export interface UiRouteOptions {
  content: ContentSource;
  /** QUICK_EXIT_URL: where the quick-exit button leaves to. */
  exitUrl: string;
}

/**
 * The page's words come from the server, not from the build: a content change (CONTENT_DIR,
 * hot-reloaded) reaches the page at its next load, like the bot's replies. About 1 KB per
 * language; fetched while the socket opens, so it does not delay the greeting.
 */
export async function webchatUiRoute(app: FastifyInstance, opts: UiRouteOptions): Promise<void> {
  app.get<{ Querystring: { lang?: string } }>('/webchat/ui', async (req, reply) => {
    const { i18n } = opts.content();
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const locale = i18n.resolve(lang ?? req.headers['accept-language']);
    const strings = Object.fromEntries(WEBCHAT_PAGE_MESSAGES.map((id) => [id, i18n.t(locale, id)])) as Record<WebChatPageMessage, string>;
    const body: WebChatUi = {
      locale,
      locales: i18n.locales.map((code) => ({ code, name: i18n.t(code, 'lang-name') })),
      exitUrl: opts.exitUrl,
      strings,
    };
    // Revalidated at every load (content may have changed), cached by the browser in between.
    void reply.header('cache-control', 'no-cache').header('vary', 'accept-language');
    return body;
  });
}
