import { describe, expect, it } from 'vitest';
import { startFakeManager } from '../testing/workload-fixtures';
import { serviceAccountsController } from './serviceaccounts-controller';
import { CLUSTER_CA_PEM, ROOT_CA_CONFIGMAP, ROOT_CA_DESCRIPTION, rootCaCertPublisher } from './root-ca-cert-publisher';

const ns = (name: string, terminating = false) => ({ metadata: { name }, status: { phase: terminating ? 'Terminating' : 'Active' } });

describe('serviceaccount-controller', () => {
  it('creates a default ServiceAccount in every active namespace and recreates it when deleted', async () => {
    const f = await startFakeManager([serviceAccountsController()]);
    f.api.put('namespaces', ns('default'));
    f.api.put('namespaces', ns('going', true));
    await f.settle();
    f.api.put('namespaces', ns('team-a'));
    await f.settle();
    expect(f.api.list('serviceaccounts').map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['default/default', 'team-a/default']);
    const uid = f.api.get('serviceaccounts', 'team-a', 'default')!.metadata.uid;
    f.api.remove('serviceaccounts', 'team-a', 'default');
    await f.settle();
    expect(f.api.get('serviceaccounts', 'team-a', 'default')!.metadata.uid).not.toBe(uid);
    f.cm.dispose();
  });
});

describe('root-ca-cert-publisher', () => {
  it('publishes kube-root-ca.crt in every active namespace and restores it', async () => {
    const f = await startFakeManager([rootCaCertPublisher()]);
    f.api.put('namespaces', ns('default'));
    f.api.put('namespaces', ns('kube-system'));
    f.api.put('namespaces', ns('going', true));
    await f.settle();
    expect(f.api.list('configmaps').map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['default/kube-root-ca.crt', 'kube-system/kube-root-ca.crt']);
    const cm = f.api.get('configmaps', 'default', ROOT_CA_CONFIGMAP)!;
    expect(cm).toMatchObject({ metadata: { annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } }, data: { 'ca.crt': CLUSTER_CA_PEM } });
    expect(CLUSTER_CA_PEM).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    f.api.put('configmaps', { ...cm, data: { 'ca.crt': 'tampered', extra: 'x' } } as never);
    await f.settle();
    expect(f.api.get('configmaps', 'default', ROOT_CA_CONFIGMAP)!.data).toEqual({ 'ca.crt': CLUSTER_CA_PEM, extra: 'x' });
    f.api.remove('configmaps', 'kube-system', ROOT_CA_CONFIGMAP);
    await f.settle();
    expect(f.api.get('configmaps', 'kube-system', ROOT_CA_CONFIGMAP)?.data).toEqual({ 'ca.crt': CLUSTER_CA_PEM });
    f.cm.dispose();
  });
});
