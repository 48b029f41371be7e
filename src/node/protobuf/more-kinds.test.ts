import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../protobuf-body';

import { envelope, field, int, str } from './wire-writer';

const meta = (name: string) => field(1, str(1, name));
const selector = field(1, [...str(1, 'app'), ...str(2, 'web')]);
const template = [...field(1, field(11, [...str(1, 'app'), ...str(2, 'web')])), ...field(2, field(2, [...str(1, 'c'), ...str(2, 'nginx')]))];
const podTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

describe('protobuf StatefulSet, DaemonSet, PVC and autoscaling/v2 HPA', () => {
  it('decodes a StatefulSet with volumeClaimTemplates, update strategy, retention policy and ordinals', () => {
    const claim = [...meta('data'), ...field(2, [...str(1, 'ReadWriteOnce'), ...field(2, field(2, [...str(1, 'storage'), ...field(2, str(1, '1Gi'))])), ...str(5, 'standard')])];
    const spec = [
      ...int(1, 0), ...field(2, selector), ...field(3, template), ...field(4, claim), ...str(5, 'web'), ...str(6, 'Parallel'),
      ...field(7, [...str(1, 'RollingUpdate'), ...field(2, [...int(1, 0), ...field(2, [...int(1, 1), ...str(3, '50%')])])]),
      ...int(8, 10), ...int(9, 0), ...field(10, [...str(1, 'Delete'), ...str(2, 'Retain')]), ...field(11, int(1, 0)),
    ];
    expect(decodeProtobufObject(envelope('apps/v1', 'StatefulSet', [...meta('web'), ...field(2, spec)]))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: podTemplate,
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' } }],
        serviceName: 'web',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '50%' } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        ordinals: { start: 0 },
      },
    });
  });

  it('decodes a DaemonSet (int maxUnavailable, zero minReadySeconds dropped)', () => {
    const spec = [...field(1, selector), ...field(2, template), ...field(3, [...str(1, 'RollingUpdate'), ...field(2, field(1, [...int(1, 0), ...int(2, 1)]))]), ...int(4, 0), ...int(6, 5)];
    expect(decodeProtobufObject(envelope('apps/v1', 'DaemonSet', [...meta('agent'), ...field(2, spec), ...field(3, [])]))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }, revisionHistoryLimit: 5 },
      status: {},
    });
  });

  it('decodes an autoscaling/v2 HPA with resource, pods and external metrics and behavior', () => {
    const target = (type: string, extra: number[]) => field(2, [...str(1, type), ...extra]);
    const metrics = [
      ...field(4, [...str(1, 'Resource'), ...field(4, [...str(1, 'cpu'), ...target('Utilization', int(4, 50))])]),
      ...field(4, [...str(1, 'Pods'), ...field(3, [...field(1, str(1, 'qps')), ...target('AverageValue', field(3, str(1, '100m')))])]),
      ...field(4, [...str(1, 'External'), ...field(5, [...field(1, [...str(1, 'queue'), ...field(2, selector)]), ...target('Value', field(2, str(1, '30')))])]),
    ];
    const behavior = field(5, field(2, [...int(3, 300), ...str(1, 'Min'), ...field(2, [...str(1, 'Percent'), ...int(2, 10), ...int(3, 60)])]));
    const spec = [...field(1, [...str(1, 'Deployment'), ...str(2, 'web'), ...str(3, 'apps/v1')]), ...int(2, 1), ...int(3, 5), ...metrics, ...behavior];
    expect(decodeProtobufObject(envelope('autoscaling/v2', 'HorizontalPodAutoscaler', [...meta('web'), ...field(2, spec)]))).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '100m' } } },
          { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { app: 'web' } } }, target: { type: 'Value', value: '30' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
      },
    });
  });
});
