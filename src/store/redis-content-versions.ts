import { createHash } from 'node:crypto';
import type { createClient } from 'redis';
import { z } from 'zod';
import type { Approval, ContentVersion, ContentVersionStore, Draft, DraftItem, DraftMeta, SaveResult, VersionMeta } from '../core/content-versions.js';
import type { Unsubscribe } from '../core/ports.js';
import { withTimeout } from './timeout.js';

type Client = ReturnType<typeof createClient>;

/**
 * KEYS: latest, versions hash. ARGV: expected latest, the version's JSON, pub/sub channel.
 * Writes version expected+1 only while expected is the newest, then announces it.
 */
const PUBLISH = `
local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
if latest ~= tonumber(ARGV[1]) then return {0, latest} end
local n = latest + 1
redis.call('HSET', KEYS[2], tostring(n), ARGV[2])
redis.call('SET', KEYS[1], tostring(n))
redis.call('PUBLISH', ARGV[3], tostring(n))
return {1, n}
`;

/**
 * KEYS: drafts hash, the draft's items hash, draft revisions hash. ARGV: draft id, item key,
 * expected item revision, the new item's JSON. Returns {1, draftRev} or {0, current item JSON}
 * or {-1} when the draft is gone.
 */
const SAVE_ITEM = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {-1} end
local cur = redis.call('HGET', KEYS[2], ARGV[2])
local rev = 0
if cur then rev = tonumber(cjson.decode(cur).rev) end
if rev ~= tonumber(ARGV[3]) then return {0, cur or ''} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
return {1, redis.call('HINCRBY', KEYS[3], ARGV[1], 1)}
`;

/** KEYS: draft revisions hash, the draft's approvals hash. ARGV: draft id, expected revision, approver, approval JSON. */
const APPROVE = `
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1') ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return 1
`;

const itemDiff = z.object({ key: z.string(), before: z.string().nullable(), after: z.string().nullable(), line: z.number().optional() });
const storedVersion = z.object({
  number: z.number(),
  author: z.string(),
  at: z.number(),
  comment: z.string(),
  diff: z.array(itemDiff),
  approvedBy: z.array(z.string()).optional(),
  rollbackOf: z.number().optional(),
  /** path → sha256 of the text (texts are kept once in the blobs hash: versions share most files). */
  files: z.record(z.string(), z.string()),
});
const draftMeta = z.object({ id: z.string(), title: z.string(), createdBy: z.string(), createdAt: z.number(), base: z.number() });
const draftItem = z.object({ value: z.string().nullable(), rev: z.number(), by: z.string(), at: z.number() });
const approval = z.object({ by: z.string(), at: z.number(), rev: z.number() });

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Content versions in Redis. Every key shares the `{content}` hash tag (one Cluster slot, so the
 * Lua scripts may touch several); file texts are stored once by hash, so a version that changes
 * one message adds one file's text, not the 2.2 MB of the whole content.
 */
export class RedisContentVersions implements ContentVersionStore {
  private handlers = new Set<(n: number) => void>();
  /** File texts by hash, of the versions read last. */
  private blobs = new Map<string, string>();
  private recent: Set<string>[] = [];
  private subscribed: Promise<void> | null = null;

  constructor(
    private client: Client,
    private subscriber: Client,
    private p: string,
    private timeoutMs: number,
  ) {}

  private k(name: string) {
    return `${this.p}:{content}:${name}`;
  }
  private get channel() {
    return `${this.p}:content-published`;
  }
  /**
   * Studio calls get 5× the command timeout by default: none is on a child's path (the 1 s
   * exists so a child never waits on a hung Redis), and an editor's save should not fail because
   * this instance was busy loading a version.
   */
  private timed<T>(p: Promise<T>, call: string, factor = 5): Promise<T> {
    return withTimeout(p, this.timeoutMs * factor, call);
  }

  async latestNumber(): Promise<number> {
    return Number((await this.timed(this.client.get(this.k('latest')), 'latestNumber')) ?? 0);
  }

  async getVersion(number: number): Promise<ContentVersion | null> {
    const raw = await this.timed(this.client.hGet(this.k('versions'), String(number)), 'getVersion');
    if (!raw) return null;
    const v = storedVersion.parse(JSON.parse(raw));
    // Only the texts this process has not seen: following a publish that changed one message
    // fetches that file, not the 2.2 MB of every file (texts are addressed by hash, never change).
    const wanted = [...new Set(Object.values(v.files))].filter((h) => !this.blobs.has(h));
    const texts = wanted.length ? await this.timed(this.client.hmGet(this.k('blobs'), wanted), 'getVersion', 10) : [];
    wanted.forEach((h, i) => {
      const t = texts[i];
      if (typeof t !== 'string') throw new Error(`content version ${number}: a file's text is missing from the store`);
      this.blobs.set(h, t);
    });
    const files: Record<string, string> = {};
    for (const [p, h] of Object.entries(v.files)) files[p] = this.blobs.get(h)!;
    // Keep the texts of the versions read last (the live one and the one a draft started from).
    this.recent = [new Set(Object.values(v.files)), ...this.recent].slice(0, 3);
    const keep = new Set(this.recent.flatMap((set) => [...set]));
    for (const h of this.blobs.keys()) if (!keep.has(h)) this.blobs.delete(h);
    return { ...v, files };
  }

  async listVersions(): Promise<VersionMeta[]> {
    const all = await this.timed(this.client.hGetAll(this.k('versions')), 'listVersions');
    return Object.values(all)
      .map((raw) => {
        const { files: _files, ...meta } = storedVersion.parse(JSON.parse(raw));
        return meta;
      })
      .sort((a, b) => b.number - a.number);
  }

  async publishVersion(version: Omit<ContentVersion, 'number'>, expected: number): Promise<{ ok: true; number: number } | { ok: false; latest: number }> {
    const hashes: Record<string, string> = {};
    const multi = this.client.multi();
    for (const [path, text] of Object.entries(version.files)) {
      hashes[path] = sha(text);
      multi.hSetNX(this.k('blobs'), hashes[path], text);
    }
    // Texts first (harmless if the publish then loses: they are addressed by hash), then the
    // version in one atomic step. The first publish carries every file: allow it more time.
    await this.timed(multi.exec(), 'publishVersion', 10);
    // This process has the texts: reading the version back (following its own publish) fetches none.
    for (const [path, h] of Object.entries(hashes)) this.blobs.set(h, version.files[path]!);
    const record = JSON.stringify({ ...version, number: expected + 1, files: hashes });
    const [ok, n] = (await this.timed(
      this.client.eval(PUBLISH, { keys: [this.k('latest'), this.k('versions')], arguments: [String(expected), record, this.channel] }),
      'publishVersion',
    )) as [number, number];
    return ok === 1 ? { ok: true, number: n } : { ok: false, latest: n };
  }

  onVersionPublished(handler: (number: number) => void): Unsubscribe {
    this.handlers.add(handler);
    this.subscribed ??= this.subscriber.subscribe(this.channel, (message) => {
      const n = Number(message);
      if (Number.isInteger(n) && n > 0) for (const h of this.handlers) h(n);
    });
    return () => this.handlers.delete(handler);
  }

  /** Resolves once the subscriber connection listens. */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  async createDraft(meta: DraftMeta): Promise<void> {
    const created = await this.timed(this.client.hSetNX(this.k('drafts'), meta.id, JSON.stringify(meta)), 'createDraft');
    if (!created) throw new Error(`draft ${meta.id} exists`);
    await this.timed(this.client.hSet(this.k('draft-revs'), meta.id, '0'), 'createDraft');
  }

  async getDraft(id: string): Promise<Draft | null> {
    const [meta, rev, items, approvals] = await this.timed(
      Promise.all([
        this.client.hGet(this.k('drafts'), id),
        this.client.hGet(this.k('draft-revs'), id),
        this.client.hGetAll(this.k(`draft:${id}`)),
        this.client.hGetAll(this.k(`approvals:${id}`)),
      ]),
      'getDraft',
    );
    if (!meta) return null;
    const parsedItems: Record<string, DraftItem> = {};
    for (const [key, raw] of Object.entries(items)) parsedItems[key] = draftItem.parse(JSON.parse(raw));
    return {
      ...draftMeta.parse(JSON.parse(meta)),
      rev: Number(rev ?? 0),
      items: parsedItems,
      approvals: Object.values(approvals)
        .map((raw) => approval.parse(JSON.parse(raw)))
        .sort((a, b) => a.at - b.at),
    };
  }

  async listDrafts(): Promise<(DraftMeta & { rev: number })[]> {
    const [metas, revs] = await this.timed(Promise.all([this.client.hGetAll(this.k('drafts')), this.client.hGetAll(this.k('draft-revs'))]), 'listDrafts');
    return Object.entries(metas).map(([id, raw]) => ({ ...draftMeta.parse(JSON.parse(raw)), rev: Number(revs[id] ?? 0) }));
  }

  async deleteDraft(id: string): Promise<void> {
    await this.timed(
      this.client
        .multi()
        .hDel(this.k('drafts'), id)
        .hDel(this.k('draft-revs'), id)
        .del(this.k(`draft:${id}`))
        .del(this.k(`approvals:${id}`))
        .del(this.k(`gate:${id}`))
        .exec(),
      'deleteDraft',
    );
  }

  async setGateResult(id: string, json: string): Promise<void> {
    // Kept as long as a draft may wait for its publish; a deleted draft takes it along.
    await this.timed(this.client.set(this.k(`gate:${id}`), json, { PX: 30 * 24 * 3600_000 }), 'setGateResult');
  }

  async getGateResult(id: string): Promise<string | null> {
    return this.timed(this.client.get(this.k(`gate:${id}`)), 'getGateResult');
  }

  async saveDraftItem(id: string, key: string, item: Omit<DraftItem, 'rev'>, expectedRev: number): Promise<SaveResult> {
    const json = JSON.stringify({ ...item, rev: expectedRev + 1 });
    const [ok, value] = (await this.timed(
      this.client.eval(SAVE_ITEM, { keys: [this.k('drafts'), this.k(`draft:${id}`), this.k('draft-revs')], arguments: [id, key, String(expectedRev), json] }),
      'saveDraftItem',
    )) as [number, number | string];
    if (ok === -1) return { ok: false, missing: true };
    if (ok === 0) return { ok: false, current: value ? draftItem.parse(JSON.parse(String(value))) : null };
    return { ok: true, rev: expectedRev + 1, draftRev: Number(value) };
  }

  async approveDraft(id: string, a: Approval): Promise<boolean> {
    const ok = await this.timed(
      this.client.eval(APPROVE, { keys: [this.k('draft-revs'), this.k(`approvals:${id}`)], arguments: [id, String(a.rev), a.by, JSON.stringify(a)] }),
      'approveDraft',
    );
    return Number(ok) === 1;
  }
}
