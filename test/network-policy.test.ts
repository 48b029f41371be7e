import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Namespace, Pod, Service } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { FakeClock, Namespaces, NetworkPolicies, Pods, Services } from '../src/api';
import type { LocalCluster } from '../src/cluster';
import { runKubectl } from '../src/kubectl';
import { splitCommandLine } from '../src/kubectl/cli/split-command-line';
import { dialTcp } from '../src/network';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';
import { getPod, waitFor } from './cluster-helpers';

// issue 8's NetworkPolicy on a threaded cluster with real pods: http-echo servers, busybox clients in two
// namespaces. Allowed traffic is shown with busybox wget in the pods (kubectl exec); denied traffic with one
// busybox `wget -T 2` (its connect times out after 2 s: "download timed out", never "Connection refused") and
// otherwise with dials from JS using a pod's IP as the source and a short timeout, so the suite stays fast.
beforeAll(() => ensureImagesBuilt(), 300_000);

let c: LocalCluster;
let clock: FakeClock;
const ips: Record<string, string> = {};
afterAll(async () => c?.stop());

const echo = (name: string, ns: string, labels: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: [`-text=${name}`], ports: [{ name: 'http', containerPort: 5678 }] }] },
});
const shell = (name: string, ns: string, labels: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] },
});
const policy = (name: string, spec: NetworkPolicy['spec'], ns = 'default'): NetworkPolicy => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

