import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { cycleState, type NodeInfo } from '../framework';
import { numFeasibleNodesToFind, schedulePod } from '../schedule-pod';
import {
  defaultProfile,
  ImageLocality,
  InterPodAffinity,
  NodePorts,
  NodeResourcesBalancedAllocation,
  NodeResourcesFit,
  NodeResourcesLeastAllocated,
  podRequests,
  PodTopologySpread,
} from '.';

const node = (name: string, labels: Record<string, string> = {}, allocatable: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' }): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable },
});
let n = 0;
const pod = (spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}, name = `p${++n}`): Pod => ({
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const req = (cpu?: string, memory?: string) => ({ resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } });
const withReq = (cpu?: string, memory?: string, extra: Partial<Pod['spec']> = {}) => pod({ containers: [{ name: 'c', image: 'busybox', ...req(cpu, memory) }], ...extra });
const ni = (nd: Node, pods: Pod[] = []): NodeInfo => ({ node: nd, pods });
const filter = (f: typeof NodeResourcesFit, p: Pod, info: NodeInfo, all = [info]) => f.filter(p, info, cycleState(all));

describe('NodeResourcesFit', () => {
  it('sums containers, takes the max with init containers (sidecars run alongside) and adds overhead', () => {
    const p = pod({
      containers: [{ name: 'a', ...req('100m', '64Mi') }, { name: 'b', ...req('200m') }],
      initContainers: [{ name: 'i', ...req('1', '32Mi') }, { name: 's', restartPolicy: 'Always', ...req('50m') }],
      overhead: { cpu: '10m' },
    });
    // containers 300m + sidecar 50m = 350m < init 1000m; + 10m overhead
    expect(podRequests(p).get('cpu')).toBe(1010);
    expect(podRequests(p).get('memory')).toBe(64 * 2 ** 20);
    expect(podRequests(pod({ containers: [{ name: 'a' }] }), true)).toEqual(new Map([['cpu', 100], ['memory', 200 * 2 ** 20]]));
  });

  it('reports Insufficient cpu/memory and Too many pods, all resolvable', () => {
    const full = ni(node('a', {}, { cpu: '1', memory: '1Gi', pods: '2' }), [withReq('600m', '512Mi'), withReq('300m')]);
    expect(filter(NodeResourcesFit, withReq('200m', '600Mi'), full)).toEqual({ code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory'] });
    expect(filter(NodeResourcesFit, withReq('100m'), ni(full.node, full.pods.slice(0, 1)))).toBeNull();
    expect(filter(NodeResourcesFit, pod({ containers: [{ name: 'g', resources: { requests: { 'example.com/gpu': '1' } } }] }), ni(node('b')))).toEqual({ code: 'Unschedulable', reasons: ['Insufficient example.com/gpu'] });
  });

  it('scores LeastAllocated and BalancedAllocation as kube does', () => {
    // cpu 4000m, memory 8Gi; pod 1 cpu / 2Gi on an empty node: cpu (3000·100/4000)=75, mem 75 → 75
    const info = ni(node('a'));
    const p = withReq('1', '2Gi');
    const st = cycleState([info]);
    expect(NodeResourcesLeastAllocated.score(p, info, st)).toBe(75);
    expect(NodeResourcesBalancedAllocation.score(p, info, st)).toBe(100);
    // cpu fraction 0.25, memory 0.5 → std 0.125 → 87
    expect(NodeResourcesBalancedAllocation.score(withReq('1', '4Gi'), info, st)).toBe(87);
    expect(NodeResourcesBalancedAllocation.preScore!(pod(), [info], st)).toBe(false);
  });
});

describe('NodePorts', () => {
  it("rejects a hostPort already used on the node with kube's reason", () => {
    const web = (hostPort: number, hostIP?: string, protocol = 'TCP') => pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }] });
    const info = ni(node('a'), [web(8080)]);
    expect(filter(NodePorts, web(8080, '10.0.0.1'), info)).toEqual({ code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] });
    expect(filter(NodePorts, web(8080, undefined, 'UDP'), info)).toBeNull();
    expect(filter(NodePorts, web(8081), info)).toBeNull();
  });
});

