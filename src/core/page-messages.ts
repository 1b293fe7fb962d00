import { FEEDBACK_VALUES } from './buttons.js';
import { OUTCOMES, SYSTEM_OUTCOMES } from './outcomes.js';
import { WAIT_BUCKETS } from './reports.js';
import { TOPICS } from './taxonomy.js';

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
  // The script map and the messages side by side (web/studio/map.ts, messages.ts).
  'studio-map',
  'studio-map-hint',
  'studio-map-open',
  'studio-step',
  'studio-step-text',
  'studio-step-buttons',
  'studio-step-label',
  'studio-step-goes',
  'studio-step-to-step',
  'studio-step-add-button',
  'studio-step-up',
  'studio-step-down',
  'studio-step-remove',
  'studio-step-save',
  'studio-step-delete',
  'studio-step-in-use',
  'studio-step-used-by',
  'studio-step-unused',
  'studio-step-new',
  'studio-step-create',
  'studio-step-need-draft',
  'studio-used-bot',
  'studio-used-step',
  'studio-used-intent',
  'studio-missing',
  'studio-messages',
  'studio-messages-search',
  'studio-messages-missing',
  'studio-edit',
  'studio-action-counselor',
  'studio-action-crisis',
  'studio-action-menu',
  'studio-action-end',
  'studio-action-leave_queue',
] as const;

export type StudioPageMessage = (typeof STUDIO_PAGE_MESSAGES)[number];

/** The page's own words for the reports dashboard (web/reports), from GET /api/reports/ui. */
const REPORTS_WORDS = [
  'reports-title',
  'reports-sign-in',
  'reports-username',
  'reports-password',
  'reports-forbidden',
  'reports-from',
  'reports-to',
  'reports-channel',
  'reports-all-channels',
  'reports-apply',
  'reports-download-records',
  'reports-chi-year',
  'reports-download-chi',
  'reports-loading',
  'reports-error',
  'reports-empty',
  'reports-none',
  'reports-totals',
  'reports-total-contacts',
  'reports-total-counselled',
  'reports-total-abandoned',
  'reports-total-non-counselling',
  'reports-total-high-risk',
  'reports-by-day',
  'reports-by-hour-of-week',
  'reports-by-channel',
  'reports-by-topic',
  'reports-by-risk',
  'reports-by-category',
  'reports-by-subcategory',
  'reports-by-call-type',
  'reports-by-outcome',
  'reports-by-age',
  'reports-by-gender',
  'reports-wait-by-risk',
  'reports-abandoned-by-risk',
  'reports-abandoned-by-wait',
  'reports-feedback',
  'reports-counselor-load',
  'reports-triage',
  'reports-triage-none',
  'reports-col-day',
  'reports-col-weekday',
  'reports-col-hour',
  'reports-col-channel',
  'reports-col-topic',
  'reports-col-risk',
  'reports-col-category',
  'reports-col-subcategory',
  'reports-col-call-type',
  'reports-col-outcome',
  'reports-col-age',
  'reports-col-gender',
  'reports-col-wait',
  'reports-col-answer',
  'reports-col-counselor',
  'reports-col-contacts',
  'reports-col-shifts',
  'reports-col-chats',
  'reports-col-chats-per-shift',
  'reports-col-high-risk',
  'reports-col-p50',
  'reports-col-p90',
  'reports-col-figure',
  'reports-col-value',
  'reports-triage-accuracy',
  'reports-triage-counselled',
  'reports-triage-corrected',
  'reports-triage-corrections',
  'reports-triage-raised',
  'reports-triage-lowered',
  'reports-triage-topic',
] as const;

/** Labels of the ids the reports show: risks, topics, outcomes, feedback answers, wait buckets, weekdays (1 Monday). */
export const REPORTS_LABELS = {
  risk: ['none', 'low', 'medium', 'high', 'imminent'],
  topic: TOPICS,
  outcome: [...OUTCOMES, ...SYSTEM_OUTCOMES],
  feedback: FEEDBACK_VALUES,
  wait: WAIT_BUCKETS.map(([id]) => id),
  day: ['1', '2', '3', '4', '5', '6', '7'],
} as const;

export const REPORTS_PAGE_MESSAGES: readonly string[] = [
  ...REPORTS_WORDS,
  ...Object.entries(REPORTS_LABELS).flatMap(([kind, ids]) => (ids as readonly string[]).map((id) => `reports-${kind}-${id}`)),
];
