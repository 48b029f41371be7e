import type { Pod } from 'kubernetes-types/core/v1';

/**
 * The pods grouped by spec.nodeName (unscheduled pods under ''), each group in the order of `pods`. A group
 * whose members are the same objects in the same order as in `previous` is returned as previous's array, so a
 * memoised node card whose pods did not change skips re-rendering. O(pods).
 */
export function groupByNode(pods: readonly Pod[], previous: ReadonlyMap<string, readonly Pod[]>): ReadonlyMap<string, readonly Pod[]> {
  const next = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName ?? '';
    const list = next.get(node);
    if (list) list.push(p);
    else next.set(node, [p]);
  }
  const out = new Map<string, readonly Pod[]>();
  for (const [node, list] of next) {
    const old = previous.get(node);
    out.set(node, old && old.length === list.length && old.every((p, i) => p === list[i]) ? old : list);
  }
  return out;
}
