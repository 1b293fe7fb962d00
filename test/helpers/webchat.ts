import { chatKeyOfSecret } from '../../src/channels/webchat/routes.js';
import type { ConversationStore } from '../../src/core/ports.js';

type HasStore = { store: Pick<ConversationStore, 'findChat'> } | Pick<ConversationStore, 'findChat'>;

/** The conversation id staff see, for a web chat child's resume secret (null before the first message). */
export async function conversationOf(app: HasStore, secret: string): Promise<string | null> {
  const store = 'store' in app ? app.store : app;
  return store.findChat('webchat', chatKeyOfSecret(String(secret)));
}

/** The same, waiting for the child's first message to have made the conversation. */
export async function conversationOfSoon(app: HasStore, secret: string, timeoutMs = 5000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const id = await conversationOf(app, secret);
    if (id) return id;
    if (Date.now() > end) throw new Error('no conversation for this web chat session');
    await new Promise((r) => setTimeout(r, 20));
  }
}
