import { pino, stdSerializers, type Logger, type LoggerOptions } from 'pino';

/**
 * Logs never carry children's text, chat ids or names: callers log counts, kinds and error
 * types. The redact list is a second line of defence for fields that must never appear.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    // `err` is errInfo() (type, code, message: no child text): logged as it is. pino's default
    // serializer would rename its type to "Object"; a raw Error still gets the standard treatment.
    serializers: { err: (e: unknown) => (e instanceof Error ? stdSerializers.err(e) : e) },
    redact: {
      paths: ['text', '*.text', 'chatKey', '*.chatKey', 'userKey', 'password', '*.password', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
