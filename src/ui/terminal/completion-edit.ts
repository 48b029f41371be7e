import { commonPrefix, type Completion } from '../../kubectl';

/**
 * What Tab does with completion candidates, bash-like: one candidate → insert its rest plus a space
 * (no space after "=" or "/"); several → insert their common prefix, or list them when the prefix adds
 * nothing; none → nothing.
 */
export function completionEdit(c: Completion): { insert: string; list?: string[] } {
  if (c.candidates.length === 0) return { insert: '' };
  const prefix = commonPrefix(c.candidates);
  if (c.candidates.length === 1) {
    const open = prefix.endsWith('=') || prefix.endsWith('/');
    return { insert: prefix.slice(c.word.length) + (open ? '' : ' ') };
  }
  const insert = prefix.slice(c.word.length);
  return insert ? { insert } : { insert: '', list: c.candidates };
}

/** Candidates laid out in columns for a terminal of `cols` columns (CRLF line ends). */
export function formatCandidates(list: string[], cols: number): string {
  const width = Math.max(...list.map((s) => s.length)) + 2;
  const perLine = Math.max(1, Math.floor(cols / width));
  let out = '';
  for (let i = 0; i < list.length; i += perLine) out += list.slice(i, i + perLine).map((s) => s.padEnd(width)).join('').trimEnd() + '\r\n';
  return out;
}
