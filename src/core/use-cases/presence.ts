import type { PresenceStore } from '../ports.js';

/**
 * Two facts about a counselor, both shared through the store:
 * - connected: a console sent a heartbeat within the grace period (else their chats go back to the queue);
 * - available: they marked themselves available AND are connected (store presence, counted by the service state).
 */
export class Presence {
  constructor(
    private store: PresenceStore,
    /** How long a counselor may be silent before their chats are returned. */
    readonly graceMs: number,
    /** How long "available" lasts without a heartbeat. */
    readonly presenceTtlMs: number,
  ) {}

  async setAvailable(id: string, available: boolean): Promise<void> {
    await this.store.setAvailability(id, available);
    if (available) await this.store.setPresence(id, this.presenceTtlMs);
    else await this.store.clearPresence(id);
  }

  async isAvailable(id: string): Promise<boolean> {
    return this.store.isAvailabilitySet(id);
  }

  /** A sign of life from a console (socket heartbeat or any API call). */
  async heartbeat(id: string): Promise<void> {
    await this.store.markSeen(id, this.graceMs);
    if (await this.isAvailable(id)) await this.store.setPresence(id, this.presenceTtlMs);
  }

  async isConnected(id: string): Promise<boolean> {
    return this.store.isSeen(id);
  }

  /** Counselors available right now. */
  async available(): Promise<string[]> {
    return this.store.listPresent();
  }
}
