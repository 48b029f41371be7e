import { describe, expect, it } from 'vitest';
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { startFakeManager } from '../testing/workload-fixtures';
import { QuantitySum } from '../quota-usage';
import { resourceQuotaController } from './resourcequota-controller';

const pod = (name: string, containers: object[], extra: object = {}) => ({ metadata: { name, namespace: 'default' }, spec: { containers, ...extra } });
const c = (requests: object, limits: object = {}) => ({ name: 'c', image: 'x', resources: { requests, limits } });

describe('resourcequota-controller', () => {
  it('writes hard and used for counts, compute and storage, and follows changes', async () => {
    const f = await startFakeManager([resourceQuotaController()]);
    f.api.put('pods', pod('a', [c({ cpu: '250m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' }), c({ cpu: '250m', memory: '64Mi' })]));
    f.api.put('pods', pod('b', [c({ cpu: '1', memory: '128Mi' })], { initContainers: [c({ cpu: '2' })] }));
    f.api.put('pods', { ...pod('done', [c({ cpu: '8' })]), status: { phase: 'Succeeded' } });
    f.api.put('services', { metadata: { name: 's', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } });
    f.api.put('configmaps', { metadata: { name: 'cm', namespace: 'default' } });
    f.api.put('persistentvolumeclaims', { metadata: { name: 'p1', namespace: 'default' }, spec: { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } } });
    f.api.put('persistentvolumeclaims', { metadata: { name: 'p2', namespace: 'default' }, spec: { storageClassName: 'gold', resources: { requests: { storage: '512Mi' } } } });
    f.api.put('resourcequotas', { metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '1Gi', 'limits.cpu': '4', services: '5', 'services.nodeports': '2', 'count/configmaps': '3', 'count/deployments.apps': '2', 'requests.storage': '10Gi', 'standard.storageclass.storage.k8s.io/requests.storage': '5Gi', 'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1', 'example.com/widgets': '3' } } });
    await f.settle();
    const q = () => f.api.get('resourcequotas', 'default', 'q') as unknown as ResourceQuota;
    expect(q().status?.hard).toEqual(q().spec?.hard);
    expect(q().status?.used).toEqual({
      pods: '2',
      'requests.cpu': '2500m', // a: 500m; b: max(1, init 2) = 2
      'requests.memory': '256Mi',
      'limits.cpu': '500m',
      services: '1',
      'services.nodeports': '2',
      'count/configmaps': '1',
      'count/deployments.apps': '0',
      'requests.storage': '1536Mi',
      'standard.storageclass.storage.k8s.io/requests.storage': '1Gi',
      'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    });
    f.api.remove('pods', 'default', 'b');
    await f.settle();
    expect(q().status?.used).toMatchObject({ pods: '1', 'requests.cpu': '500m', 'requests.memory': '128Mi' });
    f.cm.dispose();
  });

  it('prints sums as Quantity.String()', () => {
    const sum = (...xs: string[]) => {
      const s = new QuantitySum();
      for (const x of xs) s.add(x);
      return s.toString();
    };
    expect(sum()).toBe('0');
    expect(sum('500m', '500m')).toBe('1');
    expect(sum('100m', '1')).toBe('1100m');
    expect(sum('1Gi', '1Gi')).toBe('2Gi');
    expect(sum('512Mi', '512Mi')).toBe('1Gi');
    expect(sum('1M', '500k')).toBe('1500k');
    expect(sum('2', '3')).toBe('5');
  });
});

describe('resourcequota-controller scopes', () => {
  it('counts only the pods a scoped quota matches; its other resources stay 0', async () => {
    const f = await startFakeManager([resourceQuotaController()]);
    f.api.put('pods', pod('be', [c({})]));
    f.api.put('pods', pod('burst', [c({ cpu: '100m' })], { activeDeadlineSeconds: 30 }));
    f.api.put('pods', pod('vip', [c({ cpu: '1' })], { priorityClassName: 'high' }));
    f.api.put('configmaps', { metadata: { name: 'cm', namespace: 'default' } });
    const q = (name: string, spec: object) => f.api.put('resourcequotas', { metadata: { name, namespace: 'default' }, spec });
    q('best', { hard: { pods: '9', 'count/configmaps': '9' }, scopes: ['BestEffort'] });
    q('notbest', { hard: { pods: '9', 'requests.cpu': '9' }, scopes: ['NotBestEffort'] });
    q('term', { hard: { pods: '9' }, scopes: ['Terminating'] });
    q('longrun', { hard: { pods: '9' }, scopes: ['NotTerminating', 'NotBestEffort'] });
    q('prio', { hard: { pods: '9' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }] } });
    await f.settle();
    const used = (name: string) => (f.api.get('resourcequotas', 'default', name) as unknown as ResourceQuota).status?.used;
    expect(used('best')).toEqual({ pods: '1', 'count/configmaps': '0' });
    expect(used('notbest')).toEqual({ pods: '2', 'requests.cpu': '1100m' });
    expect(used('term')).toEqual({ pods: '1' });
    expect(used('longrun')).toEqual({ pods: '1' });
    expect(used('prio')).toEqual({ pods: '2' });
    f.cm.dispose();
  });
});
