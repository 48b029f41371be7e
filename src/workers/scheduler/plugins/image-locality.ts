import type { Pod } from 'kubernetes-types/core/v1';
import { MAX_NODE_SCORE, type CycleState, type ScorePlugin } from '../framework';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Docker-style normalization used for matching: "nginx" ≡ "docker.io/library/nginx:latest". */
export function normalizedImageName(name: string): string {
  let n = name;
  const lastSlash = n.lastIndexOf('/');
  if (!n.slice(lastSlash + 1).includes(':') && !n.includes('@')) n += ':latest';
  return n;
}

function imageStates(state: CycleState): Map<string, { size: number; nodes: number }> {
  let m = state.data.get('ImageLocality') as Map<string, { size: number; nodes: number }> | undefined;
  if (!m) {
    m = new Map();
    for (const ni of state.all) {
      for (const img of ni.node.status?.images ?? []) {
        for (const name of new Set((img.names ?? []).map(normalizedImageName))) {
          const s = m.get(name) ?? { size: img.sizeBytes ?? 0, nodes: 0 };
          s.nodes++;
          m.set(name, s);
        }
      }
    }
    state.data.set('ImageLocality', m);
  }
  return m;
}

/**
 * Score (ImageLocality, weight 1): the sizes of the pod's images already on the node, each scaled by the
 * share of nodes having it, mapped from [23MB, 1000MB·containers] onto 0..100.
 */
export const ImageLocality: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  // Nothing to prefer when no candidate node reports images: every score would be 0.
  preScore: (_pod, feasible) => feasible.some((ni) => ni.node.status?.images?.length),
  score(pod: Pod, ni, state) {
    const states = imageStates(state);
    if (!states.size || !ni.node.status?.images?.length) return 0;
    const onNode = new Set((ni.node.status?.images ?? []).flatMap((i) => (i.names ?? []).map(normalizedImageName)));
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    let sum = 0;
    for (const c of containers) {
      const name = normalizedImageName(c.image ?? '');
      const s = states.get(name);
      if (s && onNode.has(name)) sum += Math.trunc(s.size * (s.nodes / state.all.length));
    }
    const max = MAX_CONTAINER_THRESHOLD * Math.max(1, containers.length);
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
    return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
  },
};
