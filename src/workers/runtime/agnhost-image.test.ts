import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { ProcessLauncher } from './process-launcher';
import type { WasmRuntime } from './wasm-runtime';
import { grpcProbe } from '../kubelet/grpc-probe';

// Behaviour of images/agnhost (registry.k8s.io/e2e-test-images/agnhost) in a pod on the network fabric,
// dialled from JS as the kubelet's probes and port-forward do.
const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
const fx = imagePodFixture('agnhost', { fromIp: '172.18.0.2' });
let seq = 0;

const startPod = (podIP: string, args: string[], opts: { launcher?: ProcessLauncher } = {}) =>
  fx.startPod(podIP, IMAGE, `agnhost-${++seq}`, [], args, { launcher: opts.launcher, container: 'agnhost', logStreams: true });

/** One HTTP/1.1 request with Connection: close; retries while the server is still starting. */
async function get(ip: string, port: number, path: string): Promise<{ status: number; head: string; body: string }> {
  const raw = await fx.request(ip, port, `GET ${path} HTTP/1.1\r\nHost: ${ip}\r\nUser-Agent: kube-probe/1.32\r\nConnection: close\r\n\r\n`);
  const cut = raw.indexOf('\r\n\r\n');
  return { status: Number(raw.slice(9, 12)), head: raw.slice(0, cut), body: raw.slice(cut + 4) };
}

