import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock } from '../../api';
import { createProber, type DialTcp, type ProbeConn } from './prober';

// httpGet / tcpSocket probes over an injected dial (src/network's dialTcp in a cluster).
const enc = new TextEncoder();
const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } };
const target = { pod, container: pod.spec!.containers[0], containerId: 'c1', podIP: '10.244.1.2' };

function server(response: string, seen: string[]): DialTcp {
  return async (ip, port) => {
    let req = '';
    const conn: ProbeConn = {
      write: async (d) => void (req += new TextDecoder().decode(d)),
      readAll: async () => (seen.push(`${ip}:${port}\n${req}`), enc.encode(response)),
      closeWrite: () => undefined,
      close: () => undefined,
    };
    return conn;
  };
}

const refused: DialTcp = async (ip, port) => {
  throw new Error(`dial tcp ${ip}:${port}: connect: connection refused`);
};

describe('prober: httpGet and tcpSocket', () => {
  const clock = new FakeClock();
  const after = (ms: number, fn: () => void) => clock.after(ms, fn);

  it('httpGet: 2xx succeeds; the request is kube-probe/1.32 to podIP:named port', async () => {
    const seen: string[] = [];
    const p = createProber({ dial: server('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', seen), after });
    expect(await p.run({ httpGet: { path: '/healthz', port: 'http' } }, target, 1)).toEqual({ result: 'success', output: 'ok' });
    expect(seen[0]).toMatch(/^10\.244\.1\.2:8080\nGET \/healthz HTTP\/1\.1\r\nHost: 10\.244\.1\.2:8080\r\nUser-Agent: kube-probe\/1\.32\r\nAccept: \*\/\*\r\n/);
  });

  it('httpGet: 500 fails with the kubelet words; a refused dial names the URL', async () => {
    const p = createProber({ dial: server('HTTP/1.1 500 Internal Server Error\r\n\r\n', []), after });
    expect(await p.run({ httpGet: { path: '/', port: 80 } }, target, 1)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    const q = createProber({ dial: refused, after });
    expect(await q.run({ httpGet: { path: '/healthz', port: 8080 } }, target, 1)).toEqual({
      result: 'failure',
      output: 'Get "http://10.244.1.2:8080/healthz": dial tcp 10.244.1.2:8080: connect: connection refused',
    });
  });

  it('tcpSocket: a connection succeeds, a refused one fails with the dial error', async () => {
    expect(await createProber({ dial: server('', []), after }).run({ tcpSocket: { port: 8080 } }, target, 1)).toEqual({ result: 'success', output: '' });
    expect(await createProber({ dial: refused, after }).run({ tcpSocket: { port: 6379 } }, target, 1)).toEqual({ result: 'failure', output: 'dial tcp 10.244.1.2:6379: connect: connection refused' });
  });
});
