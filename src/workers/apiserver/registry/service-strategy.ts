import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { formatLabels } from '../../../api/label-selector';
import { nameIsDNSLabel } from '../../../api/label-validation';
import { Services } from '../../../api/resources';
import { duplicate, forbidden, goStringSlice, invalid, notSupported, required, type FieldError } from '../field-errors';
import { objectKey } from '../object-codec';
import { needsHealthCheckNodePort, needsNodePorts } from '../service-allocator';
import { age, defineStrategy, named } from './define-strategy';
import { validateLabels } from './object-meta';
import { ageColumn, column, type KubeObject } from './strategy';

/** core/v1 Service: ClusterIP/NodePort allocation at admission (ctx.services), printService columns. */

const as = (o: KubeObject) => o as unknown as Service;
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validatePorts(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (!ports.length && spec.type !== 'ExternalName' && !headless) errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p: ServicePort, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${path}.name`));
    if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalid(`${path}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (p.nodePort && (spec.type === 'ClusterIP' || spec.type === 'ExternalName')) errs.push(forbidden(`${path}.nodePort`, `may not be used when \`type\` is '${spec.type}'`));
    if (typeof p.targetPort === 'number' && !(p.targetPort >= 1 && p.targetPort <= 65535)) errs.push(invalid(`${path}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}

function getExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const ext = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function portString(ports: ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export const serviceStrategy = defineStrategy({
  ref: Services,
  singularName: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  status: true,
  nameValidator: nameIsDNSLabel,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  initialStatus: () => ({ loadBalancer: {} }),
  defaults(o) {
    const spec = (as(o).spec ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    if (spec.type === 'ExternalName') return;
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= spec.clusterIP === 'None' && !spec.selector ? 'RequireDualStack' : 'SingleStack';
  },
  validate(o) {
    const svc = as(o);
    const spec = svc.spec ?? {};
    const errs: FieldError[] = [];
    if (!TYPES.includes(spec.type ?? '')) errs.push(notSupported('spec.type', spec.type ?? '', TYPES));
    if (spec.type === 'ExternalName' && !spec.externalName) errs.push(required('spec.externalName'));
    if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
    if (spec.healthCheckNodePort && !needsHealthCheckNodePort(svc)) {
      errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
    errs.push(...validatePorts(svc), ...validateLabels(spec.selector, 'spec.selector'));
    return errs;
  },
  validateUpdate(o, old) {
    const a = as(o).spec;
    const b = as(old).spec;
    if (b?.clusterIP && b.clusterIP !== 'None' && a?.type !== 'ExternalName' && a?.clusterIP !== b.clusterIP) {
      return [invalid('spec.clusterIPs[0]', goStringSlice(a?.clusterIPs ?? (a?.clusterIP ? [a.clusterIP] : [])), 'may not change once set')];
    }
    return [];
  },
  prepareForUpdate(obj, old) {
    // patchAllocatedValues: an update that omits the allocated IP or node ports keeps them.
    const spec = as(obj).spec;
    const prev = as(old).spec;
    if (!spec || !prev || spec.type === 'ExternalName') return;
    if (!spec.clusterIP && prev.clusterIP) {
      spec.clusterIP = prev.clusterIP;
      if (prev.clusterIPs) spec.clusterIPs = prev.clusterIPs;
    }
    if (!spec.healthCheckNodePort && prev.healthCheckNodePort && needsHealthCheckNodePort(as(obj))) spec.healthCheckNodePort = prev.healthCheckNodePort;
    // dropTypeDependentFields: leaving LoadBalancer+Local drops the allocated port the update still carries.
    if (spec.healthCheckNodePort === prev.healthCheckNodePort && needsHealthCheckNodePort(as(old)) && !needsHealthCheckNodePort(as(obj))) delete spec.healthCheckNodePort;
    if (!needsNodePorts(as(obj)) || !needsNodePorts(as(old))) return;
    for (const p of spec.ports ?? []) {
      const match = prev.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (!p.nodePort && match?.nodePort) p.nodePort = match.nodePort;
    }
  },
  async admit(ctx, obj, old) {
    const svc = as(obj);
    const prev = old ? as(old) : undefined;
    if (svc.spec?.type === 'ExternalName') {
      delete svc.spec.clusterIP;
      delete svc.spec.clusterIPs;
    }
    if (!needsNodePorts(svc)) for (const p of svc.spec?.ports ?? []) delete p.nodePort;
    const key = objectKey(serviceStrategy, svc.metadata?.namespace, svc.metadata?.name ?? '');
    return ctx.services.allocate(svc, prev, key, Services);
  },
  selectableFields: (o) => ({ 'spec.clusterIP': as(o).spec?.clusterIP ?? '', 'spec.type': as(o).spec?.type ?? '' }),
  columns: [
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row(o, now) {
    const svc = as(o);
    const ports = portString(svc.spec?.ports);
    return named(o, svc.spec?.type ?? '', svc.spec?.clusterIP || '<none>', getExternalIP(svc), ports || '<none>', age(o, now), formatLabels(svc.spec?.selector));
  },
});
/** services/<name>[:port]/proxy (handlers/proxy.ts). */
serviceStrategy.subresources.proxy = { kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
