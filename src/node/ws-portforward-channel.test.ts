import { request as httpGet } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type KubeletApi } from '../api';
import { ApiClient } from '../client/api-client';
import { runKubectl } from '../kubectl';
import { listenTcp, NetworkFabric } from '../network';
import { createMemoryStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { startHttpServer, type HttpApiServer } from './http-server';
import { createHttpTransport } from './http-transport';
import { tcpPortForwardHost } from './tcp-port-forward-host';
import { withWebSocketPortForward } from './ws-portforward-channel';

// Our kubectl port-forward in Node: a real local TCP port, relayed over the v4.channel.k8s.io WebSocket
// to our serve's pods/portforward, to an HTTP server listening on the pod's IP in the fabric.
const POD_IP = '10.244.1.9';

async function cluster(phase = 'Running') {
  const network = NetworkFabric.create();
  const clock = new FakeClock();
  const kubelet: KubeletApi = { containerLogs: async () => '' };
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(5), network, dialNode: () => kubelet });
  const call = (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req });
  await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, name: 'http' }] }] } } });
  const cur = (await call({ path: '/api/v1/namespaces/default/pods/web' })).body as Record<string, unknown>;
  await call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web/status', body: { ...cur, status: { phase, podIP: POD_IP } } });
  await call({ method: 'POST', path: '/api/v1/namespaces/default/services', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 8081, targetPort: 'http' }] } } });
  return { api, network };
}

/** Answers every connection on POD_IP:80 with one HTTP response naming the request line. */
function serveHttp(network: NetworkFabric) {
  const l = listenTcp(network, POD_IP, 80);
  void (async () => {
    for (;;) {
      const c = await l.accept().catch(() => undefined);
      if (!c) return;
      void (async () => {
        const req = new TextDecoder().decode((await c.read()) ?? new Uint8Array(0));
        const body = `hello ${req.split('\r\n')[0]}`;
        await c.write(new TextEncoder().encode(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
        c.close();
      })();
    }
  })();
}

const get = (port: number, path: string) =>
  new Promise<string>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });

let server: HttpApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function kubectlOverHttp(api: Awaited<ReturnType<typeof cluster>>['api'], argv: string[], until?: (out: string) => boolean) {
  server = await startHttpServer({ api });
  const transport = createHttpTransport({ server: server.url });
  const signal: { aborted: boolean; onabort?: () => void } = { aborted: false };
  let out = '';
  let err = '';
  const done = runKubectl(argv, {
    client: new ApiClient(withWebSocketPortForward(transport, { server: server.url })),
    clock: new FakeClock(),
    stdout: (t) => {
      out += t;
      if (until?.(out)) (signal.aborted = true), signal.onabort?.();
    },
    stderr: (t) => (err += t),
    portForward: tcpPortForwardHost,
    signal,
  });
  return { done, out: () => out, err: () => err, stop: () => ((signal.aborted = true), signal.onabort?.()), close: () => transport.close() };
}

describe('kubectl port-forward in Node', () => {
  it('svc/web :8081 listens on a free local port and relays HTTP to the pod through v4.channel.k8s.io', async () => {
    const { api, network } = await cluster();
    serveHttp(network);
    const k = await kubectlOverHttp(api, ['port-forward', 'svc/web', ':8081', '--address', '127.0.0.1']);
    await expect.poll(() => k.out() + k.err(), { timeout: 10_000 }).toMatch(/^Forwarding from 127\.0\.0\.1:\d+ -> 80\n$/);
    const port = Number(/:(\d+) ->/.exec(k.out())![1]);
    expect(await get(port, '/a?b=1')).toBe('hello GET /a?b=1 HTTP/1.1');
    expect(await get(port, '/second')).toBe('hello GET /second HTTP/1.1');
    expect(k.out()).toBe(`Forwarding from 127.0.0.1:${port} -> 80\nHandling connection for ${port}\nHandling connection for ${port}\n`);
    k.stop();
    expect(await k.done).toBe(0);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    k.close();
  });

  it("refuses a pod that is not running and a busy port, in kubectl's words", async () => {
    const pending = await cluster('Pending');
    const k = await kubectlOverHttp(pending.api, ['port-forward', 'pod/web', '8080:80']);
    expect(await k.done).toBe(1);
    expect(k.err()).toBe('error: unable to forward port because pod is not running. Current status=Pending\n');
    k.close();
    await server!.close();

    const { api } = await cluster();
    const first = await kubectlOverHttp(api, ['port-forward', 'web', ':80', '--address', '127.0.0.1']);
    await expect.poll(first.out, { timeout: 10_000 }).toMatch(/-> 80\n$/);
    const port = Number(/:(\d+) ->/.exec(first.out())![1]);
    const transport = createHttpTransport({ server: server!.url });
    let err = '';
    const code = await runKubectl(['port-forward', 'web', `${port}:80`, '--address', '127.0.0.1'], { client: new ApiClient(withWebSocketPortForward(transport, { server: server!.url })), clock: new FakeClock(), stdout: () => undefined, stderr: (t) => (err += t), portForward: tcpPortForwardHost });
    expect(code).toBe(1);
    expect(err).toBe(
      `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use]\n` +
        `error: unable to listen on any of the requested ports: [{${port} 80}]\n`,
    );
    transport.close();
    first.stop();
    expect(await first.done).toBe(0);
    first.close();
  });
});
