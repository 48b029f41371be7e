import type { Pod } from 'kubernetes-types/core/v1';
import { resolvable, type FilterPlugin } from '../framework';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
  }
  return out;
}

/** HostPortInfo conflict: same protocol and port, and the same IP or either side on 0.0.0.0. */
function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

/** Filter (NodePorts): the pod's hostPorts must be free on the node (resolvable: preemption may free them). */
export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  // A deleted assigned pod helps when it held a port the pod wants; node changes always may (no hint, as kube).
  events: [
    {
      resource: 'AssignedPod',
      actions: ['Delete'],
      hint: (pod, ev) => {
        const want = hostPorts(pod);
        return hostPorts(ev.oldObj as Pod).some((used) => want.some((w) => conflicts(w, used)));
      },
    },
    { resource: 'Node', actions: ['Add', 'Update'] },
  ],
  skip: (pod) => !hostPorts(pod).length,
  filter(pod, ni) {
    const want = hostPorts(pod);
    if (!want.length) return null;
    for (const other of ni.pods) {
      if (other.status?.phase === 'Succeeded' || other.status?.phase === 'Failed') continue;
      for (const used of hostPorts(other)) if (want.some((w) => conflicts(w, used))) return resolvable(ERR_REASON_NODE_PORTS);
    }
    return null;
  },
};
