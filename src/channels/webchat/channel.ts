import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../core/ports.js';
import type { Channel, ChannelDeps } from '../channel.js';
import { WEBCHAT, WebChatHub } from './hub.js';
import { webchatRoutes, type WebChatOptions } from './routes.js';
import { webchatUiRoute } from './ui-route.js';

export { WEBCHAT };

/** The built-in web chat: a WebSocket per browser tab; replies to a tab on another instance travel over the event bus. */
export class WebChatChannel implements Channel {
  readonly id = WEBCHAT;
  readonly sender: WebChatHub;

  constructor(
    private deps: Pick<ChannelDeps, 'core' | 'content'> & { bus: EventBus; /** QUICK_EXIT_URL */ exitUrl: string },
    private limits: Pick<WebChatOptions, 'maxFrameBytes' | 'burst' | 'perSecond' | 'resumesPerMinute'> = {},
  ) {
    this.sender = new WebChatHub(deps.bus);
  }

  async routes(app: FastifyInstance): Promise<void> {
    // Open sockets would hold the server's close: they go first (1001, "server shutting down").
    app.addHook('preClose', async () => this.sender.closeAll());
    const { core, content } = this.deps;
    await app.register(webchatRoutes, { core, hub: this.sender, content, ...this.limits });
    await app.register(webchatUiRoute, { content, exitUrl: this.deps.exitUrl });
  }

  async stop(): Promise<void> {
    this.sender.closeAll();
  }
}
