// A YAML content file parsed with its line positions, so that every problem names its line.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { ZodType } from 'zod';
import type { Problem } from './problems.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function lineOf(y: YamlFile, path: (string | number)[]): number {
  for (let len = path.length; len >= 0; len--) {
    const node = y.doc.getIn(path.slice(0, len), true);
    if (isNode(node) && node.range) return y.lines.linePos(node.range[0]).line;
  }
  return 1;
}

/** The line of a mapping key (where "hight:" is written), rather than of its value. */
export function keyLineOf(y: YamlFile, path: (string | number)[]): number {
  const parent = y.doc.getIn(path.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
    if (pair && isScalar(pair.key) && pair.key.range) return y.lines.linePos(pair.key.range[0]).line;
  }
  return lineOf(y, path);
}

export function readYaml(abs: string, rel: string, problems: Problem[]): YamlFile | null {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    problems.push({ file: rel, line: 1, message: `cannot read: ${(e as Error).message}` });
    return null;
  }
  return parseYaml(text, rel, problems);
}

/** The same for a text already read (a version from the store, a draft). */
export function parseYaml(text: string, rel: string, problems: Problem[]): YamlFile | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const err of doc.errors) {
      problems.push({ file: rel, line: lines.linePos(err.pos[0]).line, message: `YAML: ${err.message.split('\n')[0]}` });
    }
    return null;
  }
  return { file: rel, doc, lines };
}

export function validate<T>(y: YamlFile, schema: ZodType<T>, problems: Problem[]): T | null {
  const result = schema.safeParse(y.doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const where = path.length ? ` (at ${path.join('.')})` : '';
    // An unknown key is reported on its own line (zod gives the path of the object holding it).
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ file: y.file, line: keyLineOf(y, [...path, key]), message: `unknown key "${key}"${where}`, field: [...path, key].join('.') });
      continue;
    }
    problems.push({ file: y.file, line: lineOf(y, path), message: `${issue.message}${where}`, ...(path.length ? { field: path.join('.') } : {}) });
  }
  return null;
}
