import type { FastifyInstance } from 'fastify';
import type { ChannelSender, ChannelState, ContentSource, Dedupe, Log } from '../core/ports.js';
import type { ChannelCore } from '../core/use-cases/channel-gateway.js';
import type { ChannelId } from '../core/types.js';

export type { ChannelCore };

/** Everything a channel is built with (plus its own settings). */
export interface ChannelDeps {
  core: ChannelCore;
  /** The channel's own small records (namespaced, with a lifetime, validated on read). */
  state: ChannelState;
  /** For platform-level "once" needs that are not a child's message (e.g. one goodbye per group). */
  dedupe: Dedupe;
  content: ContentSource;
  log: Log;
}

/**
 * One messenger. main.ts registers every configured channel in one loop: its sender for
 * delivery, its routes on the server, then start() after the server listens, stop() at shutdown.
 */
export interface Channel {
  readonly id: ChannelId;
  readonly sender: ChannelSender;
  /** A fastify plugin with the channel's webhook routes, if it has any. */
  routes?(app: FastifyInstance): Promise<void>;
  /** Connect to the platform (webhook registration, long polling). A refused token throws. */
  start?(): Promise<void>;
  /**
   * What a throw from start() means: 'stop-service' (start-up fails with its message) or, by
   * default, 'disable-channel' (one clear line in the log; the other channels keep serving).
   */
  readonly startFailure?: 'stop-service' | 'disable-channel';
  stop?(): Promise<void>;
}
