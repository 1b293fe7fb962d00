import { randomUUID } from 'node:crypto';
import type { ContactRecord } from '../../src/core/records.js';

export function record(over: Partial<ContactRecord> = {}): ContactRecord {
  const at = Date.UTC(2026, 2, 10, 12, 0, 0);
  return {
    id: randomUUID(),
    channel: 'webchat',
    locale: 'ru',
    state: 'closed',
    startedAt: at,
    queuedAt: at + 60_000,
    claimedAt: at + 120_000,
    closedAt: at + 900_000,
    abandonedAt: null,
    waitMs: 60_000,
    risk: 'medium',
    topic: 'family',
    firstIntent: 'family_ongoing_conflict',
    firstTopic: 'family',
    firstRisk: 'low',
    ageGroup: '12-14',
    about: 'self',
    gender: 'female',
    counselorId: 'anna',
    counselors: ['anna'],
    transfers: 0,
    chiCategories: ['family_relationships'],
    chiSubcategories: ['family_relationships.parent_child'],
    callType: null,
    outcome: 'supported',
    referral: null,
    assessment: null,
    safetyPlan: false,
    feedback: 'helped',
    repeatContact: false,
    blocked: false,
    flood: false,
    closedBy: 'staff',
    ...over,
  };
}
