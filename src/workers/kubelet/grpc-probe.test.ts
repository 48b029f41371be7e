import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock } from '../../api';
import { frame, grpcProbe } from './grpc-probe';
import { encodeLiteralHeaders, HpackDecoder } from './hpack-decoder';
import { createProber, type DialTcp, type ProbeConn } from './prober';

// grpc.health.v1 Health/Check over HTTP/2 against a scripted in-memory server, on a FakeClock.
const enc = new TextEncoder();

type Reply = 'SERVING' | 'NOT_SERVING' | 'unimplemented' | 'silent' | 'not-http2';

/** A server answering one Check; records the request headers and the service asked for. */
function h2server(reply: Reply, seen: { headers?: Map<string, string>; service?: string }): DialTcp {
  return async () => {
    const toClient: Uint8Array[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    let inbuf = new Uint8Array(0);
    const hpack = new HpackDecoder();
    const push = (b: Uint8Array) => (toClient.push(b), wake?.());
    const onBytes = () => {
      if (new TextDecoder().decode(inbuf.subarray(0, 24)).startsWith('PRI * HTTP/2.0')) {
        inbuf = inbuf.slice(24);
        push(reply === 'not-http2' ? enc.encode('HTTP/1.1 400 Bad Request\r\n\r\n') : frame(0x4, 0, 0, Uint8Array.from([0, 3, 0, 0, 0, 100])));
        if (reply === 'not-http2') closed = true;
      }
      while (inbuf.length >= 9) {
        const len = (inbuf[0] << 16) | (inbuf[1] << 8) | inbuf[2];
        if (inbuf.length < 9 + len) return;
        const [type, flags] = [inbuf[3], inbuf[4]];
        const payload = inbuf.slice(9, 9 + len);
        inbuf = inbuf.slice(9 + len);
        if (type === 0x1) seen.headers = new Map(hpack.decode(payload));
        if (type === 0x0 && flags & 1) {
          seen.service = new TextDecoder().decode(payload.subarray(7));
          if (reply === 'silent') continue;
          // response headers with incremental indexing (the next block refers to the dynamic table)
          const status = Uint8Array.from([0x88, 0x40, 12, ...enc.encode('content-type'), 16, ...enc.encode('application/grpc')]);
          if (reply === 'unimplemented') {
            push(frame(0x1, 0x5, 1, Uint8Array.from([...status, ...encodeLiteralHeaders([['grpc-status', '12'], ['grpc-message', 'unknown service grpc.health.v1.Health']])])));
            continue;
          }
          push(frame(0x1, 0x4, 1, status));
          push(frame(0x0, 0, 1, Uint8Array.from([0, 0, 0, 0, 2, 0x08, reply === 'SERVING' ? 1 : 2])));
          push(frame(0x1, 0x5, 1, encodeLiteralHeaders([['grpc-status', '0'], ['grpc-message', '']])));
        }
      }
    };
    const conn: ProbeConn = {
      async read() {
        while (!toClient.length && !closed) await new Promise<void>((r) => (wake = r));
        return toClient.shift() ?? null;
      },
      async write(d) {
        const next = new Uint8Array(inbuf.length + d.length);
        next.set(inbuf);
        next.set(d, inbuf.length);
        inbuf = next;
        onBytes();
      },
      readAll: async () => new Uint8Array(0),
      closeWrite: () => undefined,
      close: () => ((closed = true), wake?.()),
    };
    return conn;
  };
}

const refused: DialTcp = async (ip, port) => {
  throw new Error(`dial tcp ${ip}:${port}: connect: connection refused`);
};

async function settle(clock: FakeClock, p: Promise<unknown>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await new Promise((r) => setTimeout(r, 1));
    await clock.advance(100);
  }
  await p;
}

describe('grpc probe', () => {
  const clock = new FakeClock();
  const after = (ms: number, fn: () => void) => clock.after(ms, fn);

  it('SERVING succeeds; the request is a Health/Check POST for the service', async () => {
    const seen: { headers?: Map<string, string>; service?: string } = {};
    expect(await grpcProbe(h2server('SERVING', seen), after, '10.244.1.2', 9090, 'liveness', 1)).toEqual({ result: 'success', output: 'service healthy' });
    expect(seen.service).toBe('liveness');
    expect(Object.fromEntries(seen.headers!)).toMatchObject({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', ':authority': '10.244.1.2:9090', 'content-type': 'application/grpc', te: 'trailers' });
    expect(seen.headers?.get('user-agent')).toMatch(/^kube-probe\/1\.32 /);
  });

  it('NOT_SERVING and Unimplemented fail with the kubelet texts', async () => {
    expect(await grpcProbe(h2server('NOT_SERVING', {}), after, '10.244.1.2', 9090, '', 1)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(await grpcProbe(h2server('unimplemented', {}), after, '10.244.1.2', 9090, '', 1)).toEqual({
      result: 'failure',
      output: 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    });
  });

  it('a refused or non-HTTP/2 server is a dial timeout; an unanswered call an rpc timeout', async () => {
    for (const dial of [refused, h2server('not-http2', {})]) {
      const p = grpcProbe(dial, after, '10.244.1.2', 9090, '', 1);
      let out: unknown;
      void p.then((r) => (out = r));
      await settle(clock, p, 1100);
      expect(out).toEqual({ result: 'failure', output: 'timeout: failed to connect service "10.244.1.2:9090" within 1s: context deadline exceeded' });
    }
    const p = grpcProbe(h2server('silent', {}), after, '10.244.1.2', 9090, '', 2);
    await settle(clock, p, 2100);
    expect(await p).toEqual({ result: 'failure', output: 'timeout: health rpc did not complete within 2s' });
  });

  it('the prober runs grpc actions on the pod IP', async () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const target = { pod, container: pod.spec!.containers[0], containerId: 'c1', podIP: '10.244.1.2' };
    const seen: { headers?: Map<string, string> } = {};
    const prober = createProber({ dial: h2server('SERVING', seen), after });
    expect(await prober.run({ grpc: { port: 5000 } }, target, 1)).toEqual({ result: 'success', output: 'service healthy' });
    expect(seen.headers?.get(':authority')).toBe('10.244.1.2:5000');
    expect((await createProber({ after }).run({ grpc: { port: 5000 } }, target, 1)).result).toBe('unknown');
  });
});

describe('hpack decoder', () => {
  it('decodes static and dynamic indexed fields, size updates, and refuses Huffman strings with invalid padding', () => {
    const d = new HpackDecoder();
    expect(d.decode(Uint8Array.from([0x82, 0x87, 0xbd]))).toEqual([[':method', 'GET'], [':scheme', 'https'], ['www-authenticate', '']]);
    expect(d.decode(Uint8Array.from([0x40, 1, 0x61, 1, 0x62, 0x7c, 1, 0x63]))).toEqual([['a', 'b'], ['via', 'c']]);
    // dynamic: 62 = newest (via: c), 63 = (a: b)
    expect(d.decode(Uint8Array.from([0xbe, 0xbf]))).toEqual([['via', 'c'], ['a', 'b']]);
    d.decode(Uint8Array.from([0x20])); // table size 0 evicts everything
    expect(() => d.decode(Uint8Array.from([0xbe]))).toThrow('hpack: invalid index 62');
    expect(() => d.decode(Uint8Array.from([0x00, 0x81, 0xff, 0x01, 0x61]))).toThrow('huffman');
    expect(new HpackDecoder().decode(encodeLiteralHeaders([['x-long', 'v'.repeat(300)]]))).toEqual([['x-long', 'v'.repeat(300)]]);
  });
});
