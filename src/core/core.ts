import type { OpeningHours } from './opening-hours.js';
import { noopObserver, type ChannelSender, type Clock, type ContentSource, type LiveStore, type Log, type Observer, type Triage } from './ports.js';
import { ActionRunner } from './use-cases/actions.js';
import { ChannelGateway } from './use-cases/channel-gateway.js';
import { Conversations } from './use-cases/conversations.js';
import { CounselorActions } from './use-cases/counselor.js';
import { Exclusive } from './use-cases/exclusive.js';
import { InboundHandler } from './use-cases/inbound.js';
import { Outgoing } from './use-cases/outbound.js';
import { Presence } from './use-cases/presence.js';
import { StaffQueries } from './use-cases/queries.js';
import { StaffChanges } from './use-cases/staff-changes.js';
import { ServiceStatus } from './use-cases/service-state.js';
import { WaitingRoom } from './use-cases/waiting-room.js';
import { SafetyNet } from './use-cases/safety.js';
import { Recorder } from './use-cases/recorder.js';
import { identityKeys, profileKeys } from './profiles.js';
import { Blocking } from './use-cases/blocking.js';
import type { SafetySettings } from './safety-net.js';

export interface CoreDeps {
  store: LiveStore;
  triage: () => Triage;
  /** The fallback triage when the main one fails (the lexicon). */
  fallbackTriage: Triage;
  content: ContentSource;
  /** Every channel's sender, by channel id. */
  sender: ChannelSender;
  hours: OpeningHours;
  log: Log;
  maxTextChars: number;
  /** How long a counselor may be silent before their chats go back to the queue. */
  graceMs: number;
  /** A waiting message to queued children this often. */
  waitingMessageMs: number;
  /** A waiting child's place in the queue is told at most this often (default 10 s, or half of waitingMessageMs if less). */
  queueUpdateMs?: number;
  /** New chats from one origin (a web chat address) per minute before they count as a possible flood. Default 20. */
  newChatsPerOriginPerMinute?: number;
  /** COUNSELOR_MAX_CHATS (default 3). */
  maxChatsPerCounselor?: number;
  /** IMMINENT_ACK_SECONDS and QUEUE_ABANDON_MINUTES, in ms (defaults 60 s and 15 min). */
  safety?: Partial<SafetySettings>;
  /** Supervisors and admins with a live console now (default: none known). */
  supervisorsOnline?: () => Promise<number>;
  now?: Clock;
  /** Metrics; labels never carry text or ids. */
  observer?: Observer;
  /** PROFILE_SECRET: each record counts for its identity's pseudonymous profile (unset: no profiles). */
  profileSecret?: string;
}

export interface Core {
  /** What channels may call. */
  channels: ChannelGateway;
  conversations: Conversations;
  inbound: InboundHandler;
  counselor: CounselorActions;
  outgoing: Outgoing;
  presence: Presence;
  queries: StaffQueries;
  staff: StaffChanges;
  service: ServiceStatus;
  waitingRoom: WaitingRoom;
  safety: SafetyNet;
  blocking: Blocking;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Live queue places, at most one per child per 10 s: on a messenger each is a message, and a
 * busy queue (a child leaving or going ahead every few seconds) would otherwise flood the chat.
 */
export const QUEUE_UPDATE_MS = 10_000;

/** Heartbeats well inside the grace period, so one lost beat does not return a counselor's chats. */
export function heartbeatMs(graceMs: number): number {
  return clamp(graceMs / 3, 200, 5000);
}

/** The core's use cases, wired to the ports given. Starts nothing: the waiting room starts with start(). */
export function createCore(deps: CoreDeps): Core {
  const now = deps.now ?? Date.now;
  const observer = deps.observer ?? noopObserver;
  const { store, log, content } = deps;
  const exclusive = new Exclusive(store);
  const presence = new Presence(store, deps.graceMs, heartbeatMs(deps.graceMs) * 3);
  const service = new ServiceStatus(deps.hours, store, log, observer, now);
  const currentService = () => service.current();
  const conversations = new Conversations(store, exclusive, content, now);
  const outgoing = new Outgoing({ store, sender: deps.sender, content, service: currentService, observer, log, now });
  const recorder = new Recorder(store, log, profileKeys(deps.profileSecret));
  const blocking = new Blocking(store, identityKeys(deps.profileSecret), now);
  const counselor = new CounselorActions({ store, conversations, exclusive, outgoing, observer, log, now, maxTextChars: deps.maxTextChars, maxChats: deps.maxChatsPerCounselor ?? 3, recorder });
  const settings: SafetySettings = { ackMs: deps.safety?.ackMs ?? 60_000, abandonMs: deps.safety?.abandonMs ?? 15 * 60_000 };
  const safety = new SafetyNet({
    store,
    conversations,
    exclusive,
    outgoing,
    observer,
    log,
    now,
    settings,
    supervisorsOnline: deps.supervisorsOnline ?? (async () => 0),
    recorder,
    maxTextChars: deps.maxTextChars,
    // A few looks per acknowledgement period: a repeat comes at most a quarter period late.
    tickMs: clamp(settings.ackMs / 4, 250, 5000),
  });
  const actions = new ActionRunner({ store, outgoing, content, observer, now, close: (conv, by) => counselor.closeLocked(conv, by), recorder });
  const inbound = new InboundHandler({
    store,
    conversations,
    exclusive,
    outgoing,
    actions,
    triage: deps.triage,
    fallbackTriage: deps.fallbackTriage,
    content,
    service: currentService,
    observer,
    log,
    now,
    maxTextChars: deps.maxTextChars,
    newChatsPerOriginPerMinute: deps.newChatsPerOriginPerMinute ?? 20,
    comeBack: (conv) => safety.comeBackLocked(conv),
    recorder,
    blocking,
  });
  const waitingRoom = new WaitingRoom({
    store,
    counselor,
    outgoing,
    presence,
    service: currentService,
    log,
    now,
    messageEveryMs: deps.waitingMessageMs,
    statusEveryMs: deps.queueUpdateMs ?? Math.min(QUEUE_UPDATE_MS, deps.waitingMessageMs / 2),
    tickMs: clamp(Math.min(deps.graceMs, deps.waitingMessageMs) / 4, 100, 5000),
  });
  const channels = new ChannelGateway(store, conversations, inbound, counselor, safety);
  const queries = new StaffQueries(store);
  const staff = new StaffChanges(store, counselor, queries, log);
  return { channels, conversations, inbound, counselor, outgoing, presence, queries, staff, service, waitingRoom, safety, blocking };
}
