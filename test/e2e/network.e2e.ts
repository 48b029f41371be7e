import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl, type KubectlResult } from './page-helpers';

// Issue 8's network e2e items not covered by services/ingress/network-policy/preview e2e: kube-proxy's spread
// over 3 agnhost replicas, a failing readiness probe taking a pod out of rotation, DNS (over real UDP packets
// to kube-dns, busybox nslookup) for a headless Service and a StatefulSet pod, and `wget -qO- http://nginx`.
const json = (r: KubectlResult) => JSON.parse(r.stdout || '{}') as { status?: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> }; items?: unknown[] };
const ready = (want: boolean) => (r: KubectlResult) => json(r).status?.conditions?.some((c) => c.type === 'Ready' && c.status === (want ? 'True' : 'False')) ?? false;

describe('cluster networking in the tab', () => {
  const fixture = clusterPageFixture();

  it('spreads /hostname over 3 agnhost replicas; a failing readiness probe takes one out of rotation', async () => {
    const { page } = fixture;
    const manifest = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hostnames}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: hostnames}}\n  template:\n    metadata: {labels: {app: hostnames}}\n    spec:\n' +
        '      containers:\n      - name: agnhost\n        image: registry.k8s.io/e2e-test-images/agnhost:2.40\n        args: [netexec, --http-port=8080]\n' +
        '        readinessProbe: {exec: {command: [sh, -c, "test ! -e /tmp/down"]}, periodSeconds: 1, failureThreshold: 1}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: hostnames}\nspec:\n  selector: {app: hostnames}\n  ports: [{port: 80, targetPort: 8080}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
    ].join('---\n');
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod client -o json', (r) => json(r).status?.phase === 'Running', 60_000);
    const names = await waitForKubectl(page, 'get pods -l app=hostnames -o jsonpath={.items[*].metadata.name}', (r) => r.stdout.split(' ').filter(Boolean).length === 3, 60_000);
    const pods = names.stdout.split(' ').sort();
    for (const p of pods) await waitForKubectl(page, `get pod ${p} -o json`, ready(true), 60_000);
    await waitForKubectl(page, 'get endpointslices -l kubernetes.io/service-name=hostnames -o jsonpath={.items[*].endpoints[*].addresses[0]}', (r) => r.stdout.split(' ').filter(Boolean).length === 3, 30_000);

    const spread = async (n: number) => {
      const r = await kubectl(page, `exec client -- sh -c 'for i in $(seq ${n}); do wget -qO- http://hostnames/hostname; echo; done'`);
      expect(r.exitCode).toBe(0);
      return r.stdout.trim().split('\n');
    };
    const first = await spread(30);
    expect(first).toHaveLength(30);
    // Random choice over 3 endpoints: all three appear in 30 requests (a miss has probability ~3·(2/3)^30 ≈ 1.5e-5).
    expect([...new Set(first)].sort()).toEqual(pods);

    const down = pods[0];
    expect((await kubectl(page, `exec ${down} -- touch /tmp/down`)).exitCode).toBe(0);
    await waitForKubectl(page, `get pod ${down} -o json`, ready(false), 30_000);
    const readyEndpoints = (r: KubectlResult) => ((json(r).items ?? []) as Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }>).flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
    await waitForKubectl(page, 'get endpointslices -l kubernetes.io/service-name=hostnames -o json', (r) => readyEndpoints(r) === 2, 30_000);
    const after = await spread(30);
    expect([...new Set(after)].sort()).toEqual(pods.slice(1));
  }, 240_000);

  it('DNS for a headless Service and a StatefulSet pod over UDP to kube-dns; busybox wget -qO- http://nginx through a Service', async () => {
    const { page } = fixture;
    const manifest = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: nginx}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{name: web, port: 80}]\n',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: nginx\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      terminationGracePeriodSeconds: 1\n      containers: [{name: nginx, image: nginx, ports: [{name: web, containerPort: 80}]}]\n',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: front}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nginx, namespace: front}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec:\n      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: nginx, namespace: front}\nspec:\n  selector: {app: nginx}\n  ports: [{port: 80}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bb, namespace: front}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
    ].join('---\n');
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod bb -n front -o json', (r) => json(r).status?.phase === 'Running', 60_000);
    const ip0 = json(await waitForKubectl(page, 'get pod web-0 -o json', ready(true), 90_000)).status!.podIP!;
    const ip1 = json(await waitForKubectl(page, 'get pod web-1 -o json', ready(true), 90_000)).status!.podIP!;
    await waitForKubectl(page, 'get deploy nginx -n front -o jsonpath={.status.readyReplicas}', (r) => r.stdout === '2', 60_000);

    const S = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    const pod0 = await waitForKubectl(page, 'exec bb -n front -- nslookup web-0.nginx.default.svc.cluster.local', (r) => r.exitCode === 0, 30_000);
    expect(pod0.stdout).toBe(`${S}Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: ${ip0}\n\n*** Can't find web-0.nginx.default.svc.cluster.local: No answer\n\n`);
    const headless = await waitForKubectl(page, 'exec bb -n front -- nslookup -type=a nginx.default.svc.cluster.local', (r) => (r.stdout.match(/Address: /g) ?? []).length === 2, 30_000);
    expect(headless.stdout.startsWith(`${S}`)).toBe(true);
    expect([...headless.stdout.matchAll(/Name:\tnginx\.default\.svc\.cluster\.local\nAddress: (\S+)/g)].map((m) => m[1]).sort()).toEqual([ip0, ip1].sort());
    const gone = await kubectl(page, 'exec bb -n front -- nslookup web-9.nginx.default.svc.cluster.local');
    expect(gone.stdout).toBe(`${S}** server can't find web-9.nginx.default.svc.cluster.local: NXDOMAIN\n\n** server can't find web-9.nginx.default.svc.cluster.local: NXDOMAIN\n\n`);

    const page1 = await kubectl(page, 'exec bb -n front -- wget -qO- http://nginx');
    expect(page1.exitCode).toBe(0);
    expect(page1.stdout).toContain('<title>Welcome to nginx!</title>');
  }, 240_000);
});
