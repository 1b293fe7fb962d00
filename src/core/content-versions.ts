// Versions of the content (what the bot says and what children say), kept in the store so that
// every instance runs the same published version: drafts several editors hold, each item saved
// with optimistic concurrency, and published versions with author, time, comment and diff.
import type { Unsubscribe } from './ports.js';

/** Content as files: relative path ("locales/ru.ftl") → text. */
export type Files = Record<string, string>;

/** One change between two versions, item by item (see src/studio/items.ts for the item keys). */
export interface ItemDiff {
  key: string;
  /** null: the item did not exist. For whole files, the changed lines only (with `line`). */
  before: string | null;
  after: string | null;
  /** For whole files: the first line that differs (1-based). */
  line?: number;
}

export interface Approval {
  by: string;
  at: number;
  /** The draft's revision approved: a save after it needs approving again. */
  rev: number;
}

export interface VersionMeta {
  /** 1, 2, 3…: version 1 is the seed (the files the first instance started on). */
  number: number;
  author: string;
  at: number;
  comment: string;
  diff: ItemDiff[];
  /** Who approved a change to crisis content. */
  approvedBy?: string[];
  /** This version restores that one. */
  rollbackOf?: number;
}

export interface ContentVersion extends VersionMeta {
  files: Files;
}

export interface DraftMeta {
  id: string;
  title: string;
  createdBy: string;
  createdAt: number;
  /** The published version the draft started from. */
  base: number;
}

/** One edited item of a draft. value null: the item is deleted. */
export interface DraftItem {
  value: string | null;
  /** 1 for the first save of this item in this draft, then +1 per save. */
  rev: number;
  by: string;
  at: number;
}

export interface Draft extends DraftMeta {
  /** +1 on every item save; approvals name the revision they saw. */
  rev: number;
  items: Record<string, DraftItem>;
  approvals: Approval[];
}

export type SaveResult = { ok: true; rev: number; draftRev: number } | { ok: false; current: DraftItem | null } | { ok: false; missing: true };

/** The store side of the studio; memory and Redis implement it under one contract suite. */
export interface ContentVersionStore {
  /** The newest published version's number; 0 when nothing was ever published. */
  latestNumber(): Promise<number>;
  getVersion(number: number): Promise<ContentVersion | null>;
  /** Newest first, without files. */
  listVersions(): Promise<VersionMeta[]>;
  /**
   * Publishes `version` as number `expected + 1` only while `expected` is still the newest (two
   * publishes at once: one wins, the other is told the number that won), and tells every
   * instance sharing the store.
   */
  publishVersion(version: Omit<ContentVersion, 'number'>, expected: number): Promise<{ ok: true; number: number } | { ok: false; latest: number }>;
  /** Called in every process sharing the store with the number of each version published. */
  onVersionPublished(handler: (number: number) => void): Unsubscribe;

  createDraft(meta: DraftMeta): Promise<void>;
  getDraft(id: string): Promise<Draft | null>;
  listDrafts(): Promise<(DraftMeta & { rev: number })[]>;
  deleteDraft(id: string): Promise<void>;
  /**
   * Saves one item only when its revision in the draft is still `expectedRev` (0: not in the
   * draft yet). Otherwise nothing is written and the item as stored comes back.
   */
  saveDraftItem(id: string, key: string, item: Omit<DraftItem, 'rev'>, expectedRev: number): Promise<SaveResult>;
  /** Records an approval of the draft at revision `approval.rev`; false when the draft moved on (or is gone). */
  approveDraft(id: string, approval: Approval): Promise<boolean>;
  /**
   * The last safety-check result of a draft (JSON the studio writes), shared by every instance so
   * a publish on another instance than the one that ran the check knows it. Gone with the draft.
   */
  setGateResult(id: string, json: string): Promise<void>;
  getGateResult(id: string): Promise<string | null>;
}
