import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

// The "Declare Network Policy" tutorial in the tab: a Service, a deny-all-ingress policy that makes busybox
// `wget -T 2` time out after 2 s (the SYN is dropped in the fabric, never refused), then a policy allowing pods labelled
// access=true, after which the same wget gets the page. kube-proxy writes the policy table into the fabric's
// SharedArrayBuffer and container Workers check it synchronously in connect.
describe('NetworkPolicy in the tab', () => {
  const fixture = clusterPageFixture();

  const manifest = [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\nspec:\n  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=hello"], ports: [{name: http, containerPort: 5678}]}]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
  ].join('---\n');

  it('deny all ingress, then allow from a labelled pod: busybox wget times out, then succeeds', async () => {
    const { page } = fixture;
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    const running = (r: { stdout: string }) => (JSON.parse(r.stdout || '{}') as { status?: { phase?: string } }).status?.phase === 'Running';
    for (const n of ['web', 'bb']) await waitForKubectl(page, `get pod ${n} -o json`, running, 60_000);
    await waitForKubectl(page, 'exec bb -- wget -qO- -T 2 http://web', (r) => r.exitCode === 0 && r.stdout === 'hello\n', 30_000);

    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
    expect((await kubectl(page, 'apply -f -', deny)).stdout).toBe('networkpolicy.networking.k8s.io/default-deny-ingress created\n');
    const start = Date.now();
    const blocked = await kubectl(page, 'exec bb -- wget -qO- -T 2 http://web');
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toContain('wget: download timed out');
    expect(blocked.stderr).not.toContain('refused');
    expect(Date.now() - start).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - start).toBeLessThan(10_000);

    const allow = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: access-web}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {access: "true"}}\n';
    expect((await kubectl(page, 'apply -f -', allow)).exitCode).toBe(0);
    expect((await kubectl(page, 'label pod bb access=true')).stdout).toBe('pod/bb labeled\n');
    await waitForKubectl(page, 'exec bb -- wget -qO- -T 2 http://web', (r) => r.exitCode === 0 && r.stdout === 'hello\n', 30_000);
    expect((await kubectl(page, 'get networkpolicy')).stdout).toMatch(/^NAME\s+POD-SELECTOR\s+AGE\naccess-web\s+app=web\s+\S+\ndefault-deny-ingress\s+<none>\s+\S+\n$/);
  }, 180_000);

  it('an egress policy blocks DNS too (busybox nslookup over UDP times out) until a rule allows UDP 53 to kube-dns', async () => {
    const { page } = fixture;
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod bb -o jsonpath={.status.phase}', (r) => r.stdout === 'Running', 60_000);
    expect((await kubectl(page, 'label pod bb dns=probe --overwrite')).exitCode).toBe(0);
    const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bb-egress}\nspec:\n  podSelector: {matchLabels: {dns: probe}}\n  policyTypes: [Egress]\n';
    expect((await kubectl(page, 'apply -f -', deny)).exitCode).toBe(0);
    const blocked = await kubectl(page, 'exec bb -- nslookup -timeout=1 web');
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stdout).toContain(';; connection timed out; no servers could be reached');
    const allow =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bb-dns}\nspec:\n  podSelector: {matchLabels: {dns: probe}}\n  policyTypes: [Egress]\n  egress:\n' +
      '  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}\n    ports: [{protocol: UDP, port: 53}]\n';
    expect((await kubectl(page, 'apply -f -', allow)).exitCode).toBe(0);
    // (busybox nslookup of a short name exits 1 even when one search-path name answers: the others are NXDOMAIN.)
    const ok = await waitForKubectl(page, 'exec bb -- nslookup -timeout=1 web.default.svc.cluster.local', (r) => r.stdout.includes('Name:\tweb.default.svc.cluster.local'), 30_000);
    expect(ok.stdout).toMatch(/^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10:53\n\nName:\tweb\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n/);
    expect((await kubectl(page, 'delete networkpolicy bb-egress bb-dns')).exitCode).toBe(0);
  }, 120_000);
});
