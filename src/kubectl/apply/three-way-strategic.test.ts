import { describe, expect, it } from 'vitest';
import { threeWayStrategicPatch } from './three-way-strategic';

const pod = (containers: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...extra }, spec: { containers } });

describe('threeWayStrategicPatch (kubectl apply for built-in kinds)', () => {
  it('changes one container by name with $setElementOrder and leaves server defaults alone', () => {
    const original = pod([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y' }]);
    const modified = pod([{ name: 'a', image: 'x:2' }, { name: 'b', image: 'y' }]);
    const live = pod([{ name: 'a', image: 'x:1', imagePullPolicy: 'IfNotPresent', env: [{ name: 'E', value: '1' }] }, { name: 'b', image: 'y' }]);
    expect(threeWayStrategicPatch(original, modified, live)).toEqual({
      spec: { containers: [{ image: 'x:2', name: 'a' }], '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }] },
    });
  });

  it('deletes items, fields and set-list values the last apply had and the manifest dropped', () => {
    const original = pod([{ name: 'a', image: 'x', args: ['1'] }, { name: 'b', image: 'y' }], { labels: { k: 'v', gone: 'x' }, finalizers: ['f/1', 'f/2'] });
    const modified = pod([{ name: 'a', image: 'x' }], { labels: { k: 'v' }, finalizers: ['f/1'] });
    expect(threeWayStrategicPatch(original, modified, original)).toEqual({
      metadata: { labels: { gone: null }, '$deleteFromPrimitiveList/finalizers': ['f/2'], '$setElementOrder/finalizers': ['f/1'] },
      spec: { containers: [{ name: 'a', args: null }, { name: 'b', $patch: 'delete' }], '$setElementOrder/containers': [{ name: 'a' }] },
    });
  });

  it('is empty when nothing changed, replaces atomic lists and adds $retainKeys to a Deployment strategy', () => {
    const m = pod([{ name: 'a', image: 'x', command: ['sh'] }]);
    expect(threeWayStrategicPatch(m, m, m)).toEqual({});
    const dep = (strategy: unknown) => ({ spec: { strategy } });
    expect(threeWayStrategicPatch(dep({ type: 'RollingUpdate' }), dep({ type: 'Recreate' }), dep({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } }))).toEqual({
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    });
    expect(threeWayStrategicPatch(m, pod([{ name: 'a', image: 'x', command: ['bash'] }]), m)).toEqual({
      spec: { containers: [{ command: ['bash'], name: 'a' }], '$setElementOrder/containers': [{ name: 'a' }] },
    });
  });
});
