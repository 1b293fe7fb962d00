import { pino, type Logger } from 'pino';

/**
 * Logs never carry children's text, chat ids or names: callers log counts, kinds and error
 * types. The redact list is a second line of defence for fields that must never appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['text', '*.text', 'chatKey', '*.chatKey', 'userKey', 'password', '*.password', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
