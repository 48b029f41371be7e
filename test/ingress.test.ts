import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod, Service } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { Deployments, Events, Ingresses, Pods, Services, seededIds } from '../src/api';
import { ApiClient } from '../src/client';
import type { LocalCluster } from '../src/cluster';
import { httpRequest } from '../src/network/http';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';
import { startIngressNginx, type IngressNginx } from '../src/workers/ingress-nginx';
import { waitFor } from './cluster-helpers';

// issue 8's Ingress on a threaded cluster: the ingress-nginx addon's controller pod (our C nginx) routes by host
// and path to two http-echo Services, as a request from the browser's /_/ingress/<host>/… would arrive: at Service
// ingress-nginx/ingress-nginx-controller port 80 with a Host header.
beforeAll(() => ensureImagesBuilt(), 300_000);

const dec = new TextDecoder();
const running: Array<{ cluster: LocalCluster; addon: IngressNginx }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.addon.dispose();
    await r.cluster.stop();
  }
});

function echo(name: string, text: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: [`-text=${text}`], ports: [{ name: 'http', containerPort: 5678 }] }] },
  };
}

function svc(name: string, port: { name?: string; port: number }): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ ...port, targetPort: 5678 }] } };
}

const ingress: Ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo', namespace: 'default' },
  spec: {
    tls: [{ hosts: ['foo.example.com'], secretName: 'foo-tls' }],
    rules: [
      {
        host: 'foo.example.com',
        http: {
          paths: [
            { path: '/a', pathType: 'Prefix', backend: { service: { name: 'apple', port: { number: 80 } } } },
            { path: '/b', pathType: 'Exact', backend: { service: { name: 'banana', port: { name: 'web' } } } },
          ],
        },
      },
      { host: 'bar.example.com', http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'banana', port: { number: 8080 } } } }] } },
    ],
  },
};

