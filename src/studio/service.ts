// The content studio's rules: drafts, validation with content:check's own loader, "what would the
// bot do", approval of crisis changes, publish and rollback. Routes (routes.ts) only translate HTTP.
import { randomUUID } from 'node:crypto';
import type { ContentVersion, ContentVersionStore, Draft, Files, ItemDiff } from '../core/content-versions.js';
import type { Clock, TriageContext } from '../core/ports.js';
import { policy, type Saying } from '../core/policy.js';
import type { Conversation, TriageResult } from '../core/types.js';
import { renderSaying } from '../core/use-cases/outbound.js';
import { loadContentFiles, type Content } from '../content/load.js';
import { scriptMap } from './script-map.js';
import type { IntentHit, MapStep } from './shapes.js';
import type { ServiceFacts } from '../core/service-facts.js';
import { ContentError, type Problem } from '../content/problems.js';
import { crisisChanges } from './crisis.js';
import { previewTurn, type PreviewEvent, type PreviewState, type PreviewTurn } from './preview.js';
import { diffFiles } from './diff.js';
import { applyItems, fillFromSeed, ftlMessages, itemText, parseItemKey } from './items.js';

/** A refusal with a body the studio shows as it is (conflict with both versions, problems by field). */
export class StudioError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/**
 * Longest item texts. The longest message in locales/ is under 1,000 characters and the largest
 * intent file 27.5 KB: a 100 KB message is a paste gone wrong, refused by name before it is stored.
 */
export const MAX_ITEM_CHARS = { message: 8_000, step: 8_000, file: 200_000 } as const;

export interface StudioDeps {
  versions: ContentVersionStore;
  /** The files this instance started on: version 1 when nothing was ever published. */
  seedFiles: () => Files;
  /** The current model read with the given content's lexicon and rules. */
  classify: (text: string, ctx: TriageContext, content: Content) => Promise<TriageResult>;
  audit: (by: string, action: string, detail?: string) => Promise<void>;
  /** Crisis changes need a second person's approval (STUDIO_CRISIS_APPROVAL, on by default). */
  requireApproval: boolean;
  /** This instance switches at once (the others hear it through the store). */
  onPublished?: (number: number, files: Files) => void;
  now?: Clock;
  /** What every message may use (the retention settings): the same the live content is loaded with. */
  facts?: ServiceFacts;
  /**
   * The safety gate (STUDIO_GATE): trains a candidate from the draft's files and judges it on the
   * labelled sets. Absent: drafts that change intents/ publish without it.
   */
  gate?: (files: Files, log: (line: string) => void) => Promise<GateReport & { trainSeconds: number }>;
}

/** What the safety gate (src/triage/gate.ts, wired in main.ts) reports; the studio shows it as is. */
export interface GateReport {
  ok: boolean;
  sets: { set: string; before: unknown; after: unknown; problems: string[] }[];
  worse: { set: string; text: string }[];
}

/** One gate run for a draft, at one revision of it (a later save needs a new run). */
export interface GateRun {
  rev: number;
  /** 'queued': another draft's check is training on this instance; this one starts after it. */
  state: 'queued' | 'running' | 'done' | 'failed';
  /** While queued: how many checks run or wait before this one. */
  ahead?: number;
  /** Progress lines (the trainer's, then the measuring), the last 200. */
  lines: string[];
  startedAt: number;
  /** When its training began (after the queue). */
  runningAt?: number;
  finishedAt?: number;
  report?: GateReport & { trainSeconds: number };
  error?: string;
}

/** Items that change what the model learns or the rules read: intent files and cues. */
function retrains(items: Record<string, unknown>): boolean {
  return Object.keys(items).some((k) => k.startsWith('file:intents/') && k !== 'file:intents/scripts.yaml');
}

export interface DraftView extends Draft {
  /** The latest published version (what is live). */
  live: number;
  /** What the draft changes against what is live, item by item. */
  diff: ItemDiff[];
  problems: Problem[];
  /** Crisis answers it changes (those need approval). */
  crisis: string[];
  /** Items changed in a version published after the draft began (publishing would overwrite them). */
  stale: string[];
}

export interface TryResult {
  topic: string;
  risk: string;
  intent: string;
  confidence: number;
  reasons: string[];
  /** What the child would get, message by message. */
  reply: { text: string; buttons?: { label: string; value: string }[] }[];
  /** The draft does not validate: the live content answered. */
  problems?: Problem[];
}

