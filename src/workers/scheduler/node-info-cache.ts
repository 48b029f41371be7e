import type { Node, Pod } from 'kubernetes-types/core/v1';
import { metaKey } from '../../api/resources';
import type { AffinityPod, NodeFacts, NodeInfo } from './framework';

/**
 * The scheduler cache: one NodeInfo per node, holding bound and assumed pods, updated incrementally from
 * informer events. A change replaces the node's NodeInfo object (so per-NodeInfo memoized sums stay valid)
 * in place in list(); list() is the live snapshot and must not be held across an await.
 * Pods may arrive before their node; they are attached when it is added.
 */
/** Every NodeInfo the cache makes has the same fields in the same order (one object shape for the hot loop). */
function info(node: Node, pods: Pod[], facts: NodeFacts | undefined): NodeInfo {
  return { node, pods, resources: undefined, facts };
}

export class NodeInfoCache {
  private readonly infos: NodeInfo[] = [];
  private readonly index = new Map<string, number>();
  private readonly podNode = new Map<string, { node: string; pod: Pod }>();
  private readonly orphans = new Map<string, Map<string, Pod>>();
  private readonly withAffinity = new Map<string, AffinityPod>();
  private affinityList: AffinityPod[] | undefined;

  /** Placed pods with pod (anti-)affinity terms (kube's PodsWithAffinity), for InterPodAffinity. */
  affinityPods(): AffinityPod[] {
    return (this.affinityList ??= [...this.withAffinity.values()]);
  }

  list(): NodeInfo[] {
    return this.infos;
  }

  get(name: string): NodeInfo | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.infos[i];
  }

  nodeOfPod(key: string): string | undefined {
    return this.podNode.get(key)?.node;
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const i = this.index.get(name);
    if (i !== undefined) {
      this.infos[i] = info(node, this.infos[i].pods, this.infos[i].node === node ? this.infos[i].facts : undefined);
      return;
    }
    const pods = [...(this.orphans.get(name)?.values() ?? [])];
    this.orphans.delete(name);
    this.index.set(name, this.infos.length);
    this.infos.push(info(node, pods, undefined));
  }

  removeNode(name: string): void {
    const i = this.index.get(name);
    if (i === undefined) return;
    const orphaned = new Map(this.infos[i].pods.map((p) => [metaKey(p), p]));
    if (orphaned.size) this.orphans.set(name, orphaned);
    const last = this.infos.pop()!;
    this.index.delete(name);
    if (i < this.infos.length) {
      this.infos[i] = last;
      this.index.set(last.node.metadata?.name ?? '', i);
    }
  }

  /** Adds or replaces the pod on nodeName (an assumed pod is replaced by its bound version). */
  setPod(pod: Pod, nodeName: string): void {
    const key = metaKey(pod);
    const prev = this.podNode.get(key);
    if (prev && prev.node !== nodeName) this.removePod(key);
    this.podNode.set(key, { node: nodeName, pod });
    const a = pod.spec?.affinity;
    if (a?.podAffinity || a?.podAntiAffinity) {
      this.withAffinity.set(key, { pod, node: nodeName });
      this.affinityList = undefined;
    } else if (this.withAffinity.delete(key)) this.affinityList = undefined;
    this.mutate(nodeName, (pods) => [...pods.filter((p) => metaKey(p) !== key), pod]);
  }

  removePod(key: string): void {
    const prev = this.podNode.get(key);
    if (!prev) return;
    this.podNode.delete(key);
    if (this.withAffinity.delete(key)) this.affinityList = undefined;
    this.mutate(prev.node, (pods) => pods.filter((p) => metaKey(p) !== key));
  }

  private mutate(nodeName: string, fn: (pods: Pod[]) => Pod[]): void {
    const i = this.index.get(nodeName);
    if (i !== undefined) {
      const old = this.infos[i];
      this.infos[i] = info(old.node, fn(old.pods), old.facts);
      return;
    }
    const o = this.orphans.get(nodeName) ?? new Map<string, Pod>();
    const next = fn([...o.values()]);
    if (next.length) this.orphans.set(nodeName, new Map(next.map((p) => [metaKey(p), p])));
    else this.orphans.delete(nodeName);
  }
}