describe('Ingress (ingress-nginx addon)', () => {
  it('routes by host and path (Prefix, Exact), answers 404 from the default backend, sets ADDRESS and follows an edit', async () => {
    const { cluster: c, clock } = await startThreadedTestCluster(`ing-${process.pid}`, 31);
    const logs: string[] = [];
    const addon = startIngressNginx({ client: new ApiClient(c.api, 'nginx-ingress-controller/v1.11.3'), clock, ids: seededIds(3), probes: false, log: (s) => logs.push(s) });
    running.push({ cluster: c, addon });
    await addon.ready;
    await Promise.all([c.client.create(Pods, echo('apple', 'apple')), c.client.create(Pods, echo('banana', 'banana'))]);
    await c.client.create(Services, svc('apple', { port: 80 }));
    await c.client.create(Services, svc('banana', { name: 'web', port: 8080 }));
    // DefaultIngressClass admission: the addon's class is the default, so a class-less Ingress is given it.
    expect((await c.client.create(Ingresses, ingress)).spec?.ingressClassName).toBe('tabernetes');

    // The controller pod is an ordinary pod of namespace ingress-nginx (kubectl get pods -n ingress-nginx).
    const pod = await waitFor(async () => {
      const pods = await c.client.list<Pod>(Pods, 'ingress-nginx');
      return pods.items.find((p) => p.status?.phase === 'Running' && p.metadata?.name?.startsWith('ingress-nginx-controller-'));
    }, 'the controller pod running', 90_000);
    expect(pod.metadata?.labels?.['app.kubernetes.io/component']).toBe('controller');

    const lbIp = await waitFor(async () => (await c.client.get<Ingress>(Ingresses, 'demo', 'default')).status?.loadBalancer?.ingress?.[0]?.ip, 'the Ingress ADDRESS', 60_000);
    const ctl = await c.client.get<Service>(Services, 'ingress-nginx-controller', 'ingress-nginx');
    expect(ctl.spec?.type).toBe('LoadBalancer');
    expect(lbIp).toBe(ctl.status?.loadBalancer?.ingress?.[0]?.ip);

    const get = async (host: string, path: string, ip = lbIp) => {
      try {
        const res = await httpRequest(c.network, ip, 80, { method: 'GET', path, host }, { fromIp: '172.18.0.2' });
        return `${res.status} ${dec.decode(res.body).trim()}`;
      } catch (err) {
        return (err as Error).message;
      }
    };
    await waitFor(async () => (await get('foo.example.com', '/a')) === '200 apple', 'foo.example.com/a → apple', 90_000).catch(async (err) => {
      // On a timeout, what the next reader needs: pods, endpoints, the conf the controller wrote and nginx's log.
      for (const ns of ['default', 'ingress-nginx']) for (const p of (await c.client.list<Pod>(Pods, ns)).items) console.log('pod', ns, p.metadata?.name, p.spec?.nodeName, p.status?.phase, JSON.stringify(p.metadata?.annotations));
      console.log('endpoints', JSON.stringify((await c.client.call<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/namespaces/default/endpoints' })).items));
      console.log('conf', JSON.stringify((await c.client.call<{ data?: Record<string, string> }>({ method: 'GET', path: '/api/v1/namespaces/ingress-nginx/configmaps/ingress-nginx-controller-conf' })).data));
      console.log('log', await c.client.call<string>({ method: 'GET', path: `/api/v1/namespaces/ingress-nginx/pods/${pod.metadata!.name}/log` }));
      throw err;
    });
    await waitFor(async () => (await get('bar.example.com', '/x')) === '200 banana', 'bar.example.com → banana', 60_000);
    const notFound = '404 <html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>';
    expect(await get('foo.example.com', '/a/deeper/path?x=1')).toBe('200 apple');
    expect(await get('foo.example.com', '/a/')).toBe('200 apple');
    expect(await get('foo.example.com', '/apple')).toBe(notFound); // Prefix is per path element
    expect(await get('foo.example.com', '/b')).toBe('200 banana'); // port by name
    expect(await get('foo.example.com', '/b/c')).toBe(notFound); // Exact
    expect(await get('FOO.example.com:80', '/a')).toBe('200 apple');
    expect(await get('nobody.example.com', '/a')).toBe(notFound); // no rule: the default backend
    // The Service Worker's contract: the controller Service's ClusterIP, port 80, Host: <host>.
    expect(await get('bar.example.com', '/', ctl.spec!.clusterIP!)).toBe('200 banana');

    const events = (await c.client.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject?.kind === 'Ingress' && e.involvedObject.name === 'demo');
    expect(events.map((e) => [e.type, e.reason, e.message, e.source?.component])).toContainEqual(['Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller']);
    expect(logs.some((l) => l.includes('TLS for foo.example.com is accepted and served as plain HTTP'))).toBe(true);

    // An edit reaches the pod's nginx (ConfigMap volume refresh, then reload within a second).
    const cur = await c.client.get<Ingress>(Ingresses, 'demo', 'default');
    cur.spec!.rules![0].http!.paths[0].backend = { service: { name: 'banana', port: { number: 8080 } } };
    cur.spec!.rules![0].http!.paths.push(
      { path: '/new', pathType: 'Prefix', backend: { service: { name: 'apple', port: { number: 80 } } } },
      { path: '/down', pathType: 'Prefix', backend: { service: { name: 'idle', port: { number: 80 } } } },
      { path: '/gone', pathType: 'Prefix', backend: { service: { name: 'missing', port: { number: 80 } } } },
    );
    await c.client.create(Services, svc('idle', { port: 80 })); // no pods: connect is refused
    const edited = Date.now();
    await c.client.update(Ingresses, cur);
    // The controller stamps its running pod, the kubelet rewrites the volume at once and nginx reloads within 1 s.
    await waitFor(async () => (await get('foo.example.com', '/a')) === '200 banana', 'the edit to take effect', 10_000);
    console.log(`ingress edit routed after ${Date.now() - edited} ms`);
    expect(await get('foo.example.com', '/new/x')).toBe('200 apple');
    expect(await get('foo.example.com', '/down')).toBe(notFound.replace(/404 Not Found/g, '502 Bad Gateway').replace(/^404/, '502'));
    expect(await get('foo.example.com', '/gone')).toBe(notFound.replace(/404 Not Found/g, '503 Service Temporarily Unavailable').replace(/^404/, '503'));
    const podLog = await c.client.call<string>({ method: 'GET', path: `/api/v1/namespaces/ingress-nginx/pods/${pod.metadata!.name}/log` });
    expect(podLog).toContain('NGINX Ingress controller\n  Release:       v1.11.3');
    expect(podLog).toContain('[notice] 1#1: reconfiguring');
    expect(podLog).toContain('"Backend successfully reloaded"');
    expect(podLog).toMatch(/"GET \/a HTTP\/1\.1" 200 7 "-"/);
    expect(podLog).toMatch(/\[error\] 1#1: \*\d+ connect\(\) failed \(111: Connection refused\) while connecting to upstream, client: 172\.18\.0\.2, server: foo\.example\.com, request: "GET \/down HTTP\/1\.1", upstream: "http:\/\/10\.96\.\d+\.\d+:80\/down", host: "foo\.example\.com"/);

    // What the addon owns stays in place: a Deployment scaled away comes back to 1 replica.
    await c.client.patch(Deployments, 'ingress-nginx-controller', 'ingress-nginx', 'merge', { spec: { replicas: 0 } });
    await waitFor(async () => (await c.client.get<Deployment>(Deployments, 'ingress-nginx-controller', 'ingress-nginx')).spec?.replicas === 1, 'replicas reset to 1', 30_000);
  }, 300_000);
});
