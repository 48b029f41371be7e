import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { fitErrorMessage, schedulePod } from '../schedule-pod';
import { defaultProfile, toleratesTaint } from '.';

const node = (name: string, spec: Node['spec'] = {}, labels: Record<string, string> = {}): Node => ({
  metadata: { name, labels },
  spec,
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } });

describe('scheduler plugins', () => {
  it('matches tolerations the way v1helper.ToleratesTaint does', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' as const };
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'v' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'k', value: 'v' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'k', value: 'w' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Equal', value: 'v' }, taint)).toBe(false);
  });

  it('stops at the first failing filter per node and builds the histogram message', () => {
    const nodes = [
      node('a', { unschedulable: true, taints: [{ key: 'x', effect: 'NoSchedule' }] }),
      node('b', {}, { zone: 'z1' }),
      node('c', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
      { ...node('d'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    ].map((n) => ({ node: n, pods: [] }));
    const r = schedulePod(defaultProfile(), pod({ nodeSelector: { zone: 'z2' } }), nodes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe(
      "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    );
  });

  it('matches required node affinity terms', () => {
    const nodes = [node('a', {}, { zone: 'z1' }), node('b', {}, { zone: 'z2' })].map((n) => ({ node: n, pods: [] }));
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }] } } };
    expect(schedulePod(defaultProfile(), pod({ affinity }), nodes)).toMatchObject({ ok: true, node: 'b' });
  });

  it('reports resolvable rejections as "No preemption victims found"', () => {
    const msg = fitErrorMessage(2, new Map([['a', { code: 'Unschedulable', reasons: ['Insufficient cpu'] }], ['b', { code: 'Unschedulable', reasons: ['Insufficient cpu'] }]]));
    expect(msg).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  });
});
