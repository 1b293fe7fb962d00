import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Engine } from '../../core/engine.js';
import type { Store } from '../../store/store.js';
import { createAdapter } from './adapter.js';
import { BotFrameworkRecords } from './references.js';
import { botframeworkRoutes } from './routes.js';
import { BotFrameworkSender } from './sender.js';
import { createTurnHandler } from './turn.js';

export { BOTFRAMEWORK } from './activity.js';

export interface BotFrameworkChannel {
  /** Register in the Delivery under BOTFRAMEWORK. */
  sender: BotFrameworkSender;
  /** Register on the server once the engine exists: POST /api/messages. */
  routes: (app: FastifyInstance, opts: { engine: Engine }) => Promise<void>;
  local: boolean;
}

export interface BotFrameworkChannelOptions {
  config: Pick<
    Config,
    'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TYPE' | 'MICROSOFT_APP_TENANT_ID' | 'BOTFRAMEWORK_LOCAL' | 'BOTFRAMEWORK_HANDOFF_EVENT'
  >;
  store: Store;
  log: Logger;
  /** How long conversation references live (the transcript retention). */
  referenceTtlMs: number;
}

/** The Bot Framework channel (Teams, Slack, Facebook, Web Chat, … via Azure Bot Service). */
export function createBotFramework(opts: BotFrameworkChannelOptions): BotFrameworkChannel {
  const { adapter, appId, local } = createAdapter(opts.config, opts.log);
  const records = new BotFrameworkRecords(opts.store, opts.referenceTtlMs);
  const sender = new BotFrameworkSender(adapter, records, appId);
  const routes = async (app: FastifyInstance, { engine }: { engine: Engine }) => {
    const handler = createTurnHandler({ engine, sender, records, log: opts.log, handoffEvent: opts.config.BOTFRAMEWORK_HANDOFF_EVENT });
    await botframeworkRoutes(app, { adapter, handler, local });
  };
  return { sender, routes, local };
}
