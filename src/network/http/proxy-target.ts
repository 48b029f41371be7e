import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';

/** Reads the objects a proxy target depends on; undefined when absent. */
export interface ProxyLookup {
  pod(namespace: string, name: string): Promise<Pod | undefined>;
  service(namespace: string, name: string): Promise<Service | undefined>;
  endpoints(namespace: string, name: string): Promise<Endpoints | undefined>;
}

export interface ProxyTarget {
  ip: string;
  /** A number, or (pods only) the port text as given when it is not numeric: dialling it then fails. */
  port: number;
}

/**
 * Why a target cannot be resolved, as kube-apiserver's ResourceLocation answers: 400 BadRequest, 404
 * NotFound (`notFound` names the resource and object), 503 ServiceUnavailable.
 */
export class ProxyTargetError extends Error {
  constructor(
    readonly code: 400 | 404 | 503,
    message: string,
    readonly notFound?: { resource: 'pods' | 'services' | 'endpoints'; name: string },
  ) {
    super(message);
    this.name = 'ProxyTargetError';
  }
}

/** utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` (scheme http or https). */
function splitSchemeNamePort(id: string): { name: string; port: string } | undefined {
  const parts = id.split(':');
  const [scheme, name, port] = parts.length === 1 ? ['', parts[0], ''] : parts.length === 2 ? ['', parts[0], parts[1]] : parts.length === 3 ? parts : [];
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { name, port };
}

/** A global unicast IPv4 (Go's IP.IsGlobalUnicast): not 0/8, loopback, link-local, multicast or broadcast. */
function globalUnicast(ip: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a !== 0 && a !== 127 && !(a === 169 && b === 254) && a < 224 && ip !== '255.255.255.255';
}

/**
 * pods/<id>/proxy: the pod's IP and the port in `id`, else the first declared containerPort, else 80.
 * Throws ProxyTargetError: 400 `invalid pod request "<id>"`, 404 pods "x" not found, 400 `address not
 * allowed` (no pod IP yet).
 */
export async function resolvePodTarget(lookup: ProxyLookup, namespace: string, id: string): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw new ProxyTargetError(400, `invalid pod request "${id}"`);
  const pod = await lookup.pod(namespace, parsed.name);
  if (!pod) throw new ProxyTargetError(404, `pods "${parsed.name}" not found`, { resource: 'pods', name: parsed.name });
  let port = parsed.port;
  if (!port) {
    const declared = (pod.spec?.containers ?? []).find((c) => (c.ports ?? []).length > 0)?.ports?.[0].containerPort;
    if (declared !== undefined) port = String(declared);
  }
  const ip = pod.status?.podIP;
  if (!globalUnicast(ip)) throw new ProxyTargetError(400, 'address not allowed');
  return { ip: ip!, port: port === '' ? 80 : /^\d+$/.test(port) ? Number(port) : NaN };
}

let rotation = 0;
/** Which of n candidates to try first: a rotation, standing in for kube's rand.Intn (core code has no Math.random). */
const nextStart = (n: number) => (rotation = (rotation + 1) % 1_000_000) % n;

/**
 * services/<id>/proxy, as kube-apiserver's service ResourceLocation: a numeric port is mapped to the Service
 * port's name (404 when the Service is absent, 503 `no service port 80 found for service "x"`); then a ready
 * address of the Endpoints subset carrying that port name (404 endpoints "x" not found, 503
 * `no endpoints available for service "x"`).
 */
export async function resolveServiceTarget(lookup: ProxyLookup, namespace: string, id: string): Promise<ProxyTarget> {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw new ProxyTargetError(400, `invalid service request "${id}"`);
  const { name } = parsed;
  let portName = parsed.port;
  if (/^\d+$/.test(portName)) {
    const svc = await lookup.service(namespace, name);
    if (!svc) throw new ProxyTargetError(404, `services "${name}" not found`, { resource: 'services', name });
    const p = (svc.spec?.ports ?? []).find((sp) => sp.port === Number(portName));
    if (!p) throw new ProxyTargetError(503, `no service port ${Number(portName)} found for service "${name}"`);
    portName = p.name ?? '';
  }
  const eps = await lookup.endpoints(namespace, name);
  if (!eps) throw new ProxyTargetError(404, `endpoints "${name}" not found`, { resource: 'endpoints', name });
  const subsets = eps.subsets ?? [];
  if (subsets.length === 0) throw new ProxyTargetError(503, `no endpoints available for service "${name}"`);
  const seed = nextStart(subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(seed + i) % subsets.length];
    const addrs = ss.addresses ?? [];
    const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!addrs.length || !port) continue;
    return { ip: addrs[nextStart(addrs.length)].ip, port: port.port };
  }
  throw new ProxyTargetError(503, `no endpoints available for service "${id}"`);
}
