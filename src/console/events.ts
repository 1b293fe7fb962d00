import type { WebSocket } from 'ws';
import { errInfo } from '../core/errors.js';
import type { Log } from '../core/ports.js';
import type { StoreEvent } from '../core/types.js';
import type { Presence } from '../core/use-cases/presence.js';
import type { StaffQueries } from '../core/use-cases/queries.js';
import { atLeast, type Role } from './roles.js';

const supervises = (staff: { role: Role }) => atLeast(staff.role, 'supervisor');
import { frame, type LiveViewPayload } from './schemas.js';
import { canRead, queueView } from './views.js';

interface Client {
  socket: WebSocket;
  staff: { id: string; role: Role };
  /** The hash of the session it was opened with: it closes when that session ends. */
  session: string;
  /** Conversations whose messages and typing this console receives (checked with canRead). */
  watching: Set<string>;
  alive: boolean;
}

export interface ConsoleHubOptions {
  queries: StaffQueries;
  presence: Presence;
  log: Log;
  /** Heartbeat period: presence refresh and dead-socket detection. */
  heartbeatMs: number;
  /** Queue snapshots are coalesced over this window (alerts are never delayed). */
  queueDebounceMs?: number;
  /** Items in a pushed snapshot: a screenful; the total is always sent. */
  queueLimit?: number;
  /** The supervisor's live view, pushed to supervisor and admin consoles (coalesced over liveDebounceMs). */
  liveView?: () => Promise<LiveViewPayload>;
  /** Default 1000: a live view a second behind is live enough and costs one pass per second at most. */
  liveDebounceMs?: number;
}

/**
 * The console's live feed. One store subscription per process fans out to this process's
 * consoles: alerts, queue snapshots and conversation states to every counselor; messages and
 * typing only to consoles watching that conversation and allowed to read it.
 */
export class ConsoleHub {
  private clients = new Set<Client>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private queueTimer: NodeJS.Timeout | null = null;
  private queueRunning = false;
  private queueAgain = false;
  private liveTimer: NodeJS.Timeout | null = null;
  private liveRunning = false;

  constructor(private opts: ConsoleHubOptions) {}

  start(): void {
    this.unsubscribe = this.opts.queries.subscribe((event) => this.onEvent(event));
    this.timer = setInterval(() => void this.heartbeat(), this.opts.heartbeatMs);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** A console connected; sends it the queue right away. */
  add(socket: WebSocket, staff: { id: string; role: Role }, session: string): Client {
    const client: Client = { socket, staff, session, watching: new Set(), alive: true };
    this.clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => this.clients.delete(client));
    void this.opts.presence.heartbeat(staff.id).catch(() => undefined);
    this.send(client, frame({ type: 'hello', user: staff }));
    void queueView(this.opts.queries, this.opts.queueLimit ?? 50)
      .then((q) => this.send(client, frame({ type: 'queue', ...q })))
      .catch((err) => this.opts.log.warn({ err: errInfo(err) }, 'queue snapshot failed'));
    if (supervises(staff)) this.scheduleLive(0);
    return client;
  }

  /** Start receiving a conversation's messages, when the staff member may read it. */
  async watch(client: Client, id: string): Promise<boolean> {
    const conv = await this.opts.queries.get(id);
    if (!conv || !canRead(client.staff, conv)) return false;
    client.watching.add(id);
    return true;
  }

  unwatch(client: Client, id: string): void {
    client.watching.delete(id);
  }

