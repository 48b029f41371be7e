import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../api/protocol';
import { kubectlApiFixture } from '../testing/kubectl-api-fixture';
import { formatRulesReview } from './auth';

/** Stub access reviews: allowed unless the verb is "delete"; whoami answers a fixed user. */
async function authFixture() {
  const reviews: unknown[] = [];
  const f = await kubectlApiFixture((req: ApiRequest) => {
    if (req.method !== 'POST') return undefined;
    const body = req.body as { spec?: { resourceAttributes?: { verb: string }; nonResourceAttributes?: { verb: string } } };
    if (req.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      reviews.push(body.spec);
      const verb = body.spec?.resourceAttributes?.verb ?? body.spec?.nonResourceAttributes?.verb;
      const allowed = verb !== 'delete';
      return { status: 201, body: { ...body, status: { allowed, ...(allowed ? {} : { reason: 'no RBAC policy matched' }) } } };
    }
    if (req.path === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews') {
      return {
        status: 201,
        body: {
          ...body,
          status: {
            resourceRules: [
              { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] },
              { verbs: ['*'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
              { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'] },
            ],
            nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }],
            incomplete: false,
          },
        },
      };
    }
    if (req.path === '/apis/authentication.k8s.io/v1/selfsubjectreviews') {
      return { status: 201, body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, status: { userInfo: { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] } } } };
    }
    return undefined;
  });
  return { ...f, reviews };
}

describe('kubectl auth', () => {
  it('can-i prints yes (exit 0) or no (exit 1) from a SelfSubjectAccessReview', async () => {
    const f = await authFixture();
    expect(await f.run('auth can-i get pods')).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(await f.run('auth can-i delete deployments/web -n team --subresource=scale')).toEqual({ code: 1, stdout: 'no - no RBAC policy matched\n', stderr: '' });
    expect(f.reviews[1]).toEqual({ resourceAttributes: { namespace: 'team', verb: 'delete', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' } });
    expect(await f.run('auth can-i get /healthz')).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(await f.run('auth can-i list nodes')).toEqual({ code: 0, stdout: 'yes\n', stderr: "Warning: resource 'nodes' is not namespace scoped\n\n" });
    expect(await f.run('auth can-i fly foos -A')).toEqual({ code: 0, stdout: 'yes\n', stderr: "Warning: the server doesn't have a resource type 'foos'\n\nWarning: verb 'fly' is not a known verb\n\n" });
    expect((await f.run('auth can-i get')).stderr).toBe("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
  });

  it('can-i --list prints the compacted rules sorted as kubectl does', async () => {
    const f = await authFixture();
    const r = await f.run('auth can-i --list');
    expect(r.stdout).toBe(
      'Resources                                       Non-Resource URLs   Resource Names   Verbs\n' +
        'deployments.apps                                []                  [web]            [*]\n' +
        'selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]\n' +
        'pods/log                                        []                  []               [get list]\n' +
        'pods                                            []                  []               [get list]\n' +
        '                                                [/healthz]          []               [get]\n' +
        '                                                [/version]          []               [get]\n',
    );
    expect(formatRulesReview({}, true)).toBe('');
  });

  it('whoami prints the user table or the object', async () => {
    const f = await authFixture();
    expect((await f.run('auth whoami')).stdout).toBe('ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n');
    expect((await f.run('auth whoami -o jsonpath={.status.userInfo.username}')).stdout).toBe('kubernetes-admin');
  });
});

describe('kubectl autoscale', () => {
  const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n';

  it('creates an autoscaling/v1 HPA for a scalable target', async () => {
    const f = await kubectlApiFixture();
    await f.run('apply -f -', DEPLOY);
    expect(await f.run('autoscale deploy web --min=2 --max=5 --cpu-percent=80')).toEqual({ code: 0, stdout: 'horizontalpodautoscaler.autoscaling/web autoscaled\n', stderr: '' });
    expect((await f.run('get hpa.v1.autoscaling web -o jsonpath={.spec}')).stdout).toBe('{"maxReplicas":5,"minReplicas":2,"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"targetCPUUtilizationPercentage":80}');
    expect((await f.run('autoscale deploy web --max=3')).stderr).toBe('Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n');
    expect((await f.run('autoscale deploy/web --max=3 --name=w2 --dry-run=client -o json')).stdout).toBe(
      '{\n    "kind": "HorizontalPodAutoscaler",\n    "apiVersion": "autoscaling/v1",\n    "metadata": {\n        "name": "w2",\n        "creationTimestamp": null\n    },\n    "spec": {\n        "scaleTargetRef": {\n            "kind": "Deployment",\n            "name": "web",\n            "apiVersion": "apps/v1"\n        },\n        "maxReplicas": 3\n    },\n    "status": {\n        "currentReplicas": 0,\n        "desiredReplicas": 0\n    }\n}\n',
    );
  });

  it('validates like kubectl', async () => {
    const f = await kubectlApiFixture();
    await f.run('apply -f -', DEPLOY);
    await f.run('create configmap cfg');
    expect((await f.run('autoscale deploy web')).stderr).toBe('error: required flag(s) "max" not set\n');
    expect((await f.run('autoscale deploy web --max=1 --min=3')).stderr).toBe('error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 1, min: 3\n');
    expect((await f.run('autoscale deploy web --max=0')).stderr).toBe('error: --max=MAXPODS is required and must be at least 1, max: 0\n');
    expect((await f.run('autoscale cm cfg --max=3')).stderr).toBe('error: cannot autoscale a ConfigMap: could not find scale subresource for /v1, Resource=configmaps in discovery information\n');
  });
});
