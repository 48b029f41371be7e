import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

// Services in the tab: kube-proxy's rules and the cluster DNS live in the fabric's SharedArrayBuffer, so
// container Workers resolve and connect to Services synchronously (src/workers/kube-proxy).
describe('Services in the tab', () => {
  const fixture = clusterPageFixture();

  it('busybox reaches http-echo pods through a Service by name; nslookup answers from the cluster DNS; kube-dns is listed', async () => {
    const { page } = fixture;
    const pod = (n: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}, labels: {app: web}}\nspec:\n  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=${n}"], ports: [{name: http, containerPort: 5678}]}]\n`;
    const manifest = [
      pod('web-1'),
      pod('web-2'),
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
    ].join('---\n');
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    const running = (r: { stdout: string }) => (JSON.parse(r.stdout || '{}') as { status?: { phase?: string } }).status?.phase === 'Running';
    for (const n of ['web-1', 'web-2', 'bb']) await waitForKubectl(page, `get pod ${n} -o json`, running, 60_000);

    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    while (seen.size < 2 && Date.now() < deadline) {
      const r = await kubectl(page, 'exec bb -- wget -qO- http://web');
      if (r.exitCode === 0) seen.add(r.stdout.trim());
    }
    expect([...seen].sort()).toEqual(['web-1', 'web-2']);

    const svc = await kubectl(page, 'get svc web -o jsonpath={.spec.clusterIP}');
    const ns = await kubectl(page, 'exec bb -- nslookup web.default.svc.cluster.local');
    expect(ns.stdout).toBe(
      `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${svc.stdout}\n\n*** Can't find web.default.svc.cluster.local: No answer\n\n`,
    );
    expect((await kubectl(page, 'exec bb -- cat /etc/resolv.conf')).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');

    const all = await kubectl(page, 'get svc -A');
    expect(all.stdout).toMatch(/\nkube-system\s+kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+/);
  }, 180_000);
});
