import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import { formatLabelSelector } from '../../../api/label-selector';
import { isDNS1123Subdomain } from '../../../api/label-validation';
import { IngressClasses, Ingresses, NetworkPolicies } from '../../../api/resources';
import { invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';
import { validateLabelSelector } from './workload-validation';

/** networking.k8s.io/v1 Ingress, IngressClass, NetworkPolicy. */

const as = <T>(o: KubeObject) => o as unknown as T;
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function formatHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const hosts = rules.map((r) => r.host).filter((h): h is string => !!h);
  if (!hosts.length) return '*';
  const shown = hosts.slice(0, 3).join(',');
  return rules.length > 3 && hosts.length > 3 ? `${shown} + ${rules.length - 3} more...` : shown;
}

const lbAddress = (ing: Ingress) => [...new Set((ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort().join(',');

export const ingressStrategy = defineStrategy({
  ref: Ingresses,
  singularName: 'ingress',
  shortNames: ['ing'],
  status: true,
  generation: true,
  validate(o) {
    const spec = as<Ingress>(o).spec ?? {};
    const errs: FieldError[] = [];
    (spec.rules ?? []).forEach((r, i) => {
      (r.http?.paths ?? []).forEach((p, j) => {
        const path = `spec.rules[${i}].http.paths[${j}]`;
        if (!p.pathType) errs.push(required(`${path}.pathType`, 'pathType must be specified'));
        else if (!PATH_TYPES.includes(p.pathType)) errs.push(notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
        else if (p.pathType !== 'ImplementationSpecific' && !(p.path ?? '').startsWith('/')) errs.push(invalid(`${path}.path`, p.path ?? '', 'must be an absolute path'));
      });
    });
    return errs;
  },
  columns: [
    column('Class', 'string', 'The name of the IngressClass resource that should be used for ingress'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  row(o, now) {
    const ing = as<Ingress>(o);
    return named(o, ing.spec?.ingressClassName ?? '<none>', formatHosts(ing), lbAddress(ing), ing.spec?.tls?.length ? '80, 443' : '80', age(o, now));
  },
});

export const ingressClassStrategy = defineStrategy({
  ref: IngressClasses,
  singularName: 'ingressclass',
  generation: true,
  validate(o) {
    const c = as<IngressClass>(o).spec?.controller ?? '';
    if (!c) return [required('spec.controller')];
    const [host, path] = [c.slice(0, c.indexOf('/')), c.slice(c.indexOf('/') + 1)];
    if (!c.includes('/') || !host || !path) return [invalid('spec.controller', c, 'must be a domain-prefixed path (such as "acme.io/foo")')];
    return isDNS1123Subdomain(host).map((m) => invalid('spec.controller', host, m));
  },
  validateUpdate(o, old) {
    const c = as<IngressClass>(o).spec?.controller;
    return c === as<IngressClass>(old).spec?.controller ? [] : [invalid('spec.controller', c ?? '', 'field is immutable')];
  },
  columns: [
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  row(o, now) {
    const ic = as<IngressClass>(o);
    const p = ic.spec?.parameters;
    const params = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return named(o, ic.spec?.controller ?? '', params, age(o, now));
  },
});

const POLICY_TYPES = ['Egress', 'Ingress'];

export const networkPolicyStrategy = defineStrategy({
  ref: NetworkPolicies,
  singularName: 'networkpolicy',
  shortNames: ['netpol'],
  generation: true,
  defaults(o) {
    const spec = (as<NetworkPolicy>(o).spec ??= { podSelector: {} });
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate(o) {
    const spec = as<NetworkPolicy>(o).spec;
    const errs: FieldError[] = validateLabelSelector(spec?.podSelector, 'spec.podSelector');
    (spec?.policyTypes ?? []).forEach((t, i) => {
      if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
    });
    return errs;
  },
  columns: [column('Pod-Selector', 'string', 'podSelector selects the pods to which this NetworkPolicy object applies.'), ageColumn],
  row: (o, now) => named(o, formatLabelSelector(as<NetworkPolicy>(o).spec?.podSelector ?? {}), age(o, now)),
});
