/**
 * Every word the web chat page itself shows (header, composer, status lines), by Fluent id. The
 * page gets them from GET /webchat/ui in the child's language, so the wording lives in locales/
 * with the bot's; the content check requires them in every locale, as it does the core's own.
 * lang-name (each language named in itself) and btn-leave-queue are the bot's own, reused so the
 * page and the bot never disagree.
 */
export const WEBCHAT_PAGE_MESSAGES = [
  'webchat-title',
  'webchat-subtitle',
  'webchat-language',
  'lang-name',
  'webchat-exit',
  'webchat-exit-hint',
  'webchat-log-label',
  'webchat-placeholder',
  'webchat-message-label',
  'webchat-send',
  'webchat-offline',
  'webchat-waiting',
  'webchat-not-sent',
  'webchat-retry',
  'btn-leave-queue',
] as const;

export type WebChatPageMessage = (typeof WEBCHAT_PAGE_MESSAGES)[number];

/** What GET /webchat/ui answers (the page imports this type): its words in one language, the languages there are, where quick exit goes. */
export interface WebChatUi {
  locale: string;
  /** Every locale file present, each named in its own language (lang-name): a new .ftl adds a language, no code. */
  locales: { code: string; name: string }[];
  exitUrl: string;
  strings: Record<WebChatPageMessage, string>;
}

/** Every word the studio page (web/studio) shows, by Fluent id, from GET /api/studio/ui. */
export const STUDIO_PAGE_MESSAGES = [
  'studio-title',
  'studio-sign-in',
  'studio-username',
  'studio-password',
  'studio-forbidden',
  'studio-new-draft',
  'studio-draft-title',
  'studio-item',
  'studio-save',
  'studio-saved',
  'studio-problems-none',
  'studio-conflict',
  'studio-take-theirs',
  'studio-keep-mine',
  'studio-try',
  'studio-try-placeholder',
  'studio-try-result',
  'studio-comment',
  'studio-publish',
  'studio-published',
  'studio-approval-needed',
  'studio-approve',
  'studio-approved',
  'studio-versions',
  'studio-rollback',
  'studio-error',
  'studio-preview',
  'studio-preview-start',
  'studio-preview-send',
  'studio-preview-effect',
  'studio-gate',
  'studio-gate-running',
  'studio-gate-passed',
  'studio-gate-refused',
  'studio-gate-required',
  'studio-gate-line',
  'studio-gate-escalation',
  'studio-gate-imminent',
  'studio-gate-missed',
  'studio-gate-not-needed',
  'studio-override',
] as const;

export type StudioPageMessage = (typeof STUDIO_PAGE_MESSAGES)[number];
