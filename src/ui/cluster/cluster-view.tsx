import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import { Nodes, Pods } from '../../api/resources';
import { memo, useCallback, useState } from 'react';
import { PodPanel } from './pod-panel';
import { PodOpenLink, ServicesList } from './open-links';
import { useResourceList } from './use-resource-list';
import { IngressesList } from './ingresses-list';

function nodeReady(n: Node): string {
  const c = n.status?.conditions?.find((x) => x.type === 'Ready');
  return c?.status === 'True' ? 'Ready' : c?.status === 'False' ? 'NotReady' : 'Unknown';
}

function podStatus(p: Pod): string {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  for (const cs of p.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason && p.status?.phase !== 'Running') return cs.state.terminated.reason;
  }
  return p.status?.phase ?? 'Pending';
}

/** One pod card; re-rendered only when its Pod object changes (the list keeps unchanged objects). */
const PodRow = memo(function PodRow({ pod: p, onToggle }: { pod: Pod; onToggle: (uid: string | undefined) => void }) {
  const status = podStatus(p);
  return (
    <li data-testid="pod" data-pod={p.metadata?.name} onClick={() => onToggle(p.metadata?.uid)} style={{ cursor: 'pointer' }}>
      <span className="muted">{p.metadata?.namespace}/</span>
      {p.metadata?.name} <span className={`badge pod-${status.toLowerCase()}`}>{status}</span>
      <PodOpenLink pod={p} />
    </li>
  );
});

/** The live picture: nodes with their readiness and the pods placed on each. */
export function ClusterView(props: { client: ApiClient | undefined; bootError?: string }) {
  const nodes = useResourceList<Node>(props.client, Nodes);
  const pods = useResourceList<Pod>(props.client, Pods);
  const ready = nodes.filter((n) => nodeReady(n) === 'Ready').length;
  const [selected, setSelected] = useState<string>();
  const [stopped, setStopped] = useState<ReadonlySet<string>>(new Set());
  const toggleNode = (name: string) => async () => {
    const down = stopped.has(name);
    await (down ? window.tabernetes.startNode(name) : window.tabernetes.stopNode(name));
    setStopped((cur) => {
      const next = new Set(cur);
      if (down) next.delete(name);
      else next.add(name);
      return next;
    });
  };
  const selectedPod = pods.find((p) => p.metadata?.uid === selected);
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node) continue;
    const list = byNode.get(node);
    if (list) list.push(p);
    else byNode.set(node, [p]);
  }
  const select = (p: Pod) => () => setSelected(p.metadata?.uid === selected ? undefined : p.metadata?.uid);
  const toggle = useCallback((uid: string | undefined) => setSelected((cur) => (cur === uid ? undefined : uid)), []);
  return (
    <section className="pane cluster-pane" data-testid="cluster">
      <header className="pane-header">
        <span>Cluster</span>
        <span className="muted" data-testid="cluster-summary">
          {props.bootError ? 'boot failed' : props.client ? `${ready}/${nodes.length} nodes Ready` : 'booting…'}
        </span>
      </header>
      {props.bootError && <pre className="apply-outcome error">{props.bootError}</pre>}
      <div className="nodes">
        {nodes.map((n) => {
          const name = n.metadata?.name ?? '';
          const onNode = byNode.get(name) ?? [];
          const status = nodeReady(n);
          const roles = Object.keys(n.metadata?.labels ?? {})
            .filter((l) => l.startsWith('node-role.kubernetes.io/'))
            .map((l) => l.slice('node-role.kubernetes.io/'.length));
          return (
            <div className={`node ${status === 'Ready' ? 'ready' : 'not-ready'}`} key={name} data-testid="node" data-node={name} data-status={status}>
              <div className="node-title">
                <span className="dot" /> <strong>{name}</strong> <span className="muted">{roles.join(',') || 'worker'}</span>
                <span className="badge">{status}</span>
                <button
                  className="node-power"
                  data-testid="node-power"
                  title={stopped.has(name) ? 'Start this node\'s kubelet again' : 'Simulate a node failure: stop this node\'s kubelet and its containers'}
                  onClick={toggleNode(name)}
                >
                  {stopped.has(name) ? 'Start' : 'Stop'}
                </button>
              </div>
              <ul className="pods">
                {onNode.map((p) => (
                  <PodRow key={p.metadata?.uid} pod={p} onToggle={toggle} />
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {pods.some((p) => !p.spec?.nodeName) && (
        <div className="pending">
          <strong>Unscheduled</strong>
          <ul className="pods">
            {pods
              .filter((p) => !p.spec?.nodeName)
              .map((p) => (
                <li key={p.metadata?.uid} data-testid="pending-pod" data-pod={p.metadata?.name} onClick={select(p)} style={{ cursor: 'pointer' }}>
                  {p.metadata?.namespace}/{p.metadata?.name} <span className="badge">{podStatus(p)}</span>
                </li>
              ))}
          </ul>
        </div>
      )}
      <ServicesList client={props.client} nodes={nodes} />
      <IngressesList client={props.client} />
      {selectedPod && <PodPanel pod={selectedPod} onClose={() => setSelected(undefined)} />}
    </section>
  );
}