  private send(client: Client, wire: string): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(wire);
  }

  private broadcast(wire: string): void {
    for (const c of this.clients) this.send(c, wire);
  }

  private onEvent(event: StoreEvent): void {
    if (event.type !== 'deliver' && event.type !== 'staff' && event.type !== 'typing') this.scheduleLive();
    switch (event.type) {
      case 'safety': {
        // Supervisors and admins hear everything; the counselor holding the chat hears what concerns it.
        const wire = frame(event);
        for (const c of this.clients) if (supervises(c.staff) || c.staff.id === event.counselorId) this.send(c, wire);
        break;
      }
      case 'transferred': {
        const wire = frame(event);
        for (const c of this.clients) if (c.staff.id === event.to) this.send(c, wire);
        break;
      }
      case 'no_supervisor': {
        const wire = frame(event);
        for (const c of this.clients) if (c.staff.id === event.counselorId) this.send(c, wire);
        break;
      }
      case 'abandoned': {
        // For supervisors: a child left the queue unseen (no text in it).
        const wire = frame({ type: 'abandoned', id: event.id, risk: event.risk, at: event.at });
        for (const c of this.clients) if (supervises(c.staff)) this.send(c, wire);
        break;
      }
      case 'alert':
        // The one frame that must be fast: no store round trip before it goes out.
        this.broadcast(
          frame({ type: 'alert', id: event.id, risk: event.risk, topic: event.topic, at: Date.now(), ...(event.flood ? { flood: true } : {}), ...(event.counselorId ? { counselorId: event.counselorId } : {}) }),
        );
        break;
      case 'queue':
        this.scheduleQueue();
        break;
      case 'message':
      case 'typing': {
        let wire: string | null = null;
        for (const c of this.clients) {
          if (!c.watching.has(event.id)) continue;
          wire ??= frame(event);
          this.send(c, wire);
        }
        break;
      }
      case 'conversation':
        void this.onConversation(event.id).catch((err) => this.opts.log.warn({ err: errInfo(err) }, 'conversation event failed'));
        break;
      case 'staff':
        this.onStaff(event);
        break;
    }
  }

  /**
   * An account changed: its consoles stop receiving at once. 4401 tells the console to sign in
   * again (the session is over); 4000 to reconnect (a new role).
   */
  private onStaff(event: Extract<StoreEvent, { type: 'staff' }>): void {
    for (const c of this.clients) {
      if (c.staff.id !== event.staffId) continue;
      if (event.change === 'signed_out' && c.session !== event.session) continue;
      if (event.change === 'sessions_ended' && c.session === event.keepSession) continue;
      const [code, reason] = event.change === 'role' ? [4000, 'your role changed'] : [4401, event.change === 'disabled' ? 'account disabled' : 'session ended'];
      c.watching.clear();
      this.clients.delete(c);
      c.socket.close(code, reason);
    }
  }

  /** A state change: every console learns it (no text in it); watchers who may no longer read lose the feed. */
  private async onConversation(id: string): Promise<void> {
    const conv = await this.opts.queries.get(id);
    if (!conv) return;
    const wire = frame({
      type: 'conversation',
      id,
      state: conv.state,
      risk: conv.risk,
      topic: conv.topic,
      counselorId: conv.counselorId,
    });
    for (const c of this.clients) {
      if (c.watching.has(id) && !canRead(c.staff, conv)) {
        c.watching.delete(id);
        this.send(c, frame({ type: 'unwatch', id, reason: 'taken by another counselor' }));
      }
      this.send(c, wire);
    }
  }

  private scheduleLive(delay = this.opts.liveDebounceMs ?? 1000): void {
    if (this.liveTimer || !this.opts.liveView) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      void this.pushLive();
    }, delay);
  }

  private async pushLive(): Promise<void> {
    const watchers = [...this.clients].filter((c) => supervises(c.staff));
    if (!watchers.length || !this.opts.liveView) return;
    if (this.liveRunning) return this.scheduleLive();
    this.liveRunning = true;
    try {
      const wire = frame({ type: 'live', ...(await this.opts.liveView()) });
      for (const c of this.clients) if (supervises(c.staff)) this.send(c, wire);
    } catch (err) {
      this.opts.log.warn({ err: errInfo(err) }, 'live view snapshot failed');
    } finally {
      this.liveRunning = false;
    }
  }

  private scheduleQueue(): void {
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = null;
      void this.pushQueue();
    }, this.opts.queueDebounceMs ?? 250);
  }

  private async pushQueue(): Promise<void> {
    if (this.clients.size === 0) return;
    if (this.queueRunning) {
      this.queueAgain = true;
      return;
    }
    this.queueRunning = true;
    try {
      const q = await queueView(this.opts.queries, this.opts.queueLimit ?? 50);
      this.broadcast(frame({ type: 'queue', ...q }));
    } catch (err) {
      this.opts.log.warn({ err: errInfo(err) }, 'queue snapshot failed');
    } finally {
      this.queueRunning = false;
      if (this.queueAgain) {
        this.queueAgain = false;
        this.scheduleQueue();
      }
    }
  }

  /** Keeps presence of connected counselors fresh and drops sockets that stopped answering pings. */
  private async heartbeat(): Promise<void> {
    const users = new Set<string>();
    for (const c of this.clients) {
      if (!c.alive) {
        c.socket.terminate();
        this.clients.delete(c);
        continue;
      }
      c.alive = false;
      c.socket.ping();
      users.add(c.staff.id);
    }
    await Promise.all([...users].map((id) => this.opts.presence.heartbeat(id).catch(() => undefined)));
  }

  close(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    if (this.queueTimer) clearTimeout(this.queueTimer);
    if (this.liveTimer) clearTimeout(this.liveTimer);
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
