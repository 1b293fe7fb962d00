import type { Files, ItemDiff } from '../core/content-versions.js';
import { localeFileOf } from '../content/files.js';
import { SCRIPTS, ftlMessages, scriptSteps } from './items.js';

/** The changed lines of a whole file: the common head and tail cut away. */
function lineDiff(key: string, before: string | null, after: string | null): ItemDiff {
  if (before === null || after === null) return { key, before, after };
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { key, before: a.slice(head, a.length - tail).join('\n'), after: b.slice(head, b.length - tail).join('\n'), line: head + 1 };
}

function mapDiff(prefix: string, a: Map<string, string>, b: Map<string, string>): ItemDiff[] {
  const out: ItemDiff[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id) ?? null;
    const y = b.get(id) ?? null;
    if (x !== y) out.push({ key: `${prefix}${id}`, before: x, after: y });
  }
  return out;
}

/**
 * What changed from one set of files to another, in the items editors work with: Fluent
 * messages one by one, script steps one by one, other files by their changed lines.
 */
export function diffFiles(before: Files, after: Files): ItemDiff[] {
  const out: ItemDiff[] = [];
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const path of paths) {
    const x = Object.hasOwn(before, path) ? before[path]! : null;
    const y = Object.hasOwn(after, path) ? after[path]! : null;
    if (x === y) continue;
    // Both Fluent files of a language diff message by message (message:<locale>:<id>, the id says which file).
    const locale = localeFileOf(path)?.locale.match(/^[a-z]{2,3}$/)?.[0];
    if (locale && x !== null && y !== null) out.push(...mapDiff(`message:${locale}:`, ftlMessages(x), ftlMessages(y)));
    else if (path === SCRIPTS && x !== null && y !== null) out.push(...mapDiff('step:', scriptSteps(x), scriptSteps(y)));
    else out.push(lineDiff(`file:${path}`, x, y));
  }
  return out;
}
