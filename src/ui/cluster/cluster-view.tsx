import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import { Nodes, Pods } from '../../api/resources';
import { memo, useCallback, useRef, useState } from 'react';
import { PodPanel } from './pod-panel';
import { PodOpenLink, ServicesList } from './open-links';
import { useResourceList } from './use-resource-list';
import { IngressesList } from './ingresses-list';
import { WindowedList } from './windowed-list';
import { groupByNode } from './group-by-node';

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

const PendingRow = memo(function PendingRow({ pod: p, onToggle }: { pod: Pod; onToggle: (uid: string | undefined) => void }) {
  return (
    <li data-testid="pending-pod" data-pod={p.metadata?.name} onClick={() => onToggle(p.metadata?.uid)} style={{ cursor: 'pointer' }}>
      {p.metadata?.namespace}/{p.metadata?.name} <span className="badge">{podStatus(p)}</span>
    </li>
  );
});

/** One node card; re-rendered only when the Node, its pod array (kept stable by groupByNode) or its power state change. */
const NodeCard = memo(function NodeCard(props: {
  node: Node;
  pods: readonly Pod[];
  stopped: boolean;
  onPower: (name: string, down: boolean) => void;
  onToggle: (uid: string | undefined) => void;
}) {
  const n = props.node;
  const name = n.metadata?.name ?? '';
  const status = nodeReady(n);
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length));
  const onToggle = props.onToggle;
  const renderRow = useCallback((p: Pod) => <PodRow key={p.metadata?.uid} pod={p} onToggle={onToggle} />, [onToggle]);
  return (
    <div className={`node ${status === 'Ready' ? 'ready' : 'not-ready'}`} data-testid="node" data-node={name} data-status={status}>
      <div className="node-title">
        <span className="dot" /> <strong>{name}</strong> <span className="muted">{roles.join(',') || 'worker'}</span>
        {props.pods.length > 0 && (
          <span className="muted" data-testid="node-pod-count">
            {props.pods.length} pod{props.pods.length === 1 ? '' : 's'}
          </span>
        )}
        <span className="badge">{status}</span>
        <button
          className="node-power"
          data-testid="node-power"
          title={props.stopped ? 'Start this node\'s kubelet again' : 'Simulate a node failure: stop this node\'s kubelet and its containers'}
          onClick={() => props.onPower(name, props.stopped)}
        >
          {props.stopped ? 'Start' : 'Stop'}
        </button>
      </div>
      <WindowedList className="pods" items={props.pods} renderRow={renderRow} />
    </div>
  );
});

/**
 * The live picture: nodes with their readiness and the pods placed on each. A render costs O(pods) for the
 * grouping plus the rows that changed; long pod lists render only the rows near the viewport (WindowedList).
 */
export function ClusterView(props: { client: ApiClient | undefined; bootError?: string }) {
  const nodes = useResourceList<Node>(props.client, Nodes);
  const pods = useResourceList<Pod>(props.client, Pods);
  const ready = nodes.filter((n) => nodeReady(n) === 'Ready').length;
  const [selected, setSelected] = useState<string>();
  const [stopped, setStopped] = useState<ReadonlySet<string>>(new Set());
  const power = useCallback(async (name: string, down: boolean) => {
    await (down ? window.tabernetes.startNode(name) : window.tabernetes.stopNode(name));
    setStopped((cur) => {
      const next = new Set(cur);
      if (down) next.delete(name);
      else next.add(name);
      return next;
    });
  }, []);
  const onPower = useCallback((name: string, down: boolean) => void power(name, down), [power]);
  const selectedPod = selected === undefined ? undefined : pods.find((p) => p.metadata?.uid === selected);
  const groups = useRef<ReadonlyMap<string, readonly Pod[]>>(new Map());
  groups.current = groupByNode(pods, groups.current);
  const byNode = groups.current;
  const toggle = useCallback((uid: string | undefined) => setSelected((cur) => (cur === uid ? undefined : uid)), []);
  const renderPending = useCallback((p: Pod) => <PendingRow key={p.metadata?.uid} pod={p} onToggle={toggle} />, [toggle]);
  const unscheduled = byNode.get('') ?? [];
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
          return <NodeCard key={name} node={n} pods={byNode.get(name) ?? NO_PODS} stopped={stopped.has(name)} onPower={onPower} onToggle={toggle} />;
        })}
      </div>
      {unscheduled.length > 0 && (
        <div className="pending">
          <strong>Unscheduled</strong> <span className="muted">{unscheduled.length}</span>
          <WindowedList className="pods" items={unscheduled} renderRow={renderPending} />
        </div>
      )}
      <ServicesList client={props.client} nodes={nodes} />
      <IngressesList client={props.client} />
      {selectedPod && <PodPanel pod={selectedPod} onClose={() => setSelected(undefined)} />}
    </section>
  );
}

const NO_PODS: readonly Pod[] = [];
