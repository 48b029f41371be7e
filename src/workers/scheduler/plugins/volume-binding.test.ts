import { describe, expect, it } from 'vitest';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { FakeClock } from '../../../api';
import { metaKey } from '../../../api/resources';
import { ApiClient } from '../../../client/api-client';
import type { Lister } from '../../../client/informer';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { type NodeInfo } from '../framework';
import { schedulePod } from '../schedule-pod';
import { defaultProfile, volumeBinding } from '.';

function lister<T extends { metadata?: { name?: string; namespace?: string } }>(items: T[]): Lister<T> {
  return { get: (key) => items.find((o) => metaKey(o) === key), list: () => items };
}
const node = (name: string, labels: Record<string, string> = {}): NodeInfo => ({
  node: { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as Node,
  pods: [],
});
const nodes = () => [node('a', { 'topology.kubernetes.io/zone': 'z1' }), node('b', { 'topology.kubernetes.io/zone': 'z2' }), node('c', { 'topology.kubernetes.io/zone': 'z2' })];
const pod = (...claims: string[]): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [], volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })) },
});
const claim = (name: string, extra: Partial<PersistentVolumeClaim['spec']> = {}, annotations: Record<string, string> = {}): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'wait', ...extra },
});
const bound = (name: string, pv: string) => claim(name, { volumeName: pv }, { 'pv.kubernetes.io/bind-completed': 'yes' });
const hostAffinity = (host: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: [host] }] }] } });
const pv = (name: string, spec: PersistentVolume['spec'] = {}, labels: Record<string, string> = {}): PersistentVolume => ({
  metadata: { name, labels },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: 'wait', ...spec },
  status: { phase: 'Available' },
});
const classes: StorageClass[] = [
  { metadata: { name: 'wait' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'static' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'zonal' }, provisioner: 'example.com/csi', volumeBindingMode: 'WaitForFirstConsumer', allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z1'] }] }] },
  { metadata: { name: 'now' }, provisioner: 'example.com/csi', volumeBindingMode: 'Immediate' },
];

function setup(claims: PersistentVolumeClaim[], volumes: PersistentVolume[] = []) {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const vb = volumeBinding({ client: new ApiClient(api), clock, claims: lister(claims), volumes: lister(volumes), classes: lister(classes) });
  const run = (p: Pod, ns = nodes()) => schedulePod(defaultProfile(vb), p, ns);
  return { api, clock, vb, run };
}

describe('VolumeBinding', () => {
  it('rejects an unbound immediate claim at PreFilter with kube\'s FitError text', () => {
    const r = setup([claim('data', { storageClassName: 'now' })]).run(pod('data'));
    expect(!r.ok && r.message).toBe('0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(r.diagnosis.preFilter).toEqual({ plugin: 'VolumeBinding', reasons: ['pod has unbound immediate PersistentVolumeClaims'] });
  });

  it('rejects missing and deleting claims', () => {
    expect(setup([]).run(pod('gone'))).toMatchObject({ ok: false, message: expect.stringMatching(/^0\/3 nodes are available: persistentvolumeclaim "gone" not found\. preemption/) });
    const deleting = { ...claim('d'), metadata: { ...claim('d').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(setup([deleting]).run(pod('d'))).toMatchObject({ ok: false, message: expect.stringContaining('persistentvolumeclaim "d" is being deleted.') });
  });

  it('keeps a pod with a bound claim on the nodes its PV node affinity allows', () => {
    const { run } = setup([bound('data', 'pv1')], [pv('pv1', { nodeAffinity: hostAffinity('b') })]);
    const r = run(pod('data'));
    expect(r).toMatchObject({ ok: true, node: 'b' });
    const a = r.diagnosis.nodes.find((n) => n.node === 'a')!;
    expect(a.filters.at(-1)).toEqual({ plugin: 'VolumeBinding', passed: false, reasons: ['node(s) had volume node affinity conflict'], code: 'UnschedulableAndUnresolvable' });
    const none = run(pod('data'), [node('a'), node('c')]);
    expect(!none.ok && none.message).toBe('0/2 nodes are available: 2 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  });

  it('says which nodes lack a matching PV for a WaitForFirstConsumer claim without a provisioner', () => {
    const { run } = setup([claim('data', { storageClassName: 'static' })], [pv('local-a', { storageClassName: 'static', nodeAffinity: hostAffinity('a') })]);
    expect(run(pod('data'))).toMatchObject({ ok: true, node: 'a' });
    const r = run(pod('data'), [node('b'), node('c')]);
    expect(!r.ok && r.message).toBe("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  });

  it('provisions only where the class allowedTopologies allow, and honours an existing selected-node', () => {
    expect(setup([claim('data', { storageClassName: 'zonal' })]).run(pod('data'))).toMatchObject({ ok: true, node: 'a' });
    const pinned = setup([claim('data', {}, { 'volume.kubernetes.io/selected-node': 'c' })]).run(pod('data'));
    expect(pinned).toMatchObject({ ok: true, node: 'c' });
  });

  it('reports a claim bound to a missing PV (VolumeBinding alone; VolumeZone says it first in the default profile)', () => {
    const { vb, run } = setup([bound('data', 'ghost')]);
    const alone = schedulePod({ schedulerName: 's', filters: [vb.filter], scores: [] }, pod('data'), nodes());
    expect(!alone.ok && alone.message).toBe('0/3 nodes are available: 3 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    expect(run(pod('data'))).toMatchObject({ ok: false, message: expect.stringMatching(/^0\/3 nodes are available: persistentvolume "ghost" not found\./) });
  });

  it('VolumeZone keeps a zonal PV\'s pod in its zone', () => {
    const { run } = setup([bound('data', 'pv1')], [pv('pv1', {}, { 'topology.kubernetes.io/zone': 'z1' })]);
    expect(run(pod('data'))).toMatchObject({ ok: true, node: 'a' });
    const r = run(pod('data'), [node('b', { 'topology.kubernetes.io/zone': 'z2' }), node('x')]);
    expect(r).toMatchObject({ ok: true, node: 'x' }); // a node without topology labels always fits
  });

  it('VolumeRestrictions rejects a ReadWriteOncePod claim already in use', () => {
    const { run } = setup([bound('solo', 'pv1')], [pv('pv1')]);
    const user: Pod = { ...pod('solo'), metadata: { name: 'other', namespace: 'default' } };
    const ns = nodes();
    ns[0] = { ...ns[0], pods: [user] };
    expect(run(pod('solo'), ns)).toMatchObject({ ok: true });
    const rwop = setup([{ ...bound('solo', 'pv1'), spec: { ...bound('solo', 'pv1').spec, accessModes: ['ReadWriteOncePod'] } }], [pv('pv1')]);
    const r = rwop.run(pod('solo'), ns);
    expect(!r.ok && r.message).toBe('0/3 nodes are available: 3 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
  });

  it('Reserve assumes the chosen PV so the next pod cannot take it, and unreserve releases it', () => {
    const claims = [claim('one', { storageClassName: 'static' }), claim('two', { storageClassName: 'static' })];
    const { vb, run } = setup(claims, [pv('only', { storageClassName: 'static' })]);
    const first = pod('one');
    expect(run(first)).toMatchObject({ ok: true });
    expect(vb.reserve.reserve(first, nodes()[0])).toBeNull();
    const second: Pod = { ...pod('two'), metadata: { name: 'q', namespace: 'default' } };
    expect(run(second)).toMatchObject({ ok: false, message: expect.stringContaining("3 node(s) didn't find available persistent volumes to bind") });
    vb.reserve.unreserve(first, 'a');
    expect(run(second)).toMatchObject({ ok: true });
  });
});
