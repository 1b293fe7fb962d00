import { errInfo } from '../errors.js';
import type { EventBus, Log } from '../ports.js';
import type { StaffChange } from '../types.js';
import type { CounselorActions } from './counselor.js';
import type { StaffQueries } from './queries.js';

/**
 * What follows when a staff account changes: every live console of it learns at once, on every
 * instance (a signed-out or disabled console stops receiving children's words), and the chats of
 * an account that can no longer counsel go back to the head of the queue, instead of waiting for
 * the vanished-counselor grace period while the child is stranded.
 */
export class StaffChanges {
  constructor(
    private bus: EventBus,
    private counselor: CounselorActions,
    private queries: StaffQueries,
    private log: Log,
  ) {}

  private publish(staffId: string, change: StaffChange, extra: { session?: string; keepSession?: string } = {}): Promise<void> {
    return this.bus.publish({ type: 'staff', staffId, change, ...extra });
  }

  /** One session ended (sign-out): its consoles close. */
  signedOut(staffId: string, sessionHash: string): Promise<void> {
    return this.publish(staffId, 'signed_out', { session: sessionHash });
  }

  /** Every session ended but `keepSession` (a password change or reset). */
  sessionsEnded(staffId: string, keepSession?: string): Promise<void> {
    return this.publish(staffId, 'sessions_ended', keepSession ? { keepSession } : {});
  }

  /** Disabled, or moved to a role that cannot counsel: consoles close and the chats go back to the queue. */
  async cannotCounsel(staffId: string, change: 'disabled' | 'role'): Promise<number> {
    await this.publish(staffId, change);
    let released = 0;
    for (const conv of await this.queries.live()) {
      if (conv.counselorId !== staffId) continue;
      try {
        await this.counselor.release(conv.id, change === 'disabled' ? 'the counselor account was disabled' : 'the counselor can no longer take chats', 'transfer');
        released++;
      } catch (err) {
        // Closed or claimed meanwhile: nothing to return.
        this.log.debug({ err: errInfo(err) }, 'release after an account change skipped');
      }
    }
    return released;
  }

  /** A new role that can still counsel: consoles reconnect with it. */
  roleChanged(staffId: string): Promise<void> {
    return this.publish(staffId, 'role');
  }
}
