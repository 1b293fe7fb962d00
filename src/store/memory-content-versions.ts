import { EventEmitter } from 'node:events';
import type { Approval, ContentVersion, ContentVersionStore, Draft, DraftItem, DraftMeta, SaveResult, VersionMeta } from '../core/content-versions.js';
import type { Unsubscribe } from '../core/ports.js';

const copy = <T>(v: T): T => structuredClone(v);

/** Content versions and drafts in this process only (one instance; lost on restart, like the rest of the memory store). */
export class MemoryContentVersions implements ContentVersionStore {
  private versions: ContentVersion[] = [];
  private drafts = new Map<string, Draft>();
  private events = new EventEmitter();

  async latestNumber(): Promise<number> {
    return this.versions.length;
  }

  async getVersion(number: number): Promise<ContentVersion | null> {
    const v = this.versions[number - 1];
    return v ? copy(v) : null;
  }

  async listVersions(): Promise<VersionMeta[]> {
    return this.versions.map(({ files: _files, ...meta }) => copy(meta)).reverse();
  }

  async publishVersion(version: Omit<ContentVersion, 'number'>, expected: number): Promise<{ ok: true; number: number } | { ok: false; latest: number }> {
    if (this.versions.length !== expected) return { ok: false, latest: this.versions.length };
    const number = expected + 1;
    this.versions.push({ ...copy(version), number });
    // After the caller's turn, as Redis pub/sub delivers: a handler never runs inside publish.
    setImmediate(() => this.events.emit('published', number));
    return { ok: true, number };
  }

  onVersionPublished(handler: (number: number) => void): Unsubscribe {
    this.events.on('published', handler);
    return () => this.events.off('published', handler);
  }

  async createDraft(meta: DraftMeta): Promise<void> {
    if (this.drafts.has(meta.id)) throw new Error(`draft ${meta.id} exists`);
    this.drafts.set(meta.id, { ...copy(meta), rev: 0, items: {}, approvals: [] });
  }

  async getDraft(id: string): Promise<Draft | null> {
    const d = this.drafts.get(id);
    return d ? copy(d) : null;
  }

  async listDrafts(): Promise<(DraftMeta & { rev: number })[]> {
    return [...this.drafts.values()].map(({ items: _items, approvals: _approvals, ...meta }) => copy(meta));
  }

  async deleteDraft(id: string): Promise<void> {
    this.drafts.delete(id);
    this.gateResults.delete(id);
  }

  private gateResults = new Map<string, string>();

  async setGateResult(id: string, json: string): Promise<void> {
    if (this.drafts.has(id)) this.gateResults.set(id, json);
  }

  async getGateResult(id: string): Promise<string | null> {
    return this.gateResults.get(id) ?? null;
  }

  async saveDraftItem(id: string, key: string, item: Omit<DraftItem, 'rev'>, expectedRev: number): Promise<SaveResult> {
    const d = this.drafts.get(id);
    if (!d) return { ok: false, missing: true };
    const current = Object.hasOwn(d.items, key) ? d.items[key]! : null;
    if ((current?.rev ?? 0) !== expectedRev) return { ok: false, current: copy(current) };
    d.items[key] = { ...copy(item), rev: expectedRev + 1 };
    d.rev += 1;
    return { ok: true, rev: expectedRev + 1, draftRev: d.rev };
  }

  async approveDraft(id: string, approval: Approval): Promise<boolean> {
    const d = this.drafts.get(id);
    if (!d || d.rev !== approval.rev) return false;
    d.approvals = [...d.approvals.filter((a) => a.by !== approval.by), copy(approval)];
    return true;
  }
}
