import { describe, expect, it } from 'vitest';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, rfc3339, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { startControllerManager } from '../controller-manager';
import { taintEvictionController } from './taint-eviction-controller';

const unreachable = (timeAdded: string) => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded });

function pod(name: string, tolerations?: object[]) {
  return { metadata: { name, namespace: 'default' }, spec: { nodeName: 'n1', containers: [], tolerations }, status: { phase: 'Running' } };
}

describe('taint-eviction-controller', () => {
  it('evicts intolerant pods at once and tolerant ones after tolerationSeconds', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('nodes', { metadata: { name: 'n1' }, spec: {} });
    api.put('pods', pod('plain'));
    api.put('pods', pod('patient', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]));
    api.put('pods', pod('forever', [{ operator: 'Exists' }]));
    api.put('pods', pod('returns', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]));
    const cm = startControllerManager({ client: new ApiClient(api), clock, ids: seededIds(), controllers: [taintEvictionController()] });
    await cm.ready;
    await clock.advance(10);
    expect(api.list('pods')).toHaveLength(4);

    api.put('nodes', { metadata: { name: 'n1' }, spec: { taints: [unreachable(rfc3339(clock.now()))] } });
    await clock.advance(10);
    expect(api.get('pods', 'default', 'plain')).toBeUndefined();
    const deleted = api.log.find((e) => e.type === 'DELETED' && e.obj.metadata.name === 'plain')!.obj as unknown as Pod;
    expect(deleted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });

    api.put('pods', { ...pod('returns'), spec: { ...pod('returns').spec, nodeName: 'n1' }, metadata: { name: 'returns', namespace: 'default', labels: { touched: 'yes' } } } as never);
    await clock.advance(290_000);
    expect(api.get('pods', 'default', 'patient')).toBeDefined();
    await clock.advance(10_000);
    expect(api.get('pods', 'default', 'patient')).toBeUndefined();
    expect(api.get('pods', 'default', 'returns')).toBeUndefined();
    expect(api.get('pods', 'default', 'forever')).toBeDefined();
    const events = api.list('events') as unknown as Event[];
    expect(events.map((e) => e.message).sort()).toEqual(['Marking for deletion Pod default/patient', 'Marking for deletion Pod default/plain', 'Marking for deletion Pod default/returns']);
    expect(events[0].source?.component).toBe('taint-eviction-controller');
    cm.dispose();
  });

  it('cancels a scheduled eviction when the taint goes away', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('nodes', { metadata: { name: 'n1' }, spec: { taints: [unreachable(rfc3339(clock.now()))] } });
    api.put('pods', pod('patient', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]));
    const cm = startControllerManager({ client: new ApiClient(api), clock, ids: seededIds(), controllers: [taintEvictionController()] });
    await cm.ready;
    await clock.advance(60_000);
    api.put('nodes', { metadata: { name: 'n1' }, spec: {} });
    await clock.advance(600_000);
    expect(api.get('pods', 'default', 'patient')).toBeDefined();
    expect((api.list('events') as unknown as Event[]).map((e) => e.message)).toEqual(['Cancelling deletion of Pod default/patient']);
    cm.dispose();
  });
});
