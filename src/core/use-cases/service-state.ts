import { errInfo } from '../errors.js';
import type { OpeningHours } from '../opening-hours.js';
import type { Clock, Log, Observer, PresenceStore, ServiceState } from '../ports.js';

/** Presence is read at most this often: it is asked on every message and changes slowly. */
const PRESENCE_CACHE_MS = 1000;

/**
 * Whether the chat is on shift and how many counselors are available. Never throws: when hours
 * or presence cannot be read the child is told nobody is available (the numbers still come), and
 * the failure is logged and counted, so "closed" caused by a fault is visible.
 */
export class ServiceStatus {
  private present = { at: Number.NEGATIVE_INFINITY, count: 0 };
  private next: { minute: number; value: ServiceState['next'] } = { minute: -1, value: null };

  constructor(
    private hours: OpeningHours,
    private presence: Pick<PresenceStore, 'listPresent'>,
    private log: Log,
    private observer: Observer,
    private now: Clock,
  ) {}

  async current(): Promise<ServiceState> {
    try {
      const open = this.hours.isOpen(this.now());
      if (open && this.now() - this.present.at > PRESENCE_CACHE_MS) {
        this.present = { at: this.now(), count: (await this.presence.listPresent()).length };
      }
      if (!open) {
        // Worked out once a minute at most: every message of a closed chat asks.
        const minute = Math.floor(this.now() / 60_000);
        if (this.next.minute !== minute) {
          const n = this.hours.nextOpening?.(this.now()) ?? null;
          this.next = { minute, value: n && { day: n.day, time: n.time } };
        }
        return { open, countersAvailable: 0, next: this.next.value };
      }
      return { open, countersAvailable: this.present.count };
    } catch (err) {
      this.log.error({ err: errInfo(err) }, 'service state unavailable (opening hours or presence); telling the child nobody is available');
      this.observer.serviceStateError();
      return { open: false, countersAvailable: 0 };
    }
  }
}
