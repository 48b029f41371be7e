import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/protocol';
import { requestAttributes } from './request-attributes';

const user = { username: 'jane', groups: ['system:authenticated'] };
const attrs = (method: ApiRequest['method'], path: string, query?: Record<string, string>) => {
  const a = requestAttributes({ method, path, query }, user);
  return [a.verb, a.isResourceRequest, a.namespace, a.apiGroup, a.resource, a.subresource, a.name, a.isResourceRequest ? '' : a.path];
};

describe('requestAttributes (RequestInfoFactory)', () => {
  it('derives verb, namespace, group, resource, subresource and name from the route', () => {
    expect(attrs('GET', '/api/v1/namespaces/default/pods')).toEqual(['list', true, 'default', '', 'pods', '', '', '']);
    expect(attrs('GET', '/api/v1/pods', { watch: 'true' })).toEqual(['watch', true, '', '', 'pods', '', '', '']);
    expect(attrs('GET', '/api/v1/namespaces/default/pods', { fieldSelector: 'metadata.name=web' })).toEqual(['list', true, 'default', '', 'pods', '', 'web', '']);
    expect(attrs('GET', '/api/v1/namespaces/default/pods/web/log')).toEqual(['get', true, 'default', '', 'pods', 'log', 'web', '']);
    expect(attrs('POST', '/apis/apps/v1/namespaces/ns1/deployments')).toEqual(['create', true, 'ns1', 'apps', 'deployments', '', '', '']);
    expect(attrs('PUT', '/apis/apps/v1/namespaces/ns1/deployments/web/scale')).toEqual(['update', true, 'ns1', 'apps', 'deployments', 'scale', 'web', '']);
    expect(attrs('PATCH', '/api/v1/nodes/n1/status')).toEqual(['patch', true, '', '', 'nodes', 'status', 'n1', '']);
    expect(attrs('DELETE', '/api/v1/namespaces/default/pods')).toEqual(['deletecollection', true, 'default', '', 'pods', '', '', '']);
    expect(attrs('DELETE', '/api/v1/namespaces/default/pods/x')).toEqual(['delete', true, 'default', '', 'pods', '', 'x', '']);
    // namespaces/<n> is the namespace object; status and finalize are its subresources
    expect(attrs('GET', '/api/v1/namespaces/kube-system')).toEqual(['get', true, 'kube-system', '', 'namespaces', '', 'kube-system', '']);
    expect(attrs('PUT', '/api/v1/namespaces/x/finalize')).toEqual(['update', true, 'x', '', 'namespaces', 'finalize', 'x', '']);
    expect(attrs('GET', '/api/v1/namespaces')).toEqual(['list', true, '', '', 'namespaces', '', '', '']);
  });

  it('treats discovery and other paths as non-resource requests with the lower-cased method as verb', () => {
    expect(attrs('GET', '/api')).toEqual(['get', false, '', '', '', '', '', '/api']);
    expect(attrs('GET', '/api/v1')).toEqual(['get', false, '', '', '', '', '', '/api/v1']);
    expect(attrs('GET', '/apis/apps/v1')).toEqual(['get', false, '', '', '', '', '', '/apis/apps/v1']);
    expect(attrs('GET', '/healthz')).toEqual(['get', false, '', '', '', '', '', '/healthz']);
    expect(attrs('POST', '/logs')).toEqual(['post', false, '', '', '', '', '', '/logs']);
  });
});
