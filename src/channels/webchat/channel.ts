import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../core/ports.js';
import type { Channel, ChannelDeps } from '../channel.js';
import { WEBCHAT, WebChatHub } from './hub.js';
import { PRESENCE_TTL_MS, webchatRoutes, type WebChatOptions } from './routes.js';
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

  private beat: NodeJS.Timeout | null = null;

  async routes(app: FastifyInstance): Promise<void> {
    // Open sockets would hold the server's close: they go first (1001, "server shutting down").
    app.addHook('preClose', async () => {
      this.stopBeat();
      this.sender.closeAll();
    });
    // An open page is a child who is there: a beat for each well inside the presence lifetime, so
    // a crashed instance's children turn offline within PRESENCE_TTL_MS.
    this.beat = setInterval(() => {
      for (const key of this.sender.chatKeys()) void this.deps.core.present(WEBCHAT, key, 'beat', PRESENCE_TTL_MS).catch(() => undefined);
    }, PRESENCE_TTL_MS / 3);
    this.beat.unref();
    const { core, content } = this.deps;
    await app.register(webchatRoutes, { core, hub: this.sender, content, ...this.limits });
    await app.register(webchatUiRoute, { content, exitUrl: this.deps.exitUrl });
  }

  private stopBeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }

  async stop(): Promise<void> {
    this.stopBeat();
    this.sender.closeAll();
  }
}
