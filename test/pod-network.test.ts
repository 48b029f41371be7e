import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../src/api';
import { dialTcp } from '../src/network';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { getPod, podLogs, waitFor } from './cluster-helpers';
import { threadedClusterPerTest } from './threaded-cluster-per-test';

// The pod network in a whole cluster (issue 5 sockets, issue 8's pod network): every pod on its podIP over
// the cluster's one fabric, containers of a pod sharing it (127.0.0.1), the kubelet side dialling from JS.
beforeAll(() => ensureImagesBuilt(), 300_000);

const boot = threadedClusterPerTest('podnet', 91);
const enc = new TextEncoder();
const dec = new TextDecoder();

function pod(name: string, containers: NonNullable<Pod['spec']>['containers']): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers } };
}

describe('pod network', () => {
  it('serves http-echo on the pod IP: to JS, to the pod\'s other container over 127.0.0.1, and to busybox wget/nc in another pod', async () => {
    const c = await boot();
    await c.client.create(Pods, pod('web', [
      { name: 'echo', image: 'hashicorp/http-echo', args: ['-text=hello from web'] },
      { name: 'side', image: 'busybox', command: ['sh', '-c', 'until wget -qO- http://127.0.0.1:5678/side; do sleep 1; done; sleep 3600'] },
    ]));
    const ip = await waitFor(async () => {
      const p = await getPod(c, 'web');
      return p.status?.phase === 'Running' && p.status.podIP;
    }, 'web running with a pod IP', 30_000);
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
    await waitFor(async () => (await podLogs(c, 'web', { container: 'side' })).includes('hello from web'), 'the sidecar reaching 127.0.0.1:5678', 30_000);

    const conn = await waitFor(() => dialTcp(c.network, ip, 5678, { fromIp: '172.18.0.2' }).catch(() => undefined), 'a connection from JS');
    await conn.write(enc.encode('GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n'));
    const res = dec.decode(await conn.readAll());
    conn.close();
    expect(res.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(res.endsWith('\r\n\r\nhello from web\n')).toBe(true);

    await c.client.create(Pods, {
      ...pod('client', []),
      spec: { restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox', command: ['sh', '-c', `wget -qO- http://${ip}:5678/x; { echo 'GET / HTTP/1.0'; echo; } | nc ${ip} 5678 | tail -n 1; wget -qO- http://${ip}:80/ || echo "exit $?"`] }] },
    });
    await waitFor(async () => (await getPod(c, 'client')).status?.phase === 'Succeeded', 'the client pod to finish', 30_000);
    expect(await podLogs(c, 'client')).toBe(`hello from web\nhello from web\nwget: can't connect to remote host (${ip}): Connection refused\nexit 1\n`);
  }, 120_000);

  it('busybox nc -l accepts a connection from JS: the client reads EOF (nc has no stdin) and nc prints what it was sent', async () => {
    const c = await boot();
    await c.client.create(Pods, { ...pod('listener', []), spec: { restartPolicy: 'Never', containers: [{ name: 'nc', image: 'busybox', command: ['nc', '-l', '-p', '7000'] }] } });
    const ip = await waitFor(async () => (await getPod(c, 'listener')).status?.podIP, 'a pod IP', 30_000);
    const conn = await waitFor(() => dialTcp(c.network, ip, 7000).catch(() => undefined), 'nc listening', 30_000);
    expect(await conn.read()).toBeNull();
    await conn.write(enc.encode('ping over the fabric\n'));
    conn.close();
    await waitFor(async () => (await getPod(c, 'listener')).status?.phase === 'Succeeded', 'nc to exit 0', 30_000);
    expect(await podLogs(c, 'listener')).toBe('ping over the fabric\n');
  }, 120_000);
});
