import { describe, expect, it } from 'vitest';
import { ObjectIndex } from './object-index';

interface O {
  ns: string;
  name: string;
  v: number;
}

describe('ObjectIndex', () => {
  it('lists like filtering and sorting the whole cache, through adds, updates and deletes', () => {
    const idx = new ObjectIndex<O>();
    const naive = new Map<string, O>();
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const namespaces = ['', 'a', 'b', 'kube-system'];
    for (let step = 0; step < 5000; step++) {
      const ns = namespaces[rnd(namespaces.length)];
      const name = `p-${rnd(60)}`;
      const key = ns ? `${ns}/${name}` : name;
      if (rnd(3) === 0) {
        expect(idx.delete(key, ns)).toBe(naive.delete(key));
      } else {
        const o = { ns, name, v: step };
        idx.set(key, ns, o);
        naive.set(key, o);
      }
      if (step % 97 === 0) {
        const sorted = [...naive].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
        expect(idx.list(undefined)).toEqual(sorted);
        for (const n of namespaces.filter(Boolean)) expect(idx.list(n)).toEqual(sorted.filter((o) => o.ns === n));
        expect(idx.list('a', (o) => o.v % 2 === 0)).toEqual(sorted.filter((o) => o.ns === 'a' && o.v % 2 === 0));
        expect(idx.size).toBe(naive.size);
      }
    }
    expect(idx.list('nope')).toEqual([]);
  });
});
