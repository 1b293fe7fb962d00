import { describe, expect, it } from 'vitest';
import { abandonActions, ackActions, cooldownAfter, imminentStart, withinCapacity, type WatchedChat } from '../../src/core/safety-net.js';
import { RISKS } from '../../src/core/taxonomy.js';
import { STATES } from '../../src/core/lifecycle.js';

const S = { ackMs: 60_000, abandonMs: 15 * 60_000 };
const T0 = 1_700_000_000_000;

function chat(over: Partial<WatchedChat> = {}): WatchedChat {
  return { id: 'c1', state: 'with_counselor', risk: 'imminent', counselorId: 'anna', imminent: { since: T0 }, ...over };
}

describe('safety net: imminent acknowledgement (pure)', () => {
  it('repeats exactly when IMMINENT_ACK_SECONDS have passed, not a millisecond before', () => {
    expect(ackActions([chat()], 1, T0 + S.ackMs - 1, S)).toEqual([]);
    expect(ackActions([chat()], 1, T0 + S.ackMs, S)).toEqual([{ type: 'repeat_alert', id: 'c1' }]);
  });

  it('counts the next period from the last repeat, so supervisors are reminded every period, not every tick', () => {
    const repeated = chat({ imminent: { since: T0, repeatedAt: T0 + S.ackMs, repeats: 1 } });
    expect(ackActions([repeated], 1, T0 + S.ackMs + 1000, S)).toEqual([]);
    expect(ackActions([repeated], 1, T0 + 2 * S.ackMs, S)).toEqual([{ type: 'repeat_alert', id: 'c1' }]);
  });

  it('stops once acknowledged, for every later time', () => {
    const acked = chat({ imminent: { since: T0, ackAt: T0 + 5, ackBy: 'sveta' } });
    for (const dt of [S.ackMs, 10 * S.ackMs, 1000 * S.ackMs]) expect(ackActions([acked], 0, T0 + dt, S)).toEqual([]);
  });

  it('tells the counselor holding the chat when no supervisor is online, and only then', () => {
    expect(ackActions([chat()], 0, T0 + S.ackMs, S)).toEqual([
      { type: 'repeat_alert', id: 'c1' },
      { type: 'tell_no_supervisor', id: 'c1', counselorId: 'anna' },
    ]);
    expect(ackActions([chat()], 2, T0 + S.ackMs, S).map((a) => a.type)).toEqual(['repeat_alert']);
    // A waiting child has nobody holding it: the repeat goes out, there is no counselor to tell.
    expect(ackActions([chat({ state: 'queued', counselorId: undefined })], 0, T0 + S.ackMs, S).map((a) => a.type)).toEqual(['repeat_alert']);
  });

  it('watches only open imminent conversations that have a watch, for every state and risk', () => {
    for (const state of STATES) {
      for (const risk of RISKS) {
        const out = ackActions([chat({ state, risk })], 1, T0 + S.ackMs, S);
        expect(out.length).toBe(risk === 'imminent' && state !== 'closed' ? 1 : 0);
      }
    }
    expect(ackActions([chat({ imminent: undefined })], 1, T0 + S.ackMs, S)).toEqual([]);
  });

  it('starts the clock once, when the conversation first becomes imminent', () => {
    expect(imminentStart({ risk: 'high', imminent: undefined }, T0)).toBeUndefined();
    expect(imminentStart({ risk: 'imminent', imminent: undefined }, T0)).toEqual({ since: T0 });
    const kept = { since: T0 - 5, ackAt: T0 - 1, ackBy: 'sveta' };
    expect(imminentStart({ risk: 'imminent', imminent: kept }, T0)).toBe(kept);
  });
});

describe('safety net: abandoned queue places (pure)', () => {
  it('lets a child go only when offline for QUEUE_ABANDON_MINUTES', () => {
    const gone = (lastSeen: number) => [{ id: 'w', presence: { online: false, lastSeen } }];
    expect(abandonActions(gone(T0), T0 + S.abandonMs - 1, S)).toEqual([]);
    expect(abandonActions(gone(T0), T0 + S.abandonMs, S)).toEqual([{ type: 'abandon', id: 'w' }]);
  });

  it('never lets go a child whose page is open, or whose channel cannot tell', () => {
    expect(abandonActions([{ id: 'w', presence: { online: true, lastSeen: T0 } }], T0 + 100 * S.abandonMs, S)).toEqual([]);
    expect(abandonActions([{ id: 'tg', presence: null }], T0 + 100 * S.abandonMs, S)).toEqual([]);
    expect(abandonActions([{ id: 'w', presence: { online: false, lastSeen: null } }], T0 + 100 * S.abandonMs, S)).toEqual([]);
  });
});

describe('safety net: capacity and cool-down (pure)', () => {
  it('allows a claim only below COUNSELOR_MAX_CHATS', () => {
    for (let max = 1; max <= 5; max++) for (let held = 0; held <= 6; held++) expect(withinCapacity(held, max)).toBe(held < max);
  });

  it('offers a pause after high and imminent chats only', () => {
    expect(RISKS.filter(cooldownAfter)).toEqual(['high', 'imminent']);
  });
});
