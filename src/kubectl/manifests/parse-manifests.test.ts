import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests';

const one = (yaml: string) => {
  const r = parseManifests(yaml, 'STDIN');
  if (!r.ok) throw new Error(r.error.message);
  return r.objects[0] as Record<string, unknown>;
};

describe('parseManifests', () => {
  it('resolves scalars as kubectl (go-yaml v2, YAML 1.1) does: octal, yes/no/on/off, underscores', () => {
    const o = one('kind: X\nmode: 0440\nq: "0440"\na: yes\nb: off\nc: 1_000\nd: 0b101\ne: 2024-01-01\nf: 22:22\ny: 1\n');
    expect(o).toEqual({ kind: 'X', mode: 288, q: '0440', a: true, b: false, c: 1000, d: 5, e: '2024-01-01', f: '22:22', true: 1 });
  });

  it('fails the whole stream with the line and column of a syntax error', () => {
    const r = parseManifests('kind: A\n---\nkind: [\n', 'x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^error parsing x\.yaml: error converting YAML to JSON: yaml: line \d+/);
  });
});