async function waitExit(runtime: WasmRuntime, id: string) {
  for (;;) {
    const st = await runtime.containerStatus(id);
    if (st.state === 'CONTAINER_EXITED') return st.exitCode;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agnhost image', () => {
  it('netexec serves /hostname, /echo, /clientip, /healthz, /shell and / as the real one, with its log lines', async () => {
    const pod = await startPod('10.244.2.10', ['netexec', '--http-port=8080']);
    const host = await get('10.244.2.10', 8080, '/hostname');
    expect(host.status).toBe(200);
    expect(host.body).toBe(pod.name);
    expect(host.head).toMatch(new RegExp(`^HTTP/1\\.1 200 OK\r\nDate: .* GMT\r\nContent-Length: ${pod.name.length}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close$`));
    expect((await get('10.244.2.10', 8080, '/echo?msg=hello%20world')).body).toBe('hello world');
    expect((await get('10.244.2.10', 8080, '/echo?msg=gone&code=404')).status).toBe(404);
    expect((await get('10.244.2.10', 8080, '/clientip')).body).toMatch(/^172\.18\.0\.2:\d+$/);
    const health = await get('10.244.2.10', 8080, '/healthz');
    expect([health.status, health.body]).toEqual([200, '']);
    // /shell runs `/bin/sh -c` (the image ships busybox): combined output, and Go's exec error text.
    expect((await get('10.244.2.10', 8080, '/shell?cmd=echo%20hi')).body).toBe('{"output":"hi\\n"}');
    expect((await get('10.244.2.10', 8080, '/shell?cmd=echo+out;+echo+err+>%262;+exit+3')).body).toBe('{"error":"exit status 3","output":"out\\nerr\\n"}');
    expect((await get('10.244.2.10', 8080, '/')).body).toMatch(/^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC$/);
    await expect.poll(pod.logs, { timeout: 10_000 }).toMatch(
      /^stderr \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Started HTTP server on port 8080\n.* GET \/hostname\n.* GET \/echo\?msg=hello world&code=\n.* GET \/echo\?msg=gone&code=404\n.* GET \/clientip\n.* GET \/healthz\n.* GET \/shell\?cmd=echo hi\n.* Output: map\[output:hi\nstderr \]\n.* GET \/shell\?cmd=echo out; echo err >&2; exit 3\n.* Output: map\[error:exit status 3 output:out\nstderr err\nstderr \]\n.* GET \/$/,
    );
    await pod.runtime.stopContainer(pod.id, 0);
  }, 120_000);

  it('netexec /exit?code=3 ends the container with that code, and /dial reaches another pod', async () => {
    const target = await startPod('10.244.2.12', ['serve-hostname']);
    const pod = await startPod('10.244.2.11', ['netexec', '--http-port', '8081']);
    expect((await get('10.244.2.12', 9376, '/')).body).toBe(target.name);
    const dial = await get('10.244.2.11', 8081, '/dial?request=hostname&protocol=http&host=10.244.2.12&port=9376&tries=2');
    expect(dial.body).toBe(`{"responses":["${target.name}","${target.name}"]}`);
    const refused = await get('10.244.2.11', 8081, '/dial?request=hostname&host=10.244.2.12&port=1');
    expect(refused.body).toBe('{"errors":["Get \\"http://10.244.2.12:1/hostname\\": dial tcp 10.244.2.12:1: connect: connection refused"]}');
    // os.Exit before the response is written: the client sees the connection close without a reply.
    const exit = await get('10.244.2.11', 8081, '/exit?code=3').catch(() => ({ head: '', body: '' }));
    expect(exit.head + exit.body).toBe('');
    expect(await waitExit(pod.runtime, pod.id)).toBe(3);
    await expect.poll(target.logs, { timeout: 10_000 }).toMatch(/^stderr .* Serving on port 9376\.\nstderr .* HTTP request from 172\.18\.0\.2:\d+\nstderr .* HTTP request from 10\.244\.2\.11:\d+/);
    await target.runtime.stopContainer(target.id, 0);
  }, 120_000);

  it('liveness answers /healthz 200 "ok" for 10 s, then 500 "error: <seconds>"', async () => {
    // Container time runs 20x faster than wall time here, so the 10 s pass in half a second.
    const now = performance.timeOrigin + performance.now();
    const fast = fx.adopt(createWorkerThreadsLauncher({ clockBase: { wall: now, cluster: now, speed: 20 } }));
    const pod = await startPod('10.244.2.13', ['liveness'], { launcher: fast });
    const first = await get('10.244.2.13', 8080, '/healthz');
    expect([first.status, first.body]).toEqual([200, 'ok']);
    await new Promise((r) => setTimeout(r, 700));
    const later = await get('10.244.2.13', 8080, '/healthz');
    expect(later.status).toBe(500);
    expect(later.body).toMatch(/^error: 1\d\.\d+$/);
    expect((await get('10.244.2.13', 8080, '/started')).body).toMatch(/^[1-9]\d(\.\d{1,9})?s$/);
    await pod.runtime.stopContainer(pod.id, 0);
  }, 120_000);

  it('test-webserver serves files from / on port 80 with 404 for missing ones; pause prints Paused and exits 2 on SIGTERM', async () => {
    const web = await startPod('10.244.2.14', ['test-webserver']);
    const missing = await get('10.244.2.14', 80, '/nope');
    expect([missing.status, missing.body]).toEqual([404, '404 page not found\n']);
    const dir = await get('10.244.2.14', 80, '/');
    expect(dir.head).toContain('Access-Control-Allow-Origin: *');
    expect(dir.body).toContain('<a href="agnhost">agnhost</a>');
    expect((await get('10.244.2.14', 80, '/agnhost')).body.slice(0, 4)).toBe('\0asm');
    await web.runtime.stopContainer(web.id, 0);

    const pause = await startPod('10.244.2.15', []);
    await expect.poll(pause.logs, { timeout: 10_000 }).toBe('stdout Paused');
    await new Promise((r) => setTimeout(r, 300)); // let it install its handlers
    await pause.runtime.stopContainer(pause.id, 30);
    expect(await waitExit(pause.runtime, pause.id)).toBe(2);
  }, 120_000);

  it('grpc-health-checking answers grpc.health.v1 Check over HTTP/2; /make-not-serving and /make-serving flip it', async () => {
    const pod = await startPod('10.244.2.16', ['grpc-health-checking', '--port=5000', '--http-port=8080', '--service=liveness']);
    // real-time deadlines: the C server is a real Worker
    const after = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms);
      return { dispose: () => clearTimeout(t) };
    };
    const check = (service: string) => grpcProbe((ip, port) => fx.dial(ip, port), after, '10.244.2.16', 5000, service, 5);
    expect(await check('liveness')).toEqual({ result: 'success', output: 'service healthy' });
    expect(await check('other')).toEqual({ result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
    const off = await get('10.244.2.16', 8080, '/make-not-serving');
    expect([off.status, off.body]).toEqual([200, expect.stringMatching(/^[\d.]+(s|ms|µs)$/)]);
    expect(await check('liveness')).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect((await get('10.244.2.16', 8080, '/make-serving')).status).toBe(200);
    expect(await check('liveness')).toEqual({ result: 'success', output: 'service healthy' });
    expect((await get('10.244.2.16', 8080, '/nope')).status).toBe(404);
    await expect.poll(pod.logs, { timeout: 10_000 }).toMatch(
      /^stderr \S+ \S+ Http server starting to listen on :8080\nstderr \S+ \S+ gRPC server starting to listen on :5000\n.*Serving the Check request for health check, started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC m=\+\S+\n(.*\n)*.*Mark as unhealthy\n(.*\n)*.*Mark as healthy\n/,
    );
    await pod.runtime.stopContainer(pod.id, 0);
  }, 120_000);
});
