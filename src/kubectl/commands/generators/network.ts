import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { flagInt } from '../../cli/parse-flags';
import type { FlagSpec } from '../../cli/parse-flags';
import { createCommonFlags, explicitNamespace, i, objectMeta, requireFlags, requireName, s, sa, sl, sortedMap, type Generator } from './generator';

/** "port[:targetPort]"; port is a uint16 (strconv.ParseUint's errors), targetPort a number or a name. */
function parsePort(spec: string): { port: number; targetPort: number | string } {
  const [p, t] = spec.split(':');
  if (!/^\d+$/.test(p)) throw new RawError(`error: strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`);
  const port = Number(p);
  if (port > 65535) throw new RawError(`error: strconv.ParseUint: parsing ${JSON.stringify(p)}: value out of range`);
  if (t === undefined || t === '') return { port, targetPort: port };
  return { port, targetPort: /^\d+$/.test(t) ? Number(t) : t };
}

type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const typeFlags: Record<ServiceType, FlagSpec[]> = {
  ClusterIP: [s('clusterip')],
  NodePort: [i('node-port')],
  LoadBalancer: [],
  ExternalName: [s('external-name')],
};

function serviceGenerator(type: ServiceType, name: string, short: string, usage: string): Generator {
  return {
    name,
    short,
    usage: `kubectl create service ${name} NAME ${usage} [--dry-run=server|client|none] [options]`,
    flags: [...createCommonFlags, sl('tcp'), ...typeFlags[type]],
    resource: { group: '', version: 'v1', resource: 'services', namespaced: true },
    createError: `failed to create ${type} service: `,
    build(ctx: CommandContext) {
      if (type === 'ExternalName') requireFlags(ctx, 'external-name');
      const svcName = requireName(ctx);
      const tcp = ctx.list('tcp');
      const clusterIP = ctx.str('clusterip');
      const externalName = ctx.str('external-name');
      if (type === 'ExternalName') {
        if (!DNS1123_SUBDOMAIN.test(externalName) || externalName.length > 253) throw new RawError(`error: invalid service external name ${externalName}`);
      } else if (!tcp.length && clusterIP !== 'None') throw new RawError('error: at least one tcp port specifier must be provided');
      const nodePort = flagInt(ctx.flags, 'node-port', 0);
      const ports = tcp.map((spec) => {
        const { port, targetPort } = parsePort(spec);
        const p: Record<string, unknown> = { name: spec.replaceAll(':', '-'), protocol: 'TCP', port, targetPort };
        if (nodePort) p.nodePort = nodePort;
        return p;
      });
      const labels = { app: svcName };
      const spec: Record<string, unknown> = {};
      if (ports.length) spec.ports = ports;
      spec.selector = labels;
      if (clusterIP) spec.clusterIP = clusterIP;
      spec.type = type;
      if (externalName) spec.externalName = externalName;
      return { kind: 'Service', apiVersion: 'v1', metadata: objectMeta(svcName, labels, explicitNamespace(ctx)), spec, status: { loadBalancer: {} } };
    },
  };
}

export const serviceClusterIpGenerator = serviceGenerator('ClusterIP', 'clusterip', 'Create a ClusterIP service', '[--tcp=<port>:<targetPort>]');
export const serviceNodePortGenerator = serviceGenerator('NodePort', 'nodeport', 'Create a NodePort service', '[--tcp=port:targetPort]');
export const serviceLoadBalancerGenerator = serviceGenerator('LoadBalancer', 'loadbalancer', 'Create a LoadBalancer service', '[--tcp=port:targetPort]');
export const serviceExternalNameGenerator = serviceGenerator('ExternalName', 'externalname', 'Create an ExternalName service', '--external-name external.name');

function backend(svc: string): Record<string, unknown> {
  const [name, port] = svc.split(':');
  if (!name || port === undefined) throw new RawError(`error: rule ${svc} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  return { service: { name, port: /^\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

/** kubectl create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class] [--default-backend] [--annotation]. */
export const ingressGenerator: Generator = {
  name: 'ingress',
  short: 'Create an ingress with the specified name',
  usage: 'kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]',
  flags: [...createCommonFlags, sa('rule'), s('class'), s('default-backend'), sa('annotation')],
  resource: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  createError: 'failed to create ingress: ',
  build(ctx) {
    const name = requireName(ctx);
    const rules: { host?: string; http: { paths: Record<string, unknown>[] } }[] = [];
    const tls: { hosts?: string[]; secretName?: string }[] = [];
    for (const raw of ctx.list('rule')) {
      const m = /^([^/=,]*)(\/[^=,]*)?=([^,]+)(,tls(=[^,]+)?)?$/.exec(raw);
      if (!m) throw new RawError(`error: rule ${raw} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
      const host = m[1];
      let path = m[2] ?? '/';
      const pathType = path.endsWith('*') ? 'Prefix' : 'Exact';
      if (path.endsWith('*')) path = path.slice(0, -1);
      const entry = { path, pathType, backend: backend(m[3]) };
      const existing = rules.find((r) => (r.host ?? '') === host);
      if (existing) existing.http.paths.push(entry);
      else rules.push({ ...(host ? { host } : {}), http: { paths: [entry] } });
      if (m[4]) {
        const t: { hosts?: string[]; secretName?: string } = {};
        if (host) t.hosts = [host];
        if (m[5]) t.secretName = m[5].slice(1);
        tls.push(t);
      }
    }
    const annotations = Object.fromEntries(ctx.list('annotation').map((a) => [a.split('=')[0], a.slice(a.indexOf('=') + 1)]));
    const meta = objectMeta(name, undefined, explicitNamespace(ctx));
    if (Object.keys(annotations).length) meta.annotations = sortedMap(annotations);
    const spec: Record<string, unknown> = {};
    if (ctx.str('class')) spec.ingressClassName = ctx.str('class');
    if (ctx.str('default-backend')) spec.defaultBackend = backend(ctx.str('default-backend'));
    if (tls.length) spec.tls = tls;
    if (rules.length) spec.rules = rules;
    return { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: meta, spec, status: { loadBalancer: {} } };
  },
};
