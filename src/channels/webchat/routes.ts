import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Engine } from '../../core/engine.js';
import { errInfo } from '../../core/engine.js';
import type { Conversation, TranscriptEntry } from '../../core/types.js';
import type { Content } from '../../content/load.js';
import { TokenBucket } from './rate-limit.js';
import { WEBCHAT, type WebChatHub } from './hub.js';

export interface WebChatOptions {
  engine: Engine;
  hub: WebChatHub;
  content: () => Content;
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

/** The child's view of the transcript: what they and the bot or counselor said, nothing internal. */
function history(entries: TranscriptEntry[]) {
  return entries
    .filter((e) => e.from === 'child' || e.from === 'bot' || e.from === 'counselor')
    .slice(-100)
    .map((e) => ({ from: e.from, text: e.text, at: e.at }));
}

export async function webchatRoutes(app: FastifyInstance, opts: WebChatOptions): Promise<void> {
  const { engine, hub } = opts;
  const store = engine.store;

  app.get<{ Querystring: { session?: string; lang?: string } }>('/webchat/ws', { websocket: true }, async (socket: WebSocket, req) => {
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    // Messages that arrive while the session is being set up wait here, in order.
    const early: Buffer[] = [];
    let onMessage: ((data: Buffer) => void) | null = null;
    socket.on('message', (data: Buffer) => (onMessage ? onMessage(data) : early.push(data)));

    let conv: Conversation;
    try {
      const resume = typeof req.query.session === 'string' ? await store.getConversation(req.query.session) : null;
      if (resume && resume.channel === WEBCHAT) {
        conv = (await engine.open(WEBCHAT, resume.chatKey, resume.locale)).conv;
      } else {
        // A new child: the chat key is random and only this browser knows the conversation id.
        const chatKey = `w-${crypto.randomUUID()}`;
        conv = (await engine.open(WEBCHAT, chatKey, req.query.lang ?? req.headers['accept-language'])).conv;
      }
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
      const past = history(await store.getTranscript(conv.id));
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
        const id = await store.findChat(WEBCHAT, chatKey).catch(() => null);
        if (id) await engine.childTyping(id).catch(() => undefined);
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
      // A resent frame (after reconnect) is acknowledged but not processed twice.
      if (frame.id) {
        const fresh = await store.markOnce(`webchat:${chatKey}:${frame.id}`, 24 * 3600_000).catch(() => true);
        if (!fresh) return send({ type: 'ack', id: frame.id, duplicate: true });
      }
      send({ type: 'typing' });
      if (frame.type === 'message') {
        const text = frame.text.trim();
        if (!text) return send({ type: 'error', error: 'empty message', id: frame.id });
        await engine.handleInbound({ channel: WEBCHAT, chatKey, userKey: chatKey, kind: 'text', text });
      } else {
        await engine.handleInbound({ channel: WEBCHAT, chatKey, userKey: chatKey, kind: 'button', value: frame.value });
      }
      // The conversation may have been replaced (a closed one restarts): tell the page.
      const current = await store.findChat(WEBCHAT, chatKey).catch(() => null);
      if (current && current !== conv.id) {
        conv = (await store.getConversation(current)) ?? conv;
        send({ type: 'session', id: current, locale: conv.locale });
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