function validateFiles(files: Files, pre: Problem[] = [], facts?: ServiceFacts): { content: Content | null; problems: Problem[] } {
  try {
    const content = loadContentFiles(files, pre, facts);
    return { content, problems: [] };
  } catch (err) {
    if (err instanceof ContentError) return { content: null, problems: err.problems };
    throw err;
  }
}

export class Studio {
  private now: Clock;
  /** Validated contents by version number: loading the full content takes ~0.8 s here. */
  private loaded = new Map<number, { files: Files; content: Content }>();
  /** The safety checks run one after another on this instance. */
  private gateTurn: Promise<void> = Promise.resolve();
  private gateWaiting = 0;

  /** The loader content:check runs, with this deployment's facts (retention in the greeting). */
  private check(files: Files, pre: Problem[] = []) {
    return validateFiles(files, pre, this.deps.facts);
  }

  constructor(private deps: StudioDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The latest version's number, publishing the seed as version 1 when nothing was published yet. */
  async ensureSeed(): Promise<number> {
    const latest = await this.deps.versions.latestNumber();
    if (latest > 0) return latest;
    const seeded = await this.deps.versions.publishVersion(
      { author: 'system', at: this.now(), comment: 'seed: the files in intents/ and locales/', diff: [], files: this.deps.seedFiles() },
      0,
    );
    // Another instance seeded first: its seed is as good.
    return seeded.ok ? seeded.number : seeded.latest;
  }

  private async version(number: number): Promise<{ files: Files; content: Content }> {
    const hit = this.loaded.get(number);
    if (hit) return hit;
    const v = await this.deps.versions.getVersion(number);
    if (!v) throw new StudioError(404, 'not_found', `no content version ${number}`);
    let files = v.files;
    let { content, problems } = this.check(files);
    // Made before the code required some messages: those come from the seed (as every instance does).
    const filled = content ? null : fillFromSeed(files, this.deps.seedFiles(), problems);
    if (filled) {
      files = filled;
      ({ content, problems } = this.check(files));
    }
    if (!content) throw new StudioError(500, 'invalid_version', `content version ${number} no longer validates`, { problems });
    const entry = { files, content };
    this.loaded.set(number, entry);
    // The newest few are the ones asked for.
    for (const k of [...this.loaded.keys()].sort((a, b) => a - b).slice(0, -3)) this.loaded.delete(k);
    return entry;
  }

  async createDraft(by: string, title: string): Promise<Draft> {
    const base = await this.ensureSeed();
    const meta = { id: randomUUID(), title, createdBy: by, createdAt: this.now(), base };
    await this.deps.versions.createDraft(meta);
    await this.deps.audit(by, 'content-draft', `${meta.id.slice(0, 8)} "${title}" from v${base}`);
    return { ...meta, rev: 0, items: {}, approvals: [] };
  }

  private async draft(id: string): Promise<Draft> {
    const d = await this.deps.versions.getDraft(id);
    if (!d) throw new StudioError(404, 'not_found', 'no such draft (published or deleted?)');
    return d;
  }

  private values(d: Draft): Record<string, string | null> {
    return Object.fromEntries(Object.entries(d.items).map(([k, i]) => [k, i.value]));
  }

  /** The draft with its diff against what is live, its problems and the crisis answers it changes. */
  async view(id: string): Promise<DraftView> {
    const d = await this.draft(id);
    const live = await this.ensureSeed();
    const [liveV, baseV] = await Promise.all([this.version(live), this.version(d.base)]);
    const applied = applyItems(liveV.files, this.values(d));
    const { content, problems } = this.check(applied.files, applied.problems);
    const stale: string[] = [];
    if (d.base !== live) {
      for (const key of Object.keys(d.items)) {
        const ref = parseItemKey(key);
        if (ref && itemText(baseV.files, ref) !== itemText(liveV.files, ref)) stale.push(key);
      }
    }
    return {
      ...d,
      live,
      diff: diffFiles(liveV.files, applied.files),
      problems,
      crisis: content ? crisisChanges(liveV.content, content) : [],
      stale,
    };
  }

  /** The item's text in what is live (where an editor starts from). */
  async liveItem(key: string): Promise<{ key: string; live: number; value: string | null }> {
    const ref = parseItemKey(key);
    if (!ref) throw new StudioError(400, 'invalid_input', `not an item: ${key}`, { field: 'key' });
    const live = await this.ensureSeed();
    return { key, live, value: itemText((await this.version(live)).files, ref) };
  }

  /**
   * Saves one item of a draft when the editor saw its latest revision (`rev`: 0 for an item not
   * yet in the draft). A stale save writes nothing and is refused with both texts (409): the
   * editor merges and saves again at the revision they were shown.
   */
  /** What is live with a draft's changes on top (what is live when the draft does not validate), and its problems. */
  private async draftContent(draftId?: string): Promise<{ content: Content; problems: Problem[] }> {
    const live = await this.version(await this.ensureSeed());
    const items = draftId ? this.values(await this.draft(draftId)) : {};
    if (!Object.keys(items).length) return { content: live.content, problems: [] };
    const applied = applyItems(live.files, items);
    const checked = this.check(applied.files, applied.problems);
    return { content: checked.content ?? live.content, problems: checked.problems };
  }

  /** The scripts as a map of steps (script-map.ts), with a draft's changes when given. */
  async map(draftId?: string): Promise<{ steps: MapStep[]; locales: string[]; problems: Problem[] }> {
    const { content, problems } = await this.draftContent(draftId);
    return { steps: scriptMap(content), locales: content.i18n.locales, problems };
  }

  /**
   * What children say, searchable (issue 16 item 3): intents whose id, examples or lexicon
   * phrases hold the words, with the matching lines and each example's risk; at most 50 intents,
   * 10 lines each. Case and ё/е do not matter.
   */
  async searchIntents(query: string, draftId?: string): Promise<{ total: number; intents: IntentHit[] }> {
    const fold = (x: string) => x.toLowerCase().replace(/ё/g, 'е');
    const q = fold(query.trim());
    if (q.length < 2) throw new StudioError(400, 'invalid_input', 'search for at least 2 characters', { field: 'q' });
    const { content } = await this.draftContent(draftId);
    const hits: IntentHit[] = [];
    for (const intent of content.intents) {
      const examples = Object.entries(intent.examples).flatMap(([lang, list]) =>
        list.flatMap((text, i) => (fold(text).includes(q) ? [{ lang, text, risk: intent.risks?.[lang]?.[i] ?? intent.risk }] : [])),
      );
      const lexicon = Object.entries(intent.lexicon).flatMap(([lang, list]) => list.filter((p) => fold(p).includes(q)).map((phrase) => ({ lang, phrase })));
      if (examples.length || lexicon.length || fold(intent.id).includes(q)) {
        hits.push({ id: intent.id, file: intent.file, topic: intent.topic, risk: intent.risk, examples: examples.slice(0, 10), lexicon: lexicon.slice(0, 10), matches: examples.length + lexicon.length });
      }
    }
    hits.sort((a, b) => b.matches - a.matches);
    return { total: hits.length, intents: hits.slice(0, 50) };
  }

  async saveItem(id: string, key: string, value: string | null, rev: number, by: string): Promise<{ rev: number; draftRev: number }> {
    const ref = parseItemKey(key);
    if (!ref) throw new StudioError(400, 'invalid_input', `not an item: ${key} (message:<lang>:<id>, step:<id> or file:<path>)`, { field: 'key' });
    if (ref.kind === 'step' && value === null) {
      // Deleting a step something still points at would leave a child on a dead button.
      const step = (await this.map(id)).steps.find((s) => s.id === ref.id);
      if (step?.usedBy.length) throw new StudioError(409, 'step_in_use', `step ${ref.id} is still used by ${step.usedBy.join(', ')}`, { field: key, usedBy: step.usedBy });
    }
    const max = MAX_ITEM_CHARS[ref.kind];
    if (value !== null && value.length > max) {
      throw new StudioError(413, 'too_long', `${key}: ${value.length} characters, at most ${max}`, { field: key, max, length: value.length });
    }
    const r = await this.deps.versions.saveDraftItem(id, key, { value, by, at: this.now() }, rev);
    if (!r.ok && 'missing' in r) throw new StudioError(404, 'not_found', 'no such draft (published or deleted?)');
    if (!r.ok) {
      throw new StudioError(409, 'edit_conflict', `${key} was saved by ${r.current?.by ?? 'someone'} since you opened it: both versions are here, nothing was saved`, {
        key,
        yours: { value, rev },
        theirs: r.current,
      });
    }
    await this.deps.audit(by, 'content-draft-save', `${id.slice(0, 8)} ${key}`);
    return { rev: r.rev, draftRev: r.draftRev };
  }

  /** Validates items applied to what is live, with the loader content:check uses. */
  async validate(items: Record<string, string | null>): Promise<{ ok: boolean; problems: Problem[] }> {
    const live = await this.version(await this.ensureSeed());
    const applied = applyItems(live.files, items);
    const { problems } = this.check(applied.files, applied.problems);
    return { ok: problems.length === 0, problems };
  }

  /**
   * What the bot would do with a child's first message under the draft: the current model read
   * with the draft's lexicon, cues and intents, then policy and the draft's words. Nothing is
   * stored, queued or sent.
   */
  async tryMessage(input: { draft?: string; items?: Record<string, string | null>; text: string; locale: string }): Promise<TryResult> {
    const live = await this.version(await this.ensureSeed());
    const items = { ...(input.draft ? this.values(await this.draft(input.draft)) : {}), ...(input.items ?? {}) };
    const applied = applyItems(live.files, items);
    const checked = Object.keys(items).length ? this.check(applied.files, applied.problems) : { content: live.content, problems: [] };
    const content = checked.content ?? live.content;
    const locale = content.i18n.resolve(input.locale);
    const triage = await this.deps.classify(input.text, { priorRisk: 'none', locale }, content);
    const at = this.now();
    const conv: Conversation = { id: 'studio-try', channel: 'webchat', chatKey: 'studio-try', locale, state: 'bot', risk: 'none', topic: 'other', createdAt: at, updatedAt: at, meta: {} };
    // Counselors available and open: the answer a child gets on shift.
    const actions = policy({ type: 'text', triage, first: true }, conv, { countersAvailable: 1, open: true });
    const reply = actions
      .filter((a): a is Saying => a.type === 'say' || a.type === 'step')
      .map((a) => {
        const out = renderSaying(content, locale, a);
        return { text: out.text, ...(out.buttons ? { buttons: out.buttons } : {}) };
      });
    return {
      topic: triage.topic,
      risk: triage.risk,
      intent: triage.intent,
      confidence: triage.confidence,
      reasons: triage.reasons,
      reply,
      ...(checked.problems.length ? { problems: checked.problems } : {}),
    };
  }

  /** One turn of the preview chat under the draft (nothing stored, queued or sent). */
  async preview(input: { draft?: string; items?: Record<string, string | null>; state?: PreviewState; event: PreviewEvent; locale?: string }): Promise<PreviewTurn & { problems?: Problem[] }> {
    const live = await this.version(await this.ensureSeed());
    const items = { ...(input.draft ? this.values(await this.draft(input.draft)) : {}), ...(input.items ?? {}) };
    const applied = applyItems(live.files, items);
    const checked = Object.keys(items).length ? this.check(applied.files, applied.problems) : { content: live.content, problems: [] };
    const content = checked.content ?? live.content;
    const state = input.state ?? (input.locale ? { locale: input.locale, state: 'bot' as const, risk: 'none' as const, topic: 'other' as const, meta: {}, turns: 0 } : undefined);
    const turn = await previewTurn(content, (text, ctx) => this.deps.classify(text, ctx, content), state, input.event);
    return { ...turn, ...(checked.problems.length ? { problems: checked.problems } : {}) };
  }

  /** A second person approves the draft as it is now; a later save needs approving again. */
  async approve(id: string, by: string): Promise<{ rev: number }> {
    const d = await this.draft(id);
    const authors = new Set(Object.values(d.items).map((i) => i.by));
    if (authors.has(by)) throw new StudioError(403, 'own_change', 'a change is approved by someone who did not make it');
    if (!(await this.deps.versions.approveDraft(id, { by, at: this.now(), rev: d.rev }))) {
      throw new StudioError(409, 'draft_changed', 'the draft changed while you read it: read it again');
    }
    await this.deps.audit(by, 'content-approve', `${id.slice(0, 8)} at revision ${d.rev}`);
    return { rev: d.rev };
  }

  private gates = new Map<string, GateRun>();

  /** Starts the safety gate on a draft (one run at a time per draft); the run is followed with gateStatus. */
  async startGate(id: string, by: string): Promise<GateRun | { state: 'not_needed' }> {
    if (!this.deps.gate) throw new StudioError(409, 'gate_off', 'the safety gate is off here (STUDIO_GATE=0)');
    const view = await this.view(id);
    if (!retrains(view.items)) return { state: 'not_needed' };
    if (view.problems.length) throw new StudioError(422, 'invalid_content', `the draft has ${view.problems.length} problem(s)`, { problems: view.problems });
    const running = this.gates.get(id);
    if (running?.state === 'running' || running?.state === 'queued') return running;
    const live = await this.version(view.live);
    const files = applyItems(live.files, this.values(view)).files;
    // One training at a time on this instance: two in parallel on 2 cores took both twice as long.
    const ahead = this.gateWaiting++;
    const run: GateRun = { rev: view.rev, state: ahead > 0 ? 'queued' : 'running', lines: [], startedAt: this.now(), ...(ahead > 0 ? { ahead } : {}) };
    this.gates.set(id, run);
    await this.deps.audit(by, 'content-gate', `draft ${id}`);
    const gate = this.deps.gate;
    const turn = this.gateTurn.then(async () => {
      run.state = 'running';
      run.runningAt = this.now();
      delete run.ahead;
      try {
        run.report = await gate(files, (line) => {
          run.lines.push(line);
          if (run.lines.length > 200) run.lines.shift();
        });
        run.state = 'done';
      } catch (err) {
        run.error = (err as Error).message.split('\n')[0];
        run.state = 'failed';
      } finally {
        run.finishedAt = this.now();
        // Shared: a publish that reaches another instance knows the result (a failure to write
        // it only means that instance asks for the check again).
        const { lines, ...kept } = run;
        await this.deps.versions.setGateResult(id, JSON.stringify({ ...kept, lines: lines.slice(-20) })).catch(() => undefined);
        this.gateWaiting--;
        for (const other of this.gates.values()) if (other.state === 'queued' && other.ahead) other.ahead--;
      }
    });
    this.gateTurn = turn;
    return run;
  }

  /** This instance's run while it runs; else the last result any instance stored. */
  async gateStatus(id: string): Promise<GateRun | null> {
    const local = this.gates.get(id);
    if (local && (local.state === 'running' || local.state === 'queued')) return local;
    const raw = await this.deps.versions.getGateResult(id).catch(() => null);
    if (raw) {
      try {
        const stored = JSON.parse(raw) as GateRun;
        if (!local || stored.rev >= local.rev) return stored;
      } catch {
        // A result that does not parse: as if the check never ran here.
      }
    }
    return local ?? null;
  }

  async publish(id: string, by: string, comment: string, override?: { role: string; reason: string }): Promise<{ number: number; diff: ItemDiff[]; crisis: string[] }> {
    const why = comment.trim();
    if (why.length < 3) throw new StudioError(400, 'comment_required', 'publishing needs a comment: what changed and why', { field: 'comment' });
    const view = await this.view(id);
    if (Object.keys(view.items).length === 0) throw new StudioError(400, 'empty_draft', 'the draft changes nothing');
    if (view.stale.length) {
      throw new StudioError(409, 'live_changed', `version ${view.live} was published since this draft began and changes the same items: check them and save again`, { items: view.stale, live: view.live });
    }
    if (view.problems.length) throw new StudioError(422, 'invalid_content', `the draft has ${view.problems.length} problem(s)`, { problems: view.problems });
    // The measured check first: a second person then approves a change already known to be safe.
    if (this.deps.gate && retrains(view.items)) await this.passGate(id, view.rev, by, override);
    const approvers = view.approvals.filter((a) => a.rev === view.rev).map((a) => a.by);
    if (this.deps.requireApproval && view.crisis.length && approvers.length === 0) {
      throw new StudioError(409, 'approval_required', 'this changes what a child in crisis gets: another editor, a supervisor or an admin must approve it first', { crisis: view.crisis });
    }
    const live = await this.version(view.live);
    const files = applyItems(live.files, this.values(view)).files;
    const record: Omit<ContentVersion, 'number'> = { author: by, at: this.now(), comment: why, diff: view.diff, files, ...(approvers.length ? { approvedBy: approvers } : {}) };
    const r = await this.deps.versions.publishVersion(record, view.live);
    if (!r.ok) throw new StudioError(409, 'publish_conflict', `version ${r.latest} was published meanwhile: look at the draft again and publish`, { live: r.latest });
    await this.deps.versions.deleteDraft(id);
    await this.deps.audit(by, 'content-publish', `v${r.number}: ${why.slice(0, 200)}`);
    this.deps.onPublished?.(r.number, files);
    return { number: r.number, diff: view.diff, crisis: view.crisis };
  }

  /** A draft that changes intents/ needs a passing gate at its current revision, or an admin's written override. */
  private async passGate(id: string, rev: number, by: string, override?: { role: string; reason: string }): Promise<void> {
    const run = await this.gateStatus(id);
    if (!run || run.rev !== rev) {
      throw new StudioError(409, 'gate_required', 'this draft changes what the classifier learns: run the safety check first (it trains and measures a model, about a minute)');
    }
    if (run.state === 'running' || run.state === 'queued') throw new StudioError(409, 'gate_running', 'the safety check is still running', { lines: run.lines.slice(-5) });
    if (run.state === 'failed') throw new StudioError(409, 'gate_failed', `the safety check could not run: ${run.error ?? 'unknown error'}`);
    if (run.report!.ok) return;
    const figures = { sets: run.report!.sets, worse: run.report!.worse.slice(0, 50) };
    if (!override) throw new StudioError(409, 'gate_refused', 'refused: with this change the classifier would miss children it catches now', figures);
    if (override.role !== 'admin') throw new StudioError(403, 'forbidden', 'only an admin can publish over the safety check');
    if (override.reason.trim().length < 10) throw new StudioError(400, 'invalid_input', 'an override needs a written reason (10 characters or more)', { field: 'override' });
    await this.deps.audit(by, 'content-gate-override', override.reason.trim().slice(0, 500));
  }

  /** Publishes an earlier version's files again as a new version (numbers only grow: every instance follows). */
  async rollback(number: number, by: string, comment?: string): Promise<{ number: number; diff: ItemDiff[] }> {
    const live = await this.ensureSeed();
    if (number === live) throw new StudioError(409, 'already_live', `version ${number} is the one live`);
    const [target, current] = await Promise.all([this.version(number), this.version(live)]);
    const diff = diffFiles(current.files, target.files);
    const why = comment?.trim() || `rollback to version ${number}`;
    const r = await this.deps.versions.publishVersion({ author: by, at: this.now(), comment: why, diff, files: target.files, rollbackOf: number }, live);
    if (!r.ok) throw new StudioError(409, 'publish_conflict', `version ${r.latest} was published meanwhile: try again`, { live: r.latest });
    await this.deps.audit(by, 'content-rollback', `v${r.number} = v${number}: ${why.slice(0, 200)}`);
    this.deps.onPublished?.(r.number, target.files);
    return { number: r.number, diff };
  }

  /** Every item of what is live: messages side by side per language, steps, files. */
  async catalog(): Promise<{ live: number; locales: string[]; messages: { id: string; texts: Record<string, string | null> }[]; steps: string[]; files: string[] }> {
    const live = await this.ensureSeed();
    const { files, content } = await this.version(live);
    const locales = content.i18n.locales;
    // Both files of a language (locales/<l>.ftl and the console's locales/console.<l>.ftl), side by side as one list.
    const ofFile = (f: string) => (Object.hasOwn(files, f) ? [...ftlMessages(files[f]!)] : []);
    const perLocale = new Map(locales.map((l) => [l, new Map([...ofFile(`locales/${l}.ftl`), ...ofFile(`locales/console.${l}.ftl`)])]));
    const ids = [...new Set([...perLocale.values()].flatMap((m) => [...m.keys()]))];
    return {
      live,
      locales,
      messages: ids.map((id) => ({ id, texts: Object.fromEntries(locales.map((l) => [l, perLocale.get(l)!.get(id) ?? null])) })),
      steps: Object.keys(content.steps),
      files: Object.keys(files).filter((f) => f.startsWith('intents/') && f !== 'intents/scripts.yaml').sort(),
    };
  }

  async versions() {
    return this.deps.versions.listVersions();
  }

  /** One version with its files (the export). */
  async versionFiles(number: number): Promise<Files> {
    return (await this.version(number)).files;
  }

  async drafts() {
    return this.deps.versions.listDrafts();
  }

  async deleteDraft(id: string, by: string): Promise<void> {
    await this.draft(id);
    await this.deps.versions.deleteDraft(id);
    await this.deps.audit(by, 'content-draft-delete', id.slice(0, 8));
  }
}
