import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../protobuf-body';

// Bodies captured from the real kubectl 1.32.5 (a proxy in front of `npm run serve`).
const captured = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
// kubectl create deployment web --image=registry.k8s.io/pause:3.10 --replicas=2
const DEPLOYMENT = 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsEBCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEo8BCAISDAoKCgNhcHASA3dlYhp1ChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElUSNwoFcGF1c2USGnJlZ2lzdHJ5Lms4cy5pby9wYXVzZTozLjEwKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=';
// kubectl autoscale deployment web --min=1 --max=3 --cpu-percent=50
const HPA = 'azhzAAopCg5hdXRvc2NhbGluZy92MRIXSG9yaXpvbnRhbFBvZEF1dG9zY2FsZXISPwoTCgN3ZWISABoAIgAqADIAOABCABIiChoKCkRlcGxveW1lbnQSA3dlYhoHYXBwcy92MRABGAMgMhoEGAAgABoAIgA=';
// kubectl create service clusterip svc1 --tcp=80:8080
const SERVICE = 'azhzAAoNCgJ2MRIHU2VydmljZRJsCiEKBHN2YzESABoAIgAqADIAOABCAFoLCgNhcHASBHN2YzESQwobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==';

// kubectl drain --disable-eviction: DELETE pods/x with an empty v1 DeleteOptions
const DELETE_OPTIONS = 'azhzAAoTCgJ2MRINRGVsZXRlT3B0aW9ucxIAGgAiAA==';

// A minimal protobuf writer, for kinds whose fields the captures do not cover.
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  while (v > 127n) (out.push(Number(v & 127n) | 128), (v >>= 7n));
  return [...out, Number(v)];
};
const field = (num: number, bytes: number[]): number[] => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const str = (num: number, s: string) => field(num, [...Buffer.from(s)]);
const int = (num: number, n: number) => [...varint(num << 3), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]) => new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...field(1, [...str(1, apiVersion), ...str(2, kind)]), ...field(2, raw)]);

describe('protobuf kinds from kubectl generators', () => {
  it('writes null for absent slices Go marshals without omitempty (ClusterRole rules, PolicyRule verbs, containers)', () => {
    const agg = envelope('rbac.authorization.k8s.io/v1', 'ClusterRole', [...field(1, str(1, 'agg')), ...field(3, field(1, field(1, [...str(1, 'foo'), ...str(2, 'bar')])))]);
    expect(decodeProtobufObject(agg)).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { foo: 'bar' } }] } });
    const role = envelope('rbac.authorization.k8s.io/v1', 'Role', [...field(2, [...str(3, 'pods'), ...str(1, 'get'), ...str(1, '')])]);
    expect(decodeProtobufObject(role)).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', rules: [{ resources: ['pods'], verbs: ['get', ''] }] });
    const job = envelope('batch/v1', 'Job', [...field(2, field(6, field(2, str(3, 'Never'))))]);
    expect(decodeProtobufObject(job)).toEqual({ apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: { containers: null, restartPolicy: 'Never' } } } });
  });

  it('decodes a Deployment as kube JSON: empty structs kept, zero non-pointer scalars and empty strings dropped, null creationTimestamp', () => {
    expect(decodeProtobufObject(captured(DEPLOYMENT))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: {} }] } },
        strategy: {},
      },
      status: {},
    });
  });

  it('decodes IntOrString, pointer ints and nested references (Service, autoscaling/v1 HPA)', () => {
    expect(decodeProtobufObject(captured(SERVICE))).toMatchObject({ spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc1' }, type: 'ClusterIP' } });
    expect(decodeProtobufObject(captured(HPA))).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', creationTimestamp: null },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      status: {},
    });
  });

  it('decodes string IntOrString, quantity maps, Time, inline structs, negative int64 and DeleteOptions under any group', () => {
    const pdb = envelope('policy/v1', 'PodDisruptionBudget', [...field(1, str(1, 'p')), ...field(2, [...field(3, [...int(1, 1), ...str(3, '50%')])])]);
    expect(decodeProtobufObject(pdb)).toEqual({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: '50%' } });
    const quota = envelope('v1', 'ResourceQuota', [...field(2, [...field(1, [...str(1, 'memory'), ...field(2, str(1, '1Gi'))])])]);
    expect(decodeProtobufObject(quota)).toEqual({ apiVersion: 'v1', kind: 'ResourceQuota', spec: { hard: { memory: '1Gi' } } });
    const ev = envelope('policy/v1', 'Eviction', [...field(1, [...str(1, 'web-1'), ...str(3, 'default'), ...field(9, [...int(1, 1_700_000_000)])]), ...field(2, [...int(1, -1), ...field(2, str(1, 'u1')), ...str(5, 'All')])]);
    expect(decodeProtobufObject(ev)).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'default', deletionTimestamp: '2023-11-14T22:13:20Z' },
      deleteOptions: { gracePeriodSeconds: -1, preconditions: { uid: 'u1' }, dryRun: ['All'] },
    });
    expect(decodeProtobufObject(envelope('meta.k8s.io/v1', 'DeleteOptions', [...int(1, 0), ...str(4, 'Foreground')]))).toEqual({ apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    expect(decodeProtobufObject(captured(DELETE_OPTIONS))).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions' });
    const ing = envelope('networking.k8s.io/v1', 'Ingress', [...field(2, [...field(3, [...str(1, 'a.com'), ...field(2, field(1, field(1, [...str(1, '/'), ...str(3, 'Exact'), ...field(2, field(4, [...str(1, 's'), ...field(2, int(2, 80))]))])))])])]);
    expect(decodeProtobufObject(ing)).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', spec: { rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } });
  });
});
