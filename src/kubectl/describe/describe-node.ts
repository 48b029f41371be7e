import type { Container, Event, Node, Pod, Taint } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { timestampSince } from '../../api/duration';
import { milliValue, quantityValue } from '../../api/quantity';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { rfc1123z } from './describe-pod';

/** The lease in kube-node-lease, or the error text kubectl prints after "Failed to get lease: ". */
export type NodeLease = { lease: Lease } | { error: string };

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** findNodeRoles: node-role.kubernetes.io/<role> label keys and the kubernetes.io/role value, sorted, unique. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/**
 * Quantity.String() of a sum of quantities: milli-precision for cpu-like values ("250m", "1"), and the
 * first addend's format (binary "Ki/Mi/Gi" or decimal "k/M/G") for whole values; "0" for no addends.
 */
export function sumQuantities(values: string[]): string {
  if (!values.length) return '0';
  const milli = values.reduce((n, v) => n + milliValue(v), 0);
  if (milli % 1000 !== 0) return `${milli}m`;
  let n = milli / 1000;
  if (n === 0) return '0';
  const binary = /[KMGTPE]i$/.test(values[0]);
  const [base, suffixes] = binary ? [1024, BINARY] : [1000, DECIMAL];
  let i = 0;
  while (i < suffixes.length - 1 && n % base === 0) {
    n /= base;
    i++;
  }
  if (binary && i === 0) return String(n);
  return `${n}${suffixes[i]}`;
}

/** resourcehelper.PodRequests / PodLimits: containers summed, then the max with each init container, plus overhead. */
export function podResources(pod: Pod, kind: 'requests' | 'limits'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const of = (c: Container) => (c.resources?.[kind] ?? {}) as Record<string, string>;
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(of(c))) (out[k] ??= []).push(String(v));
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(of(c))) {
      if (c.restartPolicy === 'Always') (out[k] ??= []).push(String(v));
      else if (!out[k] || compareQuantity(sumQuantities(out[k]), String(v)) < 0) out[k] = [String(v)];
    }
  }
  for (const [k, v] of Object.entries((pod.spec?.overhead ?? {}) as Record<string, string>)) if (out[k]) out[k].push(String(v));
  return out;
}

const compareQuantity = (a: string, b: string) => milliValue(a) - milliValue(b);

/** printTaintsMultiline: NoSchedule, then PreferNoSchedule, then NoExecute taints, "key=value:effect". */
function printTaints(w: PrefixWriter, taints: Taint[] | undefined): void {
  w.write(0, 'Taints:\t');
  if (!taints?.length) return w.writeLine('<none>');
  let i = 0;
  for (const effect of ['NoSchedule', 'PreferNoSchedule', 'NoExecute']) {
    for (const t of taints) {
      if (t.effect !== effect) continue;
      if (i++ !== 0) w.write(0, '\t');
      w.write(0, `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`);
    }
  }
}

const pct = (part: number, whole: number) => (whole === 0 ? (part === 0 ? 0 : part > 0 ? Infinity : 0) : Math.trunc((part / whole) * 100));
const pctStr = (n: number) => (Number.isFinite(n) ? String(n) : '-9223372036854775808');

/** kubectl describe node (1.32 layout); pods are the node's non-terminated pods, undefined = not authorized. */
export function describeNode(node: Node, pods: Pod[] | undefined, lease: NodeLease | undefined, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = node.spec ?? {};
  const st = node.status ?? {};
  w.write(0, `Name:\t${node.metadata?.name ?? ''}\n`);
  const roles = nodeRoles(node);
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', node.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata?.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
  printTaints(w, spec.taints);
  w.write(0, `Unschedulable:\t${!!spec.unschedulable}\n`);
  if (lease && 'error' in lease) w.write(0, `Lease:\tFailed to get lease: ${lease.error}\n`);
  else if (lease) {
    const ls = lease.lease.spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${ls.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${ls.acquireTime ? rfc1123z(ls.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${ls.renewTime ? rfc1123z(ls.renewTime) : '<unset>'}\n`);
  }
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  const printList = (title: string, list: Record<string, unknown> | undefined) => {
    if (!list || !Object.keys(list).length) return;
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${String(list[k])}\n`);
  };
  printList('Capacity', st.capacity);
  printList('Allocatable', st.allocatable);
  const ni = st.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${ni?.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${ni?.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${ni?.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${ni?.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${ni?.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${ni?.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${ni?.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${ni?.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${ni?.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${ni?.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  if (pods) describeNodeResource(w, node, pods, now);
  else w.write(0, 'Pods:\tnot authorized\n');
  if (events) describeEvents(events, w, now);
  return w.toString();
}

function describeNodeResource(w: PrefixWriter, node: Node, pods: Pod[], now: number): void {
  const alloc = ((Object.keys(node.status?.allocatable ?? {}).length ? node.status?.allocatable : node.status?.capacity) ?? {}) as Record<string, string>;
  const allocCpu = milliValue(alloc.cpu);
  const allocMem = quantityValue(alloc.memory);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const cell = (vals: string[] | undefined, whole: number, milli: boolean) => {
    const s = sumQuantities(vals ?? []);
    return `${s} (${pctStr(pct(milli ? milliValue(s) : quantityValue(s), whole))}%)`;
  };
  const reqs: Record<string, string[]> = {};
  const lims: Record<string, string[]> = {};
  for (const pod of pods) {
    const r = podResources(pod, 'requests');
    const l = podResources(pod, 'limits');
    for (const [k, v] of Object.entries(r)) (reqs[k] ??= []).push(sumQuantities(v));
    for (const [k, v] of Object.entries(l)) (lims[k] ??= []).push(sumQuantities(v));
    w.write(1, `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${cell(r.cpu, allocCpu, true)}\t${cell(l.cpu, allocCpu, true)}\t${cell(r.memory, allocMem, false)}\t${cell(l.memory, allocMem, false)}\t${timestampSince(pod.metadata?.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const total = (name: string, milli: boolean) => {
    const whole = milli ? milliValue(alloc[name]) : quantityValue(alloc[name]);
    const f = (vals: string[] | undefined) => {
      const s = sumQuantities(vals ?? []);
      return `${s} (${whole === 0 ? 0 : Math.trunc(((milli ? milliValue(s) : quantityValue(s)) / whole) * 100)}%)`;
    };
    w.write(1, `${name}\t${f(reqs[name])}\t${f(lims[name])}\n`);
  };
  total('cpu', true);
  total('memory', false);
  total('ephemeral-storage', false);
  const names = Object.keys(alloc).sort();
  for (const n of names.filter((n) => n.startsWith('hugepages-'))) total(n, false);
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
  for (const n of names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n) && !n.startsWith('requests.') && !n.startsWith('limits.'))) {
    w.write(1, `${n}\t${sumQuantities(reqs[n] ?? [])}\t${sumQuantities(lims[n] ?? [])}\n`);
  }
}
