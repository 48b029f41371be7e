import type { Pod } from 'kubernetes-types/core/v1';
import type { ScorePlugin } from '../framework';

export function isTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Score: fewer non-terminated pods is better. Scores are normalized to 0..100 across the feasible nodes
 * (the emptiest gets 100); ties are broken by node name in the framework.
 */
export const LeastLoaded: ScorePlugin = {
  name: 'LeastLoaded',
  score(_pod, nodeInfo, all) {
    const load = (pods: Pod[]) => pods.filter((p) => !isTerminated(p)).length;
    const max = Math.max(...all.map((ni) => load(ni.pods)));
    if (max === 0) return 100;
    return Math.round(((max - load(nodeInfo.pods)) / max) * 100);
  },
};
