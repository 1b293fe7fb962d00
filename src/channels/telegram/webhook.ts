import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { webhookCallback, type Bot } from 'grammy';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram gives up on a slow webhook and sends the update again; answer well before that. */
const ANSWER_WITHIN_MS = 8000;

// The parts of an update the channel reads, with their types: a body that is not shaped like an
// update gets 400 here instead of failing later as if the service were broken (500 → redelivery).
const user = { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, is_bot: { type: 'boolean' }, language_code: { type: 'string' } } };
const chat = { type: 'object', required: ['id', 'type'], properties: { id: { type: 'integer' }, type: { type: 'string' } } };
const entity = { type: 'object', required: ['type', 'offset', 'length'], properties: { type: { type: 'string' }, offset: { type: 'integer' }, length: { type: 'integer' } } };
const message = {
  type: 'object',
  required: ['message_id', 'chat'],
  properties: {
    message_id: { type: 'integer' },
    chat,
    from: user,
    date: { type: 'integer' },
    text: { type: 'string' },
    caption: { type: 'string' },
    entities: { type: 'array', items: entity },
    caption_entities: { type: 'array', items: entity },
  },
};
const UPDATE_SCHEMA = {
  type: 'object',
  required: ['update_id'],
  properties: {
    update_id: { type: 'integer', minimum: 0 },
    message,
    edited_message: message,
    callback_query: {
      type: 'object',
      required: ['id', 'from'],
      properties: { id: { type: 'string' }, from: user, data: { type: 'string' }, message },
    },
    my_chat_member: { type: 'object', required: ['chat', 'from'], properties: { chat, from: user } },
  },
};

function sameSecret(got: unknown, secret: Buffer): boolean {
  if (typeof got !== 'string') return false;
  const b = Buffer.from(got);
  return b.length === secret.length && timingSafeEqual(b, secret);
}

export interface WebhookOptions {
  bot: Bot;
  secret: string;
}

/**
 * POST /telegram/webhook through grammY's webhookCallback. The secret is checked before the body
 * is read (401), the body must be an update (400); an update that fails gets 500 so that Telegram
 * sends it again. A slow update is answered 200 after a few seconds and finishes in the background,
 * so one busy chat cannot hold Telegram's connections.
 */
export async function telegramWebhookRoutes(app: FastifyInstance, opts: WebhookOptions): Promise<void> {
  const secret = Buffer.from(opts.secret);
  const callback = webhookCallback(opts.bot, 'fastify', {
    secretToken: opts.secret,
    onTimeout: 'return',
    timeoutMilliseconds: ANSWER_WITHIN_MS,
  });

  app.post(
    WEBHOOK_PATH,
    {
      onRequest: async (req, reply) => {
        if (!sameSecret(req.headers[SECRET_HEADER], secret)) {
          return reply.code(401).send({ error: 'wrong or missing X-Telegram-Bot-Api-Secret-Token' });
        }
      },
      schema: { body: UPDATE_SCHEMA },
    },
    async (req, reply) => {
      try {
        await callback(req, reply);
      } catch {
        // Logged where it failed (the de-duplication middleware), without the update's content.
        if (!reply.sent) return reply.code(500).send({ error: 'the update could not be processed; send it again' });
      }
      return reply;
    },
  );
}
