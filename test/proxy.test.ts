// The apiserver's pods/services proxy subresources over the pod network: real kubectl `get --raw` through
// `npm run serve` (startServe in this process, worker_threads containers) and raw requests in process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1';
import { EndpointsRef, Pods } from '../src/api';
import { REAL_KUBECTL, ServeFixture, until } from './serve-helpers';

const MANIFESTS = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo
    args: ["-text=hello from web"]
    ports: [{containerPort: 5678, name: http}]
    readinessProbe: {tcpSocket: {port: 5678}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 5678, targetPort: 5678}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
`;

const serve = new ServeFixture('tabernetes-proxy-', { images: true });
let podIP: string;
const kubectl = (...args: string[]) => serve.real(args);
const dec = new TextDecoder();

describe.skipIf(!REAL_KUBECTL)('pods and services proxy', () => {
  beforeAll(async () => {
    await serve.start();
    expect((await serve.real(['apply', '-f', '-'], { stdin: MANIFESTS })).code).toBe(0);
    const { client } = serve.serving.cluster;
    podIP = await until(async () => {
      const p = await client.get<Pod>(Pods, 'web', 'default');
      return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && p.status.podIP;
    }, 'web Ready', 60_000);
    await until(async () => (await client.get<Endpoints>(EndpointsRef, 'web', 'default').catch(() => undefined))?.subsets?.length, 'web endpoints', 20_000);
  }, 180_000);

  afterAll(() => serve.stop());

  it('kubectl get --raw reaches http-echo through services/web:5678/proxy and pods/web[:5678]/proxy', async () => {
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/services/web:5678/proxy/')).toEqual({ stdout: 'hello from web\n', stderr: '', code: 0 });
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/services/web/proxy/any/path?x=1')).stdout).toBe('hello from web\n');
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/web/proxy/')).stdout).toBe('hello from web\n');
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/web:5678/proxy/health')).stdout).toBe('{"status":"ok"}\n');
  }, 60_000);

  it('answers kube-apiserver\'s Status errors: no endpoints, connection refused, unknown service or pod, unknown port', async () => {
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/services/empty/proxy/')).toMatchObject({ code: 1, stderr: 'Error from server (ServiceUnavailable): no endpoints available for service "empty"\n' });
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/web:80/proxy/')).stderr).toBe(
      `Error from server (ServiceUnavailable): error trying to reach service: dial tcp ${podIP}:80: connect: connection refused\n`,
    );
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/services/nope:80/proxy/')).stderr).toBe('Error from server (NotFound): services "nope" not found\n');
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/pods/nope/proxy/')).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect((await kubectl('get', '--raw', '/api/v1/namespaces/default/services/web:81/proxy/')).stderr).toBe('Error from server (ServiceUnavailable): no service port 81 found for service "web"\n');
  }, 60_000);

  it('passes the upstream status, Content-Type and raw bytes back; POST bodies go through; /proxy without a slash redirects', async () => {
    const { client } = serve.serving.cluster;
    const base = '/api/v1/namespaces/default/services/web:5678/proxy';
    const get = await client.raw({ method: 'GET', path: `${base}/x` });
    expect(get.status).toBe(200);
    expect(dec.decode(get.body as Uint8Array)).toBe('hello from web\n');
    expect(get.headers?.['Content-Type']).toBe('text/plain; charset=utf-8');
    expect(get.headers?.['X-App-Name']).toBe('http-echo');
    const post = await client.raw({ method: 'POST', path: `${base}/submit`, body: new TextEncoder().encode('a=1'), contentType: 'application/x-www-form-urlencoded' });
    expect([post.status, dec.decode(post.body as Uint8Array)]).toEqual([200, 'hello from web\n']);
    const head = await client.raw({ method: 'HEAD', path: `${base}/` });
    expect([head.status, (head.body as Uint8Array).length]).toEqual([200, 0]);
    expect(await client.raw({ method: 'GET', path: base, query: { a: 'b' } })).toMatchObject({ status: 301, headers: { Location: `${base}/?a=b` } });
    const res = await fetch(`${serve.url}${base}/`, { method: 'POST', body: 'not json', headers: { 'Content-Type': 'text/plain' } });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'text/plain; charset=utf-8', 'hello from web\n']);
  }, 60_000);

  it('serves sequential and concurrent proxied requests (figure)', async () => {
    const { client } = serve.serving.cluster;
    const get = async () => dec.decode((await client.raw({ method: 'GET', path: '/api/v1/namespaces/default/services/web:5678/proxy/' })).body as Uint8Array) === 'hello from web\n';
    let t = performance.now();
    let ok = 0;
    for (let i = 0; i < 50; i++) ok += Number(await get());
    const sequentialMs = (performance.now() - t) / 50;
    t = performance.now();
    ok += (await Promise.all(Array.from({ length: 200 }, get))).filter(Boolean).length;
    console.log(`apiserver proxy (Node): ${sequentialMs.toFixed(2)} ms per sequential request, ${Math.round(200 / ((performance.now() - t) / 1000))} requests/s with 200 in flight`);
    expect(ok).toBe(250);
  }, 60_000);

  it('lists pods/proxy and services/proxy in discovery', async () => {
    const res = JSON.parse((await kubectl('get', '--raw', '/api/v1')).stdout) as { resources: Array<{ name: string; kind: string; verbs: string[] }> };
    expect(res.resources.find((r) => r.name === 'pods/proxy')).toMatchObject({ kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    expect(res.resources.find((r) => r.name === 'services/proxy')).toMatchObject({ kind: 'ServiceProxyOptions' });
  });
});
