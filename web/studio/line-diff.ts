// The merge view of an edit conflict: the two texts line by line — common lines once, lines only
// in theirs and lines only in mine marked — so an editor sees what each changed before choosing
// or combining (longest common subsequence; items are at most 8,000 characters).

export type DiffLine = { kind: 'same' | 'theirs' | 'mine'; text: string };

export function lineDiff(theirs: string, mine: string): DiffLine[] {
  const a = theirs.split('\n');
  const b = mine.split('\n');
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: common lines of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'theirs', text: a[i++]! });
    else out.push({ kind: 'mine', text: b[j++]! });
  }
  while (i < n) out.push({ kind: 'theirs', text: a[i++]! });
  while (j < m) out.push({ kind: 'mine', text: b[j++]! });
  return out;
}
