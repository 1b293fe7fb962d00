import type { FastifyInstance } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { createHash, randomBytes } from 'node:crypto';
import { errInfo } from '../../core/errors.js';
import type { ContentSource } from '../../core/ports.js';
import type { ChatView } from '../../core/use-cases/channel-gateway.js';
import type { ChannelCore } from '../channel.js';
import { addressKey } from '../../core/addresses.js';
import { AddressLimit } from './address-limit.js';
import { TokenBucket } from './rate-limit.js';
import { WEBCHAT, type WebChatHub } from './hub.js';

export interface WebChatOptions {
  core: ChannelCore;
  hub: WebChatHub;
  content: ContentSource;
  /** Resume attempts per address per minute (a wrong secret counts too): guessing is pointless anyway, floods are not. */
  resumesPerMinute?: number;
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

/**
 * The resume secret: 256 random bits that only the child's browser holds. The chat key is its
 * hash, so the store keeps nothing that opens the chat, and staff (who see a separate, random
 * conversation id) cannot open it either.
 */
const newSecret = () => randomBytes(32).toString('base64url');
const SECRET = /^[A-Za-z0-9_-]{43}$/;
export const chatKeyOfSecret = (secret: string) => `w-${createHash('sha256').update(secret).digest('base64url')}`;

/** A child's page counts as open this long after its last beat (beats come every third of it). */
export const PRESENCE_TTL_MS = 60_000;

export async function webchatRoutes(app: FastifyInstance, opts: WebChatOptions): Promise<void> {
  const { core, hub } = opts;
  const resumes = new AddressLimit(opts.resumesPerMinute ?? 20, opts.resumesPerMinute ?? 20);

  app.get<{ Querystring: { session?: string; lang?: string } }>('/webchat/ws', { websocket: true }, async (socket: WebSocket, req) => {
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    // Messages that arrive while the session is being set up wait here, in order.
    const early: Buffer[] = [];
    let onMessage: ((data: Buffer) => void) | null = null;
    socket.on('message', (data: Buffer) => (onMessage ? onMessage(data) : early.push(data)));

    // The child's chat is known by a resume secret only this browser holds. A conversation is
    // made at the first message, not at the first socket.
    const localeHint = req.query.lang ?? req.headers['accept-language'];
    const asked = typeof req.query.session === 'string' && SECRET.test(req.query.session) ? req.query.session : null;
    if (asked && !resumes.take(req.ip)) {
      send({ type: 'error', error: 'too many attempts to resume a chat from this address; try again in a minute' });
      socket.close(4429, 'too many resumes');
      return;
    }
    // A malformed secret (or none) starts a new chat with a new secret.
    const secret = asked ?? newSecret();
    // One household or school: new chats and alerts are capped per origin (a hash, never the address).
    const origin = createHash('sha256').update(`webchat-origin\n${addressKey(req.ip)}`).digest('base64url').slice(0, 22);
    const key = chatKeyOfSecret(secret);
    let conv: ChatView | null = null;
    try {
      if (asked) conv = await core.current(WEBCHAT, key);
    } catch (err) {
      req.log.error({ err: errInfo(err) }, 'web chat session could not start');
      send({ type: 'message', text: opts.content().i18n.t(opts.content().i18n.resolve(req.query.lang), 'fallback-error'), from: 'bot' });
      socket.close(1011, 'unavailable');
      return;
    }
    hub.add(key, socket);
    // Presence for the queue card and the abandoned-queue rule; failures only cost a late "online".
    const present = (signal: 'connect' | 'beat' | 'gone') => void core.present(WEBCHAT, key, signal, PRESENCE_TTL_MS).catch(() => undefined);
    if (conv) present('connect');
    socket.on('close', () => {
      if (hub.remove(key, socket) === 0) present('gone');
    });
    if (conv) hub.watch(conv.id, key);
    // state: after a reload the page knows at once whether the child is waiting (queue bar, leave button).
    send({ type: 'session', id: secret, locale: conv?.locale ?? opts.content().i18n.resolve(localeHint), state: conv?.state ?? null });
    try {
      // The page rebuilds its log from this after every reconnect: the whole chat, not a tail.
      const past = conv ? await core.history(conv.id, 1000) : [];
      if (past.length) send({ type: 'history', messages: past });
    } catch {
      // History is a convenience; the conversation goes on without it.
    }
    // A chat with nothing in it yet opens with the greeting, what is kept and the menu, before the
    // child has to find words. Nothing is stored until the first message, which records it.
    let welcomed = false;
    if (!conv) {
      try {
        const { out } = core.welcome(localeHint);
        send({ ...out, welcome: true });
        welcomed = true;
      } catch (err) {
        req.log.warn({ err: errInfo(err) }, 'web chat welcome failed');
      }
    }

    /** After a frame that was not stored, later frames are refused (to be resent) until it comes again. */
    let holdFor: string | null = null;
    /** The state reads after each answer, in order, off the frames' chain. */
    let following: Promise<void> = Promise.resolve();
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
        await core.typing(WEBCHAT, key).catch(() => undefined);
        return;
      }
      if (!bucket.take()) {
        const now = Date.now();
        if (now - warnedAt > 5000) {
          warnedAt = now;
          const c = opts.content();
          send({ type: 'message', text: c.i18n.t(conv?.locale ?? c.i18n.resolve(localeHint), 'rate-limited'), from: 'bot' });
        }
        // The page shows it as not sent, with a retry: nothing was stored.
        send({ type: 'error', error: 'rate limited', code: 'rate_limited', id: frame.id });
        return;
      }
      if (frame.type === 'message' && !frame.text.trim()) return send({ type: 'error', error: 'empty message', id: frame.id });
      if (holdFor !== null) {
        if (frame.id !== holdFor) return send({ type: 'error', id: frame.id, error: 'an earlier message is not stored yet; send them again in order', retry: true });
        holdFor = null;
      }
      send({ type: 'typing' });
      // A resent frame (after reconnect) carries the same id: the core processes it once.
      const base = { channel: WEBCHAT, chatKey: key, userKey: key, platformMessageId: frame.id, localeHint, origin, ...(welcomed ? { greeted: true } : {}) };
      const outcome = await core.handle(
        frame.type === 'message' ? { ...base, kind: 'text', text: frame.text.trim() } : { ...base, kind: 'button', value: frame.value },
      );
      if (outcome === 'duplicate') return frame.id ? send({ type: 'ack', id: frame.id, duplicate: true }) : undefined;
      // Not stored (the store is down, a lock held by a dead instance): never acknowledged, so the
      // page sends it again; the frames after it wait for it, so the child's order is kept.
      if (outcome === 'failed') {
        if (frame.id) holdFor = frame.id;
        return send({ type: 'error', id: frame.id, error: 'not stored; send it again', retry: true });
      }
      if (frame.id) send({ type: 'ack', id: frame.id });
      // The welcome belongs to the conversation this first message made, not to a later one.
      welcomed = false;
      // Not awaited: the next frame must not wait for these reads. When the store hung right after
      // an answer, a crisis message behind them got its numbers after 2.1 s instead of 1.0 s.
      following = following.then(follow).catch(() => undefined);
    };

    /**
     * The first message makes the conversation (and one after a close, the next): the page follows
     * its state. Two store reads per message, next to a triage that takes far longer.
     */
    const follow = async () => {
      const now = await core.current(WEBCHAT, key).catch(() => null);
      if (!now) return;
      const known = now.id === conv?.id;
      conv = now;
      if (known) return;
      hub.watch(now.id, key);
      // From now on this conversation's presence is known (queue card, abandoned rule).
      present('beat');
      // Its first changes (queued at the first message) were published before this: say it now.
      send({ type: 'state', state: now.state });
    };

    // One frame at a time per socket keeps the child's order.
    let chain = Promise.resolve();
    onMessage = (data) => {
      chain = chain.then(() => handle(data)).catch((err) => req.log.error({ err: errInfo(err) }, 'web chat frame failed'));
    };
    for (const data of early.splice(0)) onMessage(data);
  });
}
