import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { Pods, Services } from '../src/api';
import type { LocalCluster } from '../src/cluster';
import { dialTcp, formatIpv4, resolveClusterName, serviceEndpoints } from '../src/network';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { getPod, podLogs, waitFor } from './cluster-helpers';
import { threadedClusterPerTest } from './threaded-cluster-per-test';

// issue 8's Services, kube-proxy and DNS on a threaded cluster: http-echo pods behind Services, reached by
// ClusterIP, by name (search path), by NodePort and LoadBalancer IP; kube-proxy keeps the rules in step.
beforeAll(() => ensureImagesBuilt(), 300_000);

const boot = threadedClusterPerTest('svc', 97);
const enc = new TextEncoder();
const dec = new TextDecoder();

function echoPod(name: string, labels: Record<string, string> = { app: 'web' }, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: [`-text=${name}`], ports: [{ name: 'http', containerPort: 5678 }] }], ...extra },
  };
}

function service(name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 5678, targetPort: 'http' }], ...spec } };
}

/** One HTTP GET from JS over the fabric (from a node's IP), the response body, or the dial error's message. */
async function get(c: LocalCluster, ip: string, port: number): Promise<string> {
  try {
    const conn = await dialTcp(c.network, ip, port, { fromIp: '172.18.0.2' });
    await conn.write(enc.encode('GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n'));
    const res = dec.decode(await conn.readAll());
    conn.close();
    return res.slice(res.indexOf('\r\n\r\n') + 4).trim();
  } catch (err) {
    return (err as Error).message;
  }
}

async function runningPods(c: LocalCluster, names: string[]): Promise<string[]> {
  return Promise.all(names.map((n) => waitFor(async () => {
    const p = await getPod(c, n);
    return p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && p.status.podIP;
  }, `${n} ready`, 60_000)));
}

