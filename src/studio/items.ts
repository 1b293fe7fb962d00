// What editors change, item by item: one Fluent message of one language, one script step, or a
// whole file (an intent, cues.yaml). Two editors conflict only when they save the same item, and
// every item is spliced back into its file so the rest of the file stays byte for byte.
import { FluentParser, Message, Term, type Resource } from '@fluent/syntax';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import type { Files } from '../core/content-versions.js';
import type { Problem } from '../content/problems.js';
import { isContentPath, localeFileOf, messageFile } from '../content/files.js';

export const SCRIPTS = 'intents/scripts.yaml';

export type ItemRef = { kind: 'message'; locale: string; id: string; file: string } | { kind: 'step'; id: string; file: string } | { kind: 'file'; file: string };

/** message:<locale>:<id> (a term's id starts with "-"), step:<id>, file:<path>; null for anything else. */
export function parseItemKey(key: string): ItemRef | null {
  let m = /^message:([a-z]{2,3}):(-?[a-zA-Z][\w-]*)$/.exec(key);
  // The console's messages (console-…) live in locales/console.<locale>.ftl, the rest in locales/<locale>.ftl.
  if (m) return { kind: 'message', locale: m[1]!, id: m[2]!, file: messageFile(m[1]!, m[2]!) };
  m = /^step:([a-z][a-z0-9_]*)$/.exec(key);
  if (m) return { kind: 'step', id: m[1]!, file: SCRIPTS };
  m = /^file:(.+)$/.exec(key);
  if (m && isContentPath(m[1]!)) return { kind: 'file', file: m[1]! };
  return null;
}

const parser = new FluentParser({ withSpans: true });

interface FtlEntry {
  id: string;
  start: number;
  end: number;
}

/** Messages and terms of a Fluent file with where their own text is (without an attached comment). */
function ftlEntries(text: string): FtlEntry[] {
  const res: Resource = parser.parse(text);
  const out: FtlEntry[] = [];
  for (const e of res.body) {
    if (!(e instanceof Message || e instanceof Term) || !e.span) continue;
    const start = e.comment?.span ? text.indexOf('\n', e.comment.span.end) + 1 : e.span.start;
    out.push({ id: e instanceof Term ? `-${e.id.name}` : e.id.name, start, end: e.span.end });
  }
  return out;
}

/** Every message of a Fluent file: id → its text ("id = …" with its continuation lines). */
export function ftlMessages(text: string): Map<string, string> {
  return new Map(ftlEntries(text).map((e) => [e.id, text.slice(e.start, e.end)]));
}

/** Every step of scripts.yaml: id → its YAML. */
export function scriptSteps(text: string): Map<string, string> {
  const doc = parseDocument(text);
  const steps = doc.get('steps', true);
  const out = new Map<string, string>();
  if (isMap(steps)) for (const pair of steps.items) out.set(String((pair.key as { value?: unknown } | null)?.value ?? pair.key), stringify(pair.value));
  return out;
}

/** The item's text in these files; null when it does not exist. */
export function itemText(files: Files, ref: ItemRef): string | null {
  const text = Object.hasOwn(files, ref.file) ? files[ref.file]! : null;
  if (text === null || ref.kind === 'file') return text;
  return (ref.kind === 'message' ? ftlMessages(text) : scriptSteps(text)).get(ref.id) ?? null;
}

function spliceMessage(text: string, id: string, value: string | null): string {
  const entry = ftlEntries(text).find((e) => e.id === id);
  const body = value === null ? '' : value.replace(/\s+$/, '');
  if (entry) {
    let end = entry.end;
    // Deleting: take the line break with it.
    if (value === null && text[end] === '\n') end++;
    return text.slice(0, entry.start) + body + text.slice(end);
  }
  if (value === null) return text;
  return `${text.replace(/\n*$/, '\n')}${body}\n`;
}

function spliceStep(text: string, id: string, value: string | null, problems: Problem[]): string {
  const doc = parseDocument(text);
  if (value === null) {
    doc.deleteIn(['steps', id]);
    return doc.toString();
  }
  const step = parseDocument(value);
  if (step.errors.length || !isMap(step.contents)) {
    const why = step.errors[0]?.message.split('\n')[0] ?? 'a step is a mapping with text and buttons';
    problems.push({ file: SCRIPTS, line: 1, field: `steps.${id}`, message: `step "${id}": ${why}` });
    return text;
  }
  const node = doc.createNode(step.toJS());
  // Buttons one per line in braces, as the file writes them.
  const buttons = isMap(node) ? node.get('buttons', true) : undefined;
  if (isSeq(buttons)) for (const b of buttons.items) if (isMap(b)) b.flow = true;
  doc.setIn(['steps', id], node);
  return doc.toString();
}

/**
 * A version published before the code required some messages (a deploy added them to the seed
 * files): those messages taken from the seed, so the studio's edits stay live. Null when the
 * problems are anything else, or the seed lacks the message too.
 */
export function fillFromSeed(files: Files, seed: Files, problems: Problem[]): Files | null {
  if (!problems.length) return null;
  const items: Record<string, string> = {};
  for (const p of problems) {
    const id = /^missing (?:message|translation of) "(.+)"$/.exec(p.message)?.[1];
    if (!id || !localeFileOf(p.file) || !Object.hasOwn(seed, p.file) || !ftlMessages(seed[p.file]!).has(id)) return null;
    // In every language at once: the default language's gap would otherwise show the others' next.
    for (const [file, text] of Object.entries(seed)) {
      const locale = localeFileOf(file)?.locale;
      const own = locale ? ftlMessages(text).get(id) : undefined;
      if (locale && own && !(Object.hasOwn(files, file) && ftlMessages(files[file]!).has(id))) items[`message:${locale}:${id}`] = own;
    }
  }
  return applyItems(files, items).files;
}

/** The items of a draft written into their files; structural problems are named by field. */
export function applyItems(base: Files, items: Record<string, string | null>): { files: Files; problems: Problem[] } {
  const files: Files = { ...base };
  const problems: Problem[] = [];
  const refs = Object.entries(items).map(([key, value]) => ({ key, ref: parseItemKey(key), value }));
  // Whole files first: a message or step saved on top of a replaced file still applies.
  refs.sort((a, b) => Number(a.ref?.kind !== 'file') - Number(b.ref?.kind !== 'file'));
  for (const { key, ref, value } of refs) {
    if (!ref) {
      problems.push({ file: key, line: 1, field: key, message: `not an item: ${key}` });
      continue;
    }
    if (ref.kind === 'file') {
      if (value === null) delete files[ref.file];
      else files[ref.file] = value;
      continue;
    }
    if (ref.kind === 'message' && value !== null) {
      const own = ftlEntries(value);
      if (own.length > 1 || (own.length === 1 && own[0]!.id !== ref.id)) {
        problems.push({ file: ref.file, line: 1, field: ref.id, message: `the text of "${ref.id}" must define "${ref.id}" only (found ${own.map((e) => e.id).join(', ')})` });
        continue;
      }
    }
    const text = Object.hasOwn(files, ref.file) ? files[ref.file]! : ref.kind === 'step' ? 'steps: {}\n' : '';
    files[ref.file] = ref.kind === 'message' ? spliceMessage(text, ref.id, value) : spliceStep(text, ref.id, value, problems);
  }
  return { files, problems };
}
