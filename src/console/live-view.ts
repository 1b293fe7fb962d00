import type { Core } from '../core/core.js';
import type { LiveChat } from '../core/use-cases/safety.js';
import type { Accounts } from './accounts.js';
import { atLeast, type Role } from './roles.js';

export interface CounselorOnShift {
  id: string;
  role: Role;
  online: boolean;
  available: boolean;
  /** Live chats held now. */
  holding: number;
  /** High or imminent chats closed this shift (the last SESSION_HOURS). */
  heavyChats: number;
}

export interface LiveView {
  at: number;
  chats: LiveChat[];
  counselors: CounselorOnShift[];
  /** Supervisors and admins with a live console (0: the counselors are told imminent chats have nobody to acknowledge them). */
  supervisorsOnline: number;
  maxChats: number;
}

/** The supervisor's live view: every chat, and who carries what this shift. */
export async function liveView(core: Core, accounts: Accounts, opts: { shiftMs: number; maxChats: number; now?: () => number }): Promise<LiveView> {
  const now = (opts.now ?? Date.now)();
  const [chats, list, available] = await Promise.all([core.safety.live(), accounts.list(), core.presence.available()]);
  const staff = list.filter((a) => !a.disabled && atLeast(a.role, 'counselor'));
  const online = await Promise.all(staff.map((a) => core.presence.isConnected(a.id)));
  const heavy = await core.queries.heavyChats(
    staff.map((a) => a.id),
    now - opts.shiftMs,
  );
  const holding = new Map<string, number>();
  for (const c of chats) if (c.state === 'with_counselor' && c.counselorId) holding.set(c.counselorId, (holding.get(c.counselorId) ?? 0) + 1);
  const avail = new Set(available);
  const counselors = staff.map((a, i) => ({
    id: a.id,
    role: a.role,
    online: online[i]!,
    available: avail.has(a.id),
    holding: holding.get(a.id) ?? 0,
    heavyChats: heavy.get(a.id) ?? 0,
  }));
  const supervisorsOnline = counselors.filter((c) => c.online && atLeast(c.role, 'supervisor')).length;
  // Most urgent first: imminent unacknowledged, raised hands, then by risk and wait.
  const rank = (c: LiveChat) => (c.risk === 'imminent' && !c.imminent?.ackAt ? 0 : c.hand ? 1 : 2);
  const riskOrder = ['imminent', 'high', 'medium', 'low', 'none'];
  chats.sort((a, b) => rank(a) - rank(b) || riskOrder.indexOf(a.risk) - riskOrder.indexOf(b.risk) || (a.waitingSince ?? a.lastChildAt ?? 0) - (b.waitingSince ?? b.lastChildAt ?? 0));
  return { at: now, chats, counselors, supervisorsOnline, maxChats: opts.maxChats };
}
