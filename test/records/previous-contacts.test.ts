// Repeat contacts: with PROFILE_SECRET each record counts for its identity's pseudonymous profile
// (an HMAC of channel and chat key), and the console's GET of a conversation says how often this
// child wrote before, when last, with what topic and risk — no text, and no chat key stored.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main.js';
import { profileKeys } from '../../src/core/profiles.js';
import { toRecord } from '../../src/core/records.js';
import { admin, childButton, childSays, staff, start, type StaffClient } from '../console/helpers.js';

const SECRET = 'a-profile-secret-of-at-least-32-characters';

describe('previous contacts of a child (pseudonymous profiles)', () => {
  let app: RunningApp;
  let anna: StaffClient;
  let sveta: StaffClient;

  beforeAll(async () => {
    app = await start({ PROFILE_SECRET: SECRET });
    const boss = await admin(app);
    anna = await staff(app, boss, 'anna', 'counselor');
    sveta = await staff(app, boss, 'sveta', 'supervisor');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  async function claimed(text: string, chatKey?: string): Promise<{ id: string; chatKey: string }> {
    const child = await childSays(app, text, chatKey);
    if ((await app.store.getConversation(child.id))!.state === 'bot') {
      for (const v of ['action:counselor', 'pre_age:14_17', 'pre_about:self']) await childButton(app, child.chatKey, v);
    }
    expect((await anna.post(`/api/conversations/${child.id}/claim`)).status).toBe(200);
    return child;
  }

  async function closed(id: string): Promise<void> {
    expect((await anna.post(`/api/conversations/${id}/close`, { categories: ['family_relationships'], subcategories: [], outcome: 'supported' })).status).toBe(200);
    await app.records.flush();
  }

  it('says "wrote before: N times, the last …, topic, risk" and stores only the HMAC', async () => {
    const first = await claimed('мама с папой опять ругаются, я не знаю что делать');
    const firstConv = (await app.store.getConversation(first.id))!;
    // A first contact: nothing before it, before and after its record is written.
    expect((await anna.get(`/api/conversations/${first.id}`)).body.previous).toBeNull();
    await closed(first.id);
    expect((await sveta.get(`/api/conversations/${first.id}`)).body.previous).toBeNull();

    // The same child writes again: a new conversation, and the console sees the first one.
    const second = await claimed('мне опять плохо дома', first.chatKey);
    expect(second.id).not.toBe(first.id);
    const seen = (await anna.get(`/api/conversations/${second.id}`)).body.previous;
    expect(seen).toEqual({ count: 1, lastAt: Math.floor(firstConv.createdAt / 1000) * 1000, topic: firstConv.topic, risk: firstConv.risk });
    // Once the second one's record is in, the previous one is still the first.
    await closed(second.id);
    expect((await sveta.get(`/api/conversations/${second.id}`)).body.previous).toEqual(seen);

    const third = await claimed('снова я', first.chatKey);
    expect((await anna.get(`/api/conversations/${third.id}`)).body.previous).toMatchObject({ count: 2 });

    // Another child has no past.
    const other = await claimed('привет, мне нужна помощь');
    expect((await anna.get(`/api/conversations/${other.id}`)).body.previous).toBeNull();

    // The profile row is keyed by the HMAC of channel and chat key; the chat key is nowhere in it.
    const expected = createHmac('sha256', SECRET).update(`webchat\n${first.chatKey}`).digest('base64url');
    expect(profileKeys(SECRET)!('webchat', first.chatKey)).toBe(expected);
    const repo = await app.records.repository();
    const rows = await repo.db.query<Record<string, unknown>>('SELECT * FROM profiles');
    expect(rows.map((r) => r.profile)).toContain(expected);
    const dump = JSON.stringify(rows);
    for (const key of [first.chatKey, other.chatKey]) expect(dump).not.toContain(key);
    expect(rows.find((r) => r.profile === expected)).toMatchObject({ contacts: 2 });
    // The record of a contact after the first says it is a repeat one, and a later snapshot keeps it.
    expect((await repo.get(first.id))!.repeat_contact).toBe(false);
    expect((await repo.get(second.id))!.repeat_contact).toBe(true);
    await repo.write([{ seq: 1e12, snapshot: { record: toRecord((await app.store.getConversation(second.id))!) } }]);
    expect((await repo.get(second.id))!).toMatchObject({ seq: 1e12, repeat_contact: true });
    expect((await repo.get(other.id))?.repeat_contact ?? false).toBe(false);
  });

  it('has no profiles without PROFILE_SECRET', () => {
    expect(profileKeys(undefined)).toBeUndefined();
    expect(profileKeys('')).toBeUndefined();
  });
});
