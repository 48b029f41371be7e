import { describe, expect, it } from 'vitest';
import { kubectlApiFixture } from '../testing/kubectl-api-fixture';
import { READER_RBAC } from '../testing/reader-rbac';

// Expected texts recorded from kubectl 1.32 describing the same objects on `npm run serve`.
const OBJECTS = `${READER_RBAC}---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - {type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 100m}, max: {cpu: "2"}, min: {cpu: 50m}}
  - {type: Pod, max: {memory: 1Gi}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: fe}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
    ports: [{protocol: TCP, port: 80}]
  egress:
  - to: [{podSelector: {}}]
    ports: [{port: 53, protocol: UDP}]
`;

describe('kubectl describe (RBAC, limits, network policy)', () => {
  it('prints kubectl 1.32 layouts', async () => {
    const f = await kubectlApiFixture();
    expect((await f.run('apply -f -', OBJECTS)).code).toBe(0);
    expect((await f.run('describe role reader')).stdout).toBe(
      'Name:         reader\nLabels:       a=b\nAnnotations:  <none>\nPolicyRule:\n' +
        '  Resources         Non-Resource URLs  Resource Names  Verbs\n' +
        '  ---------         -----------------  --------------  -----\n' +
        '  pods/log          []                 []              [get list]\n' +
        '  pods              []                 []              [get list]\n' +
        '  configmaps        []                 []              [get]\n' +
        '  deployments.apps  []                 [web]           [get]\n',
    );
    expect((await f.run('describe rolebinding read-pods')).stdout).toBe(
      'Name:         read-pods\nLabels:       <none>\nAnnotations:  <none>\nRole:\n  Kind:  Role\n  Name:  reader\nSubjects:\n' +
        '  Kind            Name   Namespace\n  ----            ----   ---------\n  User            jane   \n  ServiceAccount  robot  default\n',
    );
    expect((await f.run('describe limits')).stdout).toBe(
      'Name:       limits\nNamespace:  default\n' +
        'Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n' +
        '----        --------  ---  ---  ---------------  -------------  -----------------------\n' +
        'Container   cpu       50m  2    100m             500m           -\n' +
        'Pod         memory    -    1Gi  -                -              -\n',
    );
    expect((await f.run('describe netpol np')).stdout).toBe(
      'Name:         np\nNamespace:    default\nCreated on:   2026-01-01 00:00:00 +0000 UTC\nLabels:       <none>\nAnnotations:  <none>\nSpec:\n' +
        '  PodSelector:     app=web\n  Allowing ingress traffic:\n    To Port: 80/TCP\n    From:\n      PodSelector: role=fe\n    From:\n      IPBlock:\n' +
        '        CIDR: 10.0.0.0/8\n        Except: 10.1.0.0/16\n  Allowing egress traffic:\n    To Port: 53/UDP\n    To:\n      PodSelector: <none>\n  Policy Types: Ingress, Egress\n',
    );
  });
});