describe('Services', () => {
  it('a ClusterIP Service spreads over 3 ready pods by name and by IP; a deleted pod leaves rotation; no endpoints is refused', async () => {
    const c = await boot();
    await Promise.all(['web-a', 'web-b', 'web-c'].map((n) => c.client.create(Pods, echoPod(n))));
    const svc = await c.client.create(Services, service('web', { type: 'ClusterIP' }));
    const ip = svc.spec!.clusterIP!;
    const podIps = await runningPods(c, ['web-a', 'web-b', 'web-c']);
    // No readiness probe: Ready can come before http-echo listens (as in a real cluster).
    for (const [i, n] of ['web-a', 'web-b', 'web-c'].entries()) await waitFor(async () => (await get(c, podIps[i], 5678)) === n, `${n} serving`, 30_000);
    await waitFor(() => serviceEndpoints(c.network, 'default', 'web', 'web')?.endpoints.length === 3, 'three endpoints in the rules', 30_000);
    expect(serviceEndpoints(c.network, 'default', 'web', 5678)!.endpoints.every((e) => e.port === 5678)).toBe(true);

    const seen = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const body = await get(c, ip, 5678);
      seen.set(body, (seen.get(body) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['web-a', 'web-b', 'web-c']);

    await c.client.create(Pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [{
          name: 'bb',
          image: 'busybox',
          command: ['sh', '-c', 'cat /etc/resolv.conf /etc/hosts; for i in $(seq 1 12); do wget -qO- http://web:5678; done; wget -qO- http://web.default.svc.cluster.local:5678/x; wget -qO- http://$WEB_SERVICE_HOST:$WEB_SERVICE_PORT; wget -qO- http://nope:5678 || echo "exit $?"'],
        }],
      },
    });
    await waitFor(async () => (await getPod(c, 'client')).status?.phase === 'Succeeded', 'the client pod to finish', 60_000);
    const log = await podLogs(c, 'client');
    const clientIp = (await getPod(c, 'client')).status!.podIP!;
    const etc = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n' +
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      `${clientIp}\tclient\n`;
    expect(log.startsWith(etc)).toBe(true);
    const lines = log.slice(etc.length).trim().split('\n');
    expect(lines.slice(0, 14).every((l) => /^web-[abc]$/.test(l))).toBe(true);
    expect(new Set(lines.slice(0, 12)).size).toBeGreaterThan(1);
    // busybox 1.36 quotes the host with its port ('nope:5678'); our wget applet quotes the host alone.
    expect(lines.slice(14).join('\n')).toMatch(/^wget: bad address 'nope(:5678)?'\nexit 1$/);

    await c.client.delete(Pods, 'web-b', 'default');
    await waitFor(async () => {
      for (let i = 0; i < 20; i++) if ((await get(c, ip, 5678)) === 'web-b') return false;
      return true;
    }, 'web-b out of rotation', 30_000);

    for (const n of ['web-a', 'web-c']) await c.client.delete(Pods, n, 'default');
    expect(await waitFor(async () => {
      const r = await get(c, ip, 5678);
      return r.includes('connection refused') && r;
    }, 'no endpoints: refused', 60_000)).toBe(`dial tcp ${ip}:5678: connect: connection refused`);
  }, 240_000);

  it('NodePort at every node IP, LoadBalancer IP from the pool, headless DNS and ClientIP affinity', async () => {
    const c = await boot();
    await Promise.all(['web-0', 'web-1'].map((n) => c.client.create(Pods, echoPod(n, { app: 'web' }, { hostname: n, subdomain: 'web-headless' }))));
    const np = await c.client.create(Services, service('web-np', { type: 'NodePort' }));
    const lb = await c.client.create(Services, service('web-lb', { type: 'LoadBalancer' }));
    await c.client.create(Services, service('web-headless', { clusterIP: 'None' }));
    await c.client.create(Services, service('web-sticky', { sessionAffinity: 'ClientIP' }));
    await c.client.create(Services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'web-np.default.svc.cluster.local' } });
    const ips = await runningPods(c, ['web-0', 'web-1']);

    const nodePort = np.spec!.ports![0].nodePort!;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    for (const nodeIp of ['172.18.0.2', '172.18.0.3', '172.18.0.4']) {
      expect(await waitFor(async () => /^web-[01]$/.test(await get(c, nodeIp, nodePort)), `NodePort on ${nodeIp}`, 30_000)).toBe(true);
    }
    const lbIp = await waitFor(async () => (await c.client.get<Service>(Services, 'web-lb', 'default')).status?.loadBalancer?.ingress?.[0]?.ip, 'a LoadBalancer IP', 30_000);
    expect(lbIp).toBe('172.18.255.200');
    expect(await waitFor(async () => /^web-[01]$/.test(await get(c, lbIp, 5678)), 'the LoadBalancer IP', 30_000)).toBe(true);

    await waitFor(() => resolveClusterName(c.network, 'web-headless')?.addresses.length === 2, 'headless A records', 30_000);
    expect(resolveClusterName(c.network, 'web-headless')!.addresses.map(formatIpv4).sort()).toEqual([...ips].sort());
    expect(resolveClusterName(c.network, 'web-0.web-headless.default.svc.cluster.local')!.addresses.map(formatIpv4)).toEqual([ips[0]]);
    expect(resolveClusterName(c.network, 'alias')!.cnames).toEqual([['alias.default.svc.cluster.local', 'web-np.default.svc.cluster.local']]);
    expect(resolveClusterName(c.network, 'alias')!.addresses.map(formatIpv4)).toEqual([np.spec!.clusterIP]);
    expect(resolveClusterName(c.network, 'kubernetes.default')!.addresses.map(formatIpv4)).toEqual(['10.96.0.1']);
    expect(resolveClusterName(c.network, 'kube-dns.kube-system')!.addresses.map(formatIpv4)).toEqual(['10.96.0.10']);
    expect(resolveClusterName(c.network, '_web._tcp.web-np')!.srv).toEqual([[0, 100, 5678, 'web-np.default.svc.cluster.local']]);

    await c.client.create(Pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'dns', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'bb', image: 'busybox:1.36', command: ['sh', '-c', 'nslookup kubernetes.default; echo "exit $?"; nslookup kubernetes.default.svc.cluster.local; nslookup alias; nslookup -type=srv _web._tcp.web-np.default.svc.cluster.local'] }],
      },
    });
    await waitFor(async () => (await getPod(c, 'dns')).status?.phase === 'Succeeded', 'the nslookup pod to finish', 60_000);
    const S = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    const npIp = np.spec!.clusterIP!;
    expect(await podLogs(c, 'dns')).toBe(
      // busybox 1.36 applies the search list only to dotless names (no ndots), so this is NXDOMAIN as on kind.
      `${S}** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\nexit 1\n` +
        `${S}Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n*** Can't find kubernetes.default.svc.cluster.local: No answer\n\n` +
        `${S}alias.default.svc.cluster.local\tcanonical name = web-np.default.svc.cluster.local\nName:\tweb-np.default.svc.cluster.local\nAddress: ${npIp}\n\n` +
        `** server can't find alias.svc.cluster.local: NXDOMAIN\n\n** server can't find alias.cluster.local: NXDOMAIN\n\n` +
        `alias.default.svc.cluster.local\tcanonical name = web-np.default.svc.cluster.local\n\n` +
        `** server can't find alias.svc.cluster.local: NXDOMAIN\n\n** server can't find alias.cluster.local: NXDOMAIN\n\n` +
        `${S}_web._tcp.web-np.default.svc.cluster.local\tservice = 0 100 5678 web-np.default.svc.cluster.local\n\n`,
    );

    const sticky = (await c.client.get<Service>(Services, 'web-sticky', 'default')).spec!.clusterIP!;
    const first = await waitFor(async () => {
      const r = await get(c, sticky, 5678);
      return /^web-[01]$/.test(r) && r;
    }, 'the sticky Service', 30_000);
    for (let i = 0; i < 10; i++) expect(await get(c, sticky, 5678)).toBe(first);
  }, 240_000);
});
