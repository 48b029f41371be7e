import type { Container, PodSpec, Probe, Volume } from 'kubernetes-types/core/v1';

/**
 * Pod defaulting as kube-apiserver 1.32 applies it (SetDefaults_* in pkg/apis/core/v1), so `kubectl get pod -o yaml`
 * looks real. Priority, tolerations and the service account token come from the admission chain (../admission).
 */

/** The pull policy the defaulter picks from the image reference (":latest" or no tag → Always). */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
  if (p.grpc) p.grpc.service ??= '';
}

/** `template`: inside a PodTemplateSpec, where kube runs SetDefaults_PodSpec but not SetDefaults_Pod's parts. */
export function defaultContainer(c: Container, hostNetwork: boolean, template = false): void {
  if (c.image !== undefined && c.image !== '') c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  if (c.resources.limits && !template) {
    const req = (c.resources.requests ??= {});
    for (const [k, v] of Object.entries(c.resources.limits)) if (req[k] === undefined) req[k] = v;
  }
  for (const p of c.ports ?? []) {
    p.protocol ??= 'TCP';
    if (hostNetwork && !template && p.hostPort === undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (h?.httpGet) h.httpGet.scheme ??= 'HTTP';
}

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.hostPath) v.hostPath.type ??= '';
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/**
 * SetDefaults_PodSpec and friends; safe to run on any pod (idempotent). `template`: a workload's PodTemplateSpec,
 * which kube does not give SetDefaults_Pod's defaults (enableServiceLinks, requests from limits, hostNetwork hostPorts).
 */
export function defaultPodSpec(spec: PodSpec, template = false): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  if (!template) spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork, template);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork, template);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container, hostNetwork, template);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** v1 qos.GetPodQOS: Guaranteed when every container sets equal cpu and memory requests and limits; BestEffort when none set any. */
export function podQOSClass(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    const relevant = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k === 'cpu' || k === 'memory');
    if (relevant(req).length || relevant(lim).length) anySet = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
