/**
 * GNU `diff -u -N` of two files as kubectl diff shows them: the `diff -u -N A B` line, `---`/`+++`
 * headers with timestamps, and hunks of 3 context lines (`@@ -l,s +l,s @@`, `,s` omitted when s is 1,
 * l the line before when s is 0). A missing file (-N) is empty with the epoch as its time.
 * Returns '' when the texts are equal.
 */
export interface DiffFile {
  path: string;
  text: string | undefined;
  /** e.g. 2026-01-01 10:00:00.000000000 +0000 */
  time: string;
}

const EPOCH = '1970-01-01 00:00:00.000000000 +0000';

function lines(text: string | undefined): string[] {
  if (!text) return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Longest-common-subsequence edit script (deletions before insertions in a change, as GNU diff). */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  return ops;
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

export function unifiedDiff(from: DiffFile, to: DiffFile, context = 3): string {
  const a = lines(from.text);
  const b = lines(to.text);
  const ops = editScript(a, b);
  if (ops.every((o) => o.kind === ' ')) return '';
  let out = `diff -u -N ${from.path} ${to.path}\n--- ${from.path}\t${from.text === undefined ? EPOCH : from.time}\n+++ ${to.path}\t${to.text === undefined ? EPOCH : to.time}\n`;
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  let h = 0;
  while (h < changed.length) {
    let end = h;
    while (end + 1 < changed.length && changed[end + 1] - changed[end] <= 2 * context) end++;
    const first = Math.max(0, changed[h] - context);
    const last = Math.min(ops.length - 1, changed[end] + context);
    let aLine = 1;
    let bLine = 1;
    for (let k = 0; k < first; k++) {
      if (ops[k].kind !== '+') aLine++;
      if (ops[k].kind !== '-') bLine++;
    }
    const body = ops.slice(first, last + 1);
    const aCount = body.filter((o) => o.kind !== '+').length;
    const bCount = body.filter((o) => o.kind !== '-').length;
    out += `@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@\n`;
    for (const o of body) out += `${o.kind}${o.line}\n`;
    h = end + 1;
  }
  return out;
}
