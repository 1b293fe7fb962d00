import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelDeps } from '../channel.js';
import { BOTFRAMEWORK } from './activity.js';
import { createAdapter, type BotFrameworkConfig } from './adapter.js';
import { BotFrameworkRecords } from './references.js';
import { botframeworkRoutes } from './routes.js';
import { BotFrameworkSender } from './sender.js';
import { createTurnHandler } from './turn.js';

export { BOTFRAMEWORK };

export interface BotFrameworkSettings extends BotFrameworkConfig {
  /** Also emit the Bot Framework handoff.initiate event (with the transcript) when a child is queued. */
  BOTFRAMEWORK_HANDOFF_EVENT: boolean;
  /** How long conversation references live (the transcript retention). */
  referenceTtlMs: number;
}

/** The Bot Framework channel (Teams, Slack, Facebook, Web Chat, … via Azure Bot Service): POST /api/messages. */
export class BotFrameworkChannel implements Channel {
  readonly id = BOTFRAMEWORK;
  readonly sender: BotFrameworkSender;
  readonly local: boolean;
  private adapter;
  private records: BotFrameworkRecords;

  constructor(
    private settings: BotFrameworkSettings,
    private deps: ChannelDeps,
  ) {
    const { adapter, appId, local } = createAdapter(settings, deps.log);
    this.adapter = adapter;
    this.local = local;
    this.records = new BotFrameworkRecords(deps.state, settings.referenceTtlMs);
    this.sender = new BotFrameworkSender(adapter, this.records, appId);
  }

  async routes(app: FastifyInstance): Promise<void> {
    const handler = createTurnHandler({
      core: this.deps.core,
      sender: this.sender,
      records: this.records,
      log: this.deps.log,
      handoffEvent: this.settings.BOTFRAMEWORK_HANDOFF_EVENT,
    });
    await botframeworkRoutes(app, { adapter: this.adapter, handler, local: this.local });
  }
}
