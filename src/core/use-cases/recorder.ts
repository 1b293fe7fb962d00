// Hands a conversation's contact record to the outbox after the live step (the close, the
// feedback answer, an abandoned wait). A failure to queue it is logged and never reaches the
// child or the counselor: the live step already happened.
import { errInfo } from '../errors.js';
import type { Log, RecordOutbox } from '../ports.js';
import type { ProfileKey } from '../profiles.js';
import { toRecord } from '../records.js';
import type { Conversation } from '../types.js';

export class Recorder {
  constructor(
    private outbox: RecordOutbox,
    private log: Log,
    /** PROFILE_SECRET's HMAC of channel and chat key; absent: no profiles. */
    private profileKey?: ProfileKey,
  ) {}

  async push(conv: Conversation): Promise<void> {
    try {
      const profile = this.profileKey?.(conv.channel, conv.chatKey);
      await this.outbox.pushRecord(profile ? { record: toRecord(conv), profile } : { record: toRecord(conv) });
    } catch (err) {
      this.log.warn({ err: errInfo(err) }, 'contact record not queued');
    }
  }
}
