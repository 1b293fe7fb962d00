// Blocking an abusive contact (issue 18): a supervisor blocks the identity behind a conversation
// for 1 to 365 days with a reason; the block expires by itself (the store's TTL). A blocked child
// still gets the helpline and emergency numbers at once, and a crisis message from a blocked
// identity still goes the whole crisis way (queue, alert), so nobody in danger is shut out.
import { InvalidInput, NotFoundError } from '../errors.js';
import type { Block, BlockStore, Clock, ConversationStore } from '../ports.js';
import type { ProfileKey } from '../profiles.js';

export const BLOCK_MIN_DAYS = 1;
export const BLOCK_MAX_DAYS = 365;
const DAY_MS = 24 * 3600_000;

export class Blocking {
  constructor(
    private store: BlockStore & Pick<ConversationStore, 'getConversation'>,
    private identity: ProfileKey,
    private now: Clock,
  ) {}

  async block(conversationId: string, days: number, reason: string, by: string): Promise<Block> {
    if (!Number.isInteger(days) || days < BLOCK_MIN_DAYS || days > BLOCK_MAX_DAYS) throw new InvalidInput(`days is a whole number from ${BLOCK_MIN_DAYS} to ${BLOCK_MAX_DAYS}`);
    const why = reason.trim();
    if (why.length < 3) throw new InvalidInput('a reason is required');
    const conv = await this.store.getConversation(conversationId);
    if (!conv) throw new NotFoundError('no such conversation');
    const block: Block = { until: this.now() + days * DAY_MS, reason: why.slice(0, 500), by };
    await this.store.setBlock(this.identity(conv.channel, conv.chatKey), block, days * DAY_MS);
    return block;
  }

  async unblock(conversationId: string): Promise<void> {
    const conv = await this.store.getConversation(conversationId);
    if (!conv) throw new NotFoundError('no such conversation');
    await this.store.clearBlock(this.identity(conv.channel, conv.chatKey));
  }

  /** The block on this chat's identity, if any and not expired. */
  async of(channel: string, chatKey: string): Promise<Block | null> {
    const b = await this.store.getBlock(this.identity(channel, chatKey));
    return b && b.until > this.now() ? b : null;
  }
}
