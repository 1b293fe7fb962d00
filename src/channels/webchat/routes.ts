import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { errInfo } from '../../core/errors.js';
import type { ContentSource } from '../../core/ports.js';
import type { ChatView } from '../../core/use-cases/channel-gateway.js';
import type { ChannelCore } from '../channel.js';
import { TokenBucket } from './rate-limit.js';
import { WEBCHAT, type WebChatHub } from './hub.js';

export interface WebChatOptions {
  core: ChannelCore;
  hub: WebChatHub;
  content: ContentSource;
  /** Frame size limit (bytes); larger frames close the socket with 1009. */
  maxFrameBytes?: number;
  burst?: number;
  perSecond?: number;
}

const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), text: z.string(), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('button'), value: z.string().max(200), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('ping') }),
]);

export async function webchatRoutes(app: FastifyInstance, opts: WebChatOptions): Promise<void> {
  const { core, hub } = opts;

  app.get<{ Querystring: { session?: string; lang?: string } }>('/webchat/ws', { websocket: true }, async (socket: WebSocket, req) => {
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    // Messages that arrive while the session is being set up wait here, in order.
    const early: Buffer[] = [];
    let onMessage: ((data: Buffer) => void) | null = null;
    socket.on('message', (data: Buffer) => (onMessage ? onMessage(data) : early.push(data)));

    let conv: ChatView;
    try {
      const resumed = typeof req.query.session === 'string' ? await core.resume(WEBCHAT, req.query.session) : null;
      // A new child: the chat key is random and only this browser knows the conversation id.
      conv = resumed ?? (await core.open(WEBCHAT, `w-${crypto.randomUUID()}`, req.query.lang ?? req.headers['accept-language']));
    } catch (err) {
      req.log.error({ err: errInfo(err) }, 'web chat session could not start');
      send({ type: 'message', text: opts.content().i18n.t(opts.content().i18n.resolve(req.query.lang), 'fallback-error'), from: 'bot' });
      socket.close(1011, 'unavailable');
      return;
    }
    const chatKey = conv.chatKey;
    hub.add(chatKey, socket);
    socket.on('close', () => hub.remove(chatKey, socket));
    send({ type: 'session', id: conv.id, locale: conv.locale });
    try {
      const past = await core.history(conv.id);
      if (past.length) send({ type: 'history', messages: past });
    } catch {
      // History is a convenience; the conversation goes on without it.
    }

    const bucket = new TokenBucket(opts.burst ?? 8, opts.perSecond ?? 2);
    let warnedAt = 0;
    const handle = async (data: Buffer) => {
      let frame: z.infer<typeof frameSchema>;
      try {
        const parsed = frameSchema.safeParse(JSON.parse(data.toString('utf8')));
        if (!parsed.success) {
          send({ type: 'error', error: 'unknown frame: expected {"type":"message","text":…} or {"type":"button","value":…}' });
          return;
        }
        frame = parsed.data;
      } catch {
        send({ type: 'error', error: 'frames must be JSON' });
        return;
      }
      if (frame.type === 'ping') return send({ type: 'pong' });
      if (frame.type === 'typing') {
        await core.typing(WEBCHAT, chatKey).catch(() => undefined);
        return;
      }
      if (!bucket.take()) {
        const now = Date.now();
        if (now - warnedAt > 5000) {
          warnedAt = now;
          const c = opts.content();
          send({ type: 'message', text: c.i18n.t(conv.locale, 'rate-limited'), from: 'bot' });
        }
        send({ type: 'error', error: 'rate limited', id: frame.id });
        return;
      }
      if (frame.type === 'message' && !frame.text.trim()) return send({ type: 'error', error: 'empty message', id: frame.id });
      send({ type: 'typing' });
      // A resent frame (after reconnect) carries the same id: the core processes it once.
      const base = { channel: WEBCHAT, chatKey, userKey: chatKey, platformMessageId: frame.id };
      const outcome = await core.handle(
        frame.type === 'message' ? { ...base, kind: 'text', text: frame.text.trim() } : { ...base, kind: 'button', value: frame.value },
      );
      if (outcome === 'duplicate') return frame.id ? send({ type: 'ack', id: frame.id, duplicate: true }) : undefined;
      // Not stored (the store is down): never acknowledged, so the page sends it again until it is.
      if (outcome === 'failed') return send({ type: 'error', id: frame.id, error: 'not stored; send it again', retry: true });
      // The conversation may have been replaced (a closed one restarts): tell the page.
      const current = await core.current(WEBCHAT, chatKey).catch(() => null);
      if (current && current.id !== conv.id) {
        conv = current;
        send({ type: 'session', id: current.id, locale: conv.locale });
      }
      if (frame.id) send({ type: 'ack', id: frame.id });
    };

    // One frame at a time per socket keeps the child's order.
    let chain = Promise.resolve();
    onMessage = (data) => {
      chain = chain.then(() => handle(data)).catch((err) => req.log.error({ err: errInfo(err) }, 'web chat frame failed'));
    };
    for (const data of early.splice(0)) onMessage(data);
  });
}
