import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describeNode, nodeRoles, podResources, sumQuantities } from './describe-node';

const T0 = Date.parse('2026-01-02T03:04:05Z');

describe('describe node helpers', () => {
  it('sums quantities as Quantity.String() does', () => {
    expect(sumQuantities([])).toBe('0');
    expect(sumQuantities(['100m', '150m'])).toBe('250m');
    expect(sumQuantities(['500m', '1500m'])).toBe('2');
    expect(sumQuantities(['64Mi', '64Mi'])).toBe('128Mi');
    expect(sumQuantities(['512Mi', '512Mi'])).toBe('1Gi');
    expect(sumQuantities(['1k', '1500'])).toBe('2500');
    expect(sumQuantities(['1G', '1G'])).toBe('2G');
  });

  it('takes the max of init containers and the sum of app containers', () => {
    const pod: Pod = {
      spec: {
        initContainers: [{ name: 'i', resources: { requests: { cpu: '1', memory: '10Mi' } } }],
        containers: [
          { name: 'a', resources: { requests: { cpu: '300m', memory: '64Mi' } } },
          { name: 'b', resources: { requests: { cpu: '200m', memory: '64Mi' } } },
        ],
      },
    };
    const r = podResources(pod, 'requests');
    expect(sumQuantities(r.cpu)).toBe('1');
    expect(sumQuantities(r.memory)).toBe('128Mi');
  });

  it('lists roles from node-role labels, sorted', () => {
    expect(nodeRoles({ metadata: { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'x' } } })).toEqual(['control-plane', 'worker', 'x']);
    expect(nodeRoles({ metadata: { labels: { 'node-role.kubernetes.io/': '' } } })).toEqual([]);
  });

  it('prints taints by effect, a lease error, percentages of allocatable and pods not authorized', () => {
    const node: Node = {
      metadata: { name: 'n1', creationTimestamp: '2026-01-02T03:04:05Z' },
      spec: { taints: [{ key: 'b', effect: 'NoExecute' }, { key: 'a', value: 'v', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '2', memory: '1Gi' }, capacity: { cpu: '2', memory: '1Gi' } },
    };
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'ns', creationTimestamp: '2026-01-02T03:04:00Z' },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '3' } } }] },
    };
    const out = describeNode(node, [pod], { error: 'leases.coordination.k8s.io "n1" not found' }, [], T0);
    expect(out).toContain('Taints:             a=v:NoSchedule\n                    b:NoExecute\n');
    expect(out).toContain('Lease:              Failed to get lease: leases.coordination.k8s.io "n1" not found\n');
    expect(out).toContain('  ns                          p       500m (25%)    3 (150%)    256Mi (25%)      0 (0%)         5s\n');
    expect(out).toContain('  cpu                500m (25%)   3 (150%)\n');
    expect(out).toContain('Events:              <none>\n');
    expect(describeNode(node, undefined, undefined, undefined, T0)).toContain('Pods:                         not authorized\n');
  });
});