async function kubectl(line: string) {
  let stdout = '';
  let stderr = '';
  const code = await runKubectl(splitCommandLine(line), { client: c.client, clock, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** busybox wget in pod `from` (namespace ns): the body, or stderr and the exit code. */
async function wget(from: string, url: string, ns = 'default'): Promise<string> {
  const r = await kubectl(`exec -n ${ns} ${from} -- wget -qO- -T 2 ${url}`);
  return r.code === 0 ? r.stdout.trim() : `${r.stderr.trim()} (exit ${r.code})`;
}

/** A TCP dial to ip:port with a pod's (or node's) IP as the source: 'ok', or the dial error's message. */
async function dial(fromIp: string, ip: string, port = 5678): Promise<string> {
  try {
    (await dialTcp(c.network, ip, port, { fromIp, timeoutMs: 300 })).close();
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  }
}
const timeout = (ip: string, port = 5678) => `dial tcp ${ip}:${port}: i/o timeout`;

async function apply(p: NetworkPolicy) {
  await c.client.create(NetworkPolicies, p);
}

describe('NetworkPolicy', () => {
  beforeAll(async () => {
    ({ cluster: c, clock } = await startThreadedTestCluster(`netpol-${process.pid}`, 93));
    await c.client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'blue' } } } as Namespace);
    await c.client.create(Services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } satisfies Service);
    const pods = [echo('web', 'default', { app: 'web' }), shell('client', 'default', { role: 'client' }), shell('stranger', 'default', {}), shell('remote', 'other', { role: 'client' }), echo('far', 'other', { app: 'far' })];
    for (const p of pods) await waitFor(() => c.client.create(Pods, p).then(() => true, () => false), `creating ${p.metadata!.name}`, 30_000);
    for (const p of pods) {
      const ns = p.metadata!.namespace!;
      ips[p.metadata!.name!] = await waitFor(async () => {
        const got = await getPod(c, p.metadata!.name!, ns);
        return got.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && got.status.podIP;
      }, `${p.metadata!.name} ready`, 60_000);
    }
    await waitFor(async () => (await wget('stranger', 'http://web')) === 'web', 'web serving through its Service', 30_000);
    await waitFor(async () => (await wget('client', `http://${ips.far}:5678`)) === 'far', 'far serving', 30_000);
  }, 180_000);

  it('deny-all ingress: busybox wget -T 2 through the Service times out in 2 s (no "Connection refused"); the pod\'s own node still reaches it', async () => {
    await apply(policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    await waitFor(async () => (await dial(ips.stranger, ips.web)) === timeout(ips.web), 'the deny taking effect', 10_000);
    const start = Date.now();
    expect(await wget('stranger', 'http://web')).toBe('wget: download timed out\ncommand terminated with exit code 1 (exit 1)');
    expect(Date.now() - start).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - start).toBeLessThan(8_000);
    const nodeIp = (await getPod(c, 'web')).status!.hostIP!;
    expect(await dial(nodeIp, ips.web)).toBe('ok');
    expect(await dial(ips.remote, ips.web)).toBe(timeout(ips.web));
    expect(await wget('client', `http://${ips.far}:5678`)).toBe('far');
  }, 60_000);

  it('allows ingress from a labelled pod of the namespace, not from same-labelled pods elsewhere; a port restriction and a named port', async () => {
    await apply(policy('allow-client', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'http' }] }] }));
    await waitFor(async () => (await wget('client', 'http://web')) === 'web', 'the client allowed', 10_000);
    expect(await dial(ips.stranger, ips.web)).toBe(timeout(ips.web));
    expect(await dial(ips.remote, ips.web)).toBe(timeout(ips.web));
    await c.client.update(NetworkPolicies, { ...(await c.client.get<NetworkPolicy>(NetworkPolicies, 'allow-client', 'default')), spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 9000, endPort: 9100 }] }] } });
    await waitFor(async () => (await dial(ips.client, ips.web)) === timeout(ips.web), 'port 5678 no longer allowed', 10_000);
  }, 60_000);

  it('namespaceSelector, alone and together with a podSelector', async () => {
    await apply(policy('allow-blue', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { role: 'nobody' } } }] }] }));
    await waitFor(() => c.network.policies!.version > 0, 'a table');
    expect(await dial(ips.remote, ips.web)).toBe(timeout(ips.web));
    await c.client.delete(NetworkPolicies, 'allow-blue', 'default');
    await apply(policy('allow-blue-ns', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] }] }));
    await waitFor(async () => (await wget('remote', 'http://web.default', 'other')) === 'web', 'the other namespace allowed', 10_000);
    expect(await dial(ips.stranger, ips.web)).toBe(timeout(ips.web));
  }, 60_000);

  it('egress: deny all blocks DNS too (as Calico) until a rule allows kube-dns; an ipBlock with except allows all but the excepted pod', async () => {
    await apply(policy('client-egress', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] }));
    await waitFor(async () => (await dial(ips.client, ips.far)) === timeout(ips.far), 'egress denied', 10_000);
    const svcIp = (await c.client.get<Service>(Services, 'web', 'default')).spec!.clusterIP!;
    expect((await kubectl('exec client -- nslookup -timeout=1 web')).stdout).toContain(';; connection timed out; no servers could be reached');
    await apply(policy('client-dns', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }));
    await waitFor(async () => (await kubectl('exec client -- nslookup -timeout=1 web')).stdout.includes(`Name:\tweb.default.svc.cluster.local\nAddress: ${svcIp}\n`), 'DNS allowed by client-dns', 15_000);
    expect(await dial(ips.client, ips.far)).toBe(timeout(ips.far));
    await c.client.delete(NetworkPolicies, 'client-egress', 'default');
    await apply(policy('client-egress-block', { podSelector: { matchLabels: { role: 'client' } }, egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: [`${ips.far}/32`] } }] }] }));
    await waitFor(async () => (await dial(ips.client, ips.far)) === timeout(ips.far), 'far excepted', 10_000);
    await c.client.update(NetworkPolicies, { ...(await c.client.get<NetworkPolicy>(NetworkPolicies, 'allow-client', 'default')), spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] } });
    await waitFor(async () => (await wget('client', 'http://web')) === 'web', 'web still reachable inside the block', 10_000);
    await Promise.all(['default-deny', 'allow-client', 'allow-blue-ns', 'client-egress-block', 'client-dns'].map((n) => c.client.delete(NetworkPolicies, n, 'default')));
    await waitFor(() => !c.network.policies!.active, 'no pod isolated');
    expect(await wget('stranger', 'http://web')).toBe('web');
    expect(await wget('client', `http://${ips.far}:5678`)).toBe('far');
  }, 60_000);
});