describe('InterPodAffinity', () => {
  const zone = (name: string, z: string, pods: Pod[] = []) => ni(node(name, { 'topology.kubernetes.io/zone': z }), pods);
  const term = (app: string, topologyKey = 'topology.kubernetes.io/zone') => ({ labelSelector: { matchLabels: { app } }, topologyKey });
  const run = (p: Pod, all: NodeInfo[]) => {
    const st = cycleState(all);
    InterPodAffinity.preFilter!(p, st);
    return all.map((x) => InterPodAffinity.filter(p, x, st)?.reasons[0] ?? 'ok');
  };

  it('places by required affinity and anti-affinity per topology domain', () => {
    const all = [zone('a', 'z1', [pod({}, { app: 'db' })]), zone('b', 'z1'), zone('c', 'z2')];
    const aff = pod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
    expect(run(aff, all)).toEqual(['ok', 'ok', "node(s) didn't match pod affinity rules"]);
    const anti = pod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
    expect(run(anti, all)).toEqual(["node(s) didn't match pod anti-affinity rules", "node(s) didn't match pod anti-affinity rules", 'ok']);
    // the first pod of a self-affine group may go anywhere
    const first = pod({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } }, { app: 'web' });
    expect(run(first, all)).toEqual(['ok', 'ok', 'ok']);
  });

  it("honours existing pods' anti-affinity", () => {
    const guard = pod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'kubernetes.io/hostname')] } } });
    const all = [zone('a', 'z1', [guard]), zone('b', 'z1')];
    expect(run(pod({}, { app: 'web' }), all)).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules", 'ok']);
  });
});

describe('PodTopologySpread', () => {
  it('keeps skew within maxSkew and rejects nodes missing the topology label', () => {
    const c = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
    const web = () => pod({}, { app: 'web' });
    const all = [ni(node('a', { zone: 'z1' }), [web(), web()]), ni(node('b', { zone: 'z2' }), [web()]), ni(node('c'))];
    const p = pod({ topologySpreadConstraints: [c] }, { app: 'web' });
    const st = cycleState(all);
    PodTopologySpread.preFilter!(p, st);
    expect(all.map((x) => PodTopologySpread.filter(p, x, st)?.reasons[0] ?? 'ok')).toEqual([
      "node(s) didn't match pod topology spread constraints",
      'ok',
      "node(s) didn't match pod topology spread constraints (missing required label)",
    ]);
    const r = schedulePod(defaultProfile(), p, all);
    expect(r.ok && r.node).toBe('b');
  });
});

describe('ImageLocality', () => {
  it('prefers nodes that already have the images', () => {
    const big = (name: string, images: string[]) => ({ ...node(name), status: { ...node(name).status, images: [{ names: images, sizeBytes: 500 * 2 ** 20 }] } });
    const all = [ni(big('a', ['docker.io/library/busybox:latest', 'busybox:latest'])), ni(node('b'))];
    const st = cycleState(all);
    const p = pod();
    expect(ImageLocality.score(p, all[0], st)).toBeGreaterThan(0);
    expect(ImageLocality.score(p, all[1], st)).toBe(0);
  });
});

describe('framework', () => {
  it("samples nodes with kube's adaptive percentageOfNodesToScore", () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(500)).toBe(230); // 50 − 4 = 46%
    expect(numFeasibleNodesToFind(5000)).toBe(500); // max(5, 50 − 40) = 10%
    expect(numFeasibleNodesToFind(100_000)).toBe(5000); // floor 5%
    expect(numFeasibleNodesToFind(150)).toBe(100);
    const many = Array.from({ length: 500 }, (_, i) => ni(node(`n${i}`)));
    const r = schedulePod(defaultProfile(), pod(), many, { start: 490 });
    expect(r.diagnosis.evaluated).toBe(230);
    expect(r.diagnosis.nodes[0].node).toBe('n490');
  });

  it('breaks ties by reservoir sampling and records per-plugin scores', () => {
    const all = [ni(node('a')), ni(node('b')), ni(node('c'))];
    const pick = (randomInt: (m: number) => number) => (schedulePod(defaultProfile(), pod(), all, { randomInt }) as { node: string }).node;
    // the k-th tied node replaces the pick when randomInt(k) is 0
    expect(pick(() => 1)).toBe('a');
    expect(pick((m) => (m === 2 ? 0 : 1))).toBe('b');
    expect(pick(() => 0)).toBe('c');
    const r = schedulePod(defaultProfile(), withReq('1', '1Gi'), all);
    const d = r.diagnosis.nodes.find((x) => x.node === 'a')!;
    expect(d.filters.every((f) => f.passed)).toBe(true);
    expect(d.scores?.find((s) => s.plugin === 'NodeResourcesFit')).toEqual({ plugin: 'NodeResourcesFit', raw: 81, normalized: 81, weight: 1 });
  });
});
