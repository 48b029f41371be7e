import { describe, expect, it } from 'vitest';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { parseIpv4 } from '../../network/ipv4';
import { NetworkFabric } from '../../network/network-fabric';
import { buildPolicyTable, parseCidr } from './network-policy-rules';

const ip = (s: string) => parseIpv4(s)!;
const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ metadata: { name, labels } });
const node = (name: string, addr: string): Node => ({ metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: addr }] } });
const pod = (name: string, namespace: string, podIP: string, labels: Record<string, string>, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name, namespace, labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }], ...extra },
  status: { phase: 'Running', podIP },
});
const policy = (name: string, namespace: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { name, namespace }, spec });

const NAMESPACES = [ns('default'), ns('prod', { team: 'a' }), ns('dev', { team: 'b' })];
const NODES = [node('n1', '172.18.0.2'), node('n2', '172.18.0.3')];
const PODS = [
  pod('web', 'default', '10.244.1.2', { app: 'web' }),
  pod('client', 'default', '10.244.1.3', { role: 'client' }),
  pod('other', 'default', '10.244.1.4', {}),
  pod('prod-client', 'prod', '10.244.2.2', { role: 'client' }),
  pod('prod-other', 'prod', '10.244.2.3', {}),
  pod('dev-client', 'dev', '10.244.2.4', { role: 'client' }),
  pod('host', 'default', '172.18.0.3', { app: 'web' }, { hostNetwork: true }),
  pod('done', 'default', '10.244.1.9', { app: 'web' }),
];
PODS[7].status!.phase = 'Succeeded';
const IPS: Record<string, number> = Object.fromEntries(PODS.map((p) => [p.metadata!.name!, ip(p.status!.podIP!)]));

/** A verdict function over the table built from policies, evaluated by the fabric's PolicyTable. */
function verdicts(policies: NetworkPolicy[]) {
  const f = NetworkFabric.create({ slots: 1, listeners: 1, ringBytes: 16, serviceTableBytes: 0 });
  f.policies!.publish(buildPolicyTable(policies, PODS, NAMESPACES, NODES));
  return (from: string, to: string, port = 8080) => f.policies!.allows(IPS[from] ?? ip(from), IPS[to] ?? ip(to), port);
}

describe('buildPolicyTable', () => {
  it('deny-all ingress isolates every pod of its namespace, only for ingress; its own node may still reach it', () => {
    const ok = verdicts([policy('deny', 'default', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expect(ok('client', 'web')).toBe(false);
    expect(ok('prod-client', 'web')).toBe(false);
    expect(ok('web', 'prod-other')).toBe(true);
    expect(ok('web', 'client')).toBe(false);
    expect(ok('172.18.0.2', 'web')).toBe(true);
    expect(ok('172.18.0.3', 'web')).toBe(false);
    expect(ok('client', 'prod-other')).toBe(true);
  });

  it('a podSelector peer means pods of the policy\'s namespace; namespaceSelector alone every pod there; both together ANDed', () => {
    const from = (peers: NonNullable<NetworkPolicy['spec']>['ingress']) => verdicts([policy('p', 'default', { podSelector: { matchLabels: { app: 'web' } }, ingress: peers })]);
    let ok = from([{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }]);
    expect([ok('client', 'web'), ok('prod-client', 'web'), ok('other', 'web')]).toEqual([true, false, false]);
    expect(ok('other', 'client')).toBe(true);
    ok = from([{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }]);
    expect([ok('client', 'web'), ok('prod-client', 'web'), ok('prod-other', 'web'), ok('dev-client', 'web')]).toEqual([false, true, true, false]);
    ok = from([{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, podSelector: { matchLabels: { role: 'client' } } }] }]);
    expect([ok('client', 'web'), ok('prod-client', 'web'), ok('prod-other', 'web'), ok('dev-client', 'web')]).toEqual([false, true, false, true]);
    ok = from([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }, { podSelector: {} }] }]);
    expect([ok('client', 'web'), ok('prod-client', 'web'), ok('dev-client', 'web')]).toEqual([true, false, true]);
    ok = from([{}]);
    expect(ok('dev-client', 'web', 1)).toBe(true);
  });

  it('policyTypes default to Ingress plus Egress when egress rules exist; listed Egress alone leaves ingress open', () => {
    let ok = verdicts([policy('p', 'default', { podSelector: { matchLabels: { role: 'client' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })]);
    expect([ok('client', 'web'), ok('client', 'other'), ok('other', 'client'), ok('prod-client', 'other')]).toEqual([true, false, false, true]);
    ok = verdicts([policy('p', 'default', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] })]);
    expect([ok('client', 'web'), ok('other', 'client')]).toEqual([false, true]);
  });

  it('ipBlock with except, and ports: number, endPort, named container port, protocol', () => {
    let ok = verdicts([policy('p', 'default', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }] })]);
    expect([ok('client', 'web'), ok('client', 'prod-other'), ok('client', '8.8.8.8')]).toEqual([true, false, false]);
    ok = verdicts([policy('p', 'default', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }, { port: 9000, endPort: 9002 }, { port: 7000, protocol: 'UDP' }] }] })]);
    expect([ok('client', 'web', 8080), ok('client', 'web', 80), ok('client', 'web', 9002), ok('client', 'web', 9003), ok('client', 'web', 7000)]).toEqual([true, false, true, false, false]);
  });

  it('several policies selecting a pod add up; hostNetwork and finished pods are never selected', () => {
    const ok = verdicts([
      policy('a', 'default', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }),
      policy('b', 'default', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.4/32' } }] }] }),
    ]);
    expect([ok('client', 'web'), ok('other', 'web'), ok('prod-client', 'web')]).toEqual([true, true, false]);
    const t = buildPolicyTable([policy('a', 'default', { podSelector: {} })], PODS, NAMESPACES, NODES);
    expect(Object.keys(t.pods).map(Number).sort()).toEqual([IPS.web, IPS.client, IPS.other].sort());
    expect(t.pods[IPS.web].node).toBe(ip('172.18.0.2'));
    expect(parseCidr('10.0.0.0/8')).toEqual([ip('10.0.0.0'), 8]);
    expect(parseCidr('fd00::/8')).toBeUndefined();
  });
});
