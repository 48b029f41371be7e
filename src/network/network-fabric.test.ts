import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { atomicsBlocker, blockingRead, blockingWrite, dialTcp, listenTcp, NetError, NetworkFabric, parseIpv4 } from '.';

const enc = new TextEncoder();
const dec = new TextDecoder();
const POD = parseIpv4('10.244.1.2')!;
const NODE = parseIpv4('172.18.0.2')!;

describe('NetworkFabric', () => {
  it('refuses a connection when nothing listens, then connects once something does', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 1024, listeners: 4 });
    await expect(dialTcp(f, '10.244.1.2', 80)).rejects.toThrow('dial tcp 10.244.1.2:80: connect: connection refused');
    const l = listenTcp(f, POD, 80);
    const c = await dialTcp(f, '10.244.1.2', 80, { fromIp: NODE });
    const s = await l.accept();
    expect([s.remoteAddress, s.remotePort]).toEqual(['172.18.0.2', c.localPort]);
    expect(c.localPort).toBeGreaterThanOrEqual(32768);
    await c.write(enc.encode('ping'));
    expect(dec.decode((await s.read())!)).toBe('ping');
  });

  it('EOF after the buffered bytes on close, and half-close keeps the other direction open', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 1024, listeners: 4 });
    const l = listenTcp(f, POD, 8080);
    const c = await dialTcp(f, POD, 8080);
    const s = await l.accept();
    await c.write(enc.encode('request'));
    c.closeWrite();
    expect(dec.decode(await s.readAll())).toBe('request');
    await s.write(enc.encode('response'));
    s.close();
    expect(dec.decode(await c.readAll())).toBe('response');
    await expect(c.write(enc.encode('x'))).rejects.toThrow('broken pipe');
    c.close();
    expect(f.slotsInUse()).toBe(0);
  });

  it('rejects a second listener on the same address with EADDRINUSE', () => {
    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 2 });
    listenTcp(f, POD, 53);
    expect(() => listenTcp(f, POD, 53)).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
  });

  it('reaches a loopback-only listener only from its own pod', () => {
    const f = NetworkFabric.create({ slots: 2, ringBytes: 64, listeners: 2 });
    f.listen(1, POD, 6379, { loopbackOnly: true });
    expect(f.connect({ owner: 2, fromIp: NODE, toIp: POD, toPort: 6379 })).toBe('ECONNREFUSED');
    expect(typeof f.connect({ owner: 2, fromIp: POD, toIp: POD, toPort: 6379, loopback: true })).toBe('object');
  });

  it('applies backpressure: a writer blocks on a full ring until the reader drains it', async () => {
    const f = NetworkFabric.create({ slots: 2, ringBytes: 16, listeners: 2 });
    const l = listenTcp(f, POD, 9000);
    const c = await dialTcp(f, POD, 9000);
    const s = await l.accept();
    const big = enc.encode('0123456789abcdefghijklmnopqrstuvwxyz');
    let done = false;
    const writing = c.write(big).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    const got: string[] = [];
    while (got.join('').length < big.length) got.push(dec.decode((await s.read())!));
    await writing;
    expect(got.join('')).toBe(dec.decode(big));
    expect(got.length).toBeGreaterThan(1);
  });

  it('times out a connect while the backlog is full', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 64, listeners: 2 });
    listenTcp(f, POD, 80, { backlog: 1 });
    await dialTcp(f, POD, 80);
    const err = await dialTcp(f, POD, 80, { timeoutMs: 100 }).catch((e: NetError) => e);
    expect(err).toBeInstanceOf(NetError);
    expect((err as NetError).code).toBe('ETIMEDOUT');
  });

  it('resets queued connections when the listener closes, and releaseOwner closes a dead process\'s ends', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 64, listeners: 2 });
    const owner = f.newOwner();
    const l = listenTcp(f, POD, 80, { owner });
    const queued = await dialTcp(f, POD, 80);
    const accepted = await dialTcp(f, POD, 80);
    const s = await l.accept();
    void s;
    f.releaseOwner(owner);
    expect(await queued.read()).toBeNull();
    expect(await accepted.read()).toBeNull();
    await expect(accepted.write(enc.encode('x'))).rejects.toThrow('broken pipe');
    expect(f.connect({ owner: 9, fromIp: NODE, toIp: POD, toPort: 80 })).toBe('ECONNREFUSED');
  });

  it('blocking reads in one worker thread and async writes here exchange 1 MiB through a small ring', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 4096, listeners: 2 });
    const l = listenTcp(f, POD, 7);
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    // The worker is a blocking echo server (as a WASI host would be): accept, then read/write until EOF.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import('tsx/esm/api').then(async ({ tsImport }) => {
        const net = await tsImport(workerData.entry, workerData.entry);
        const f = new net.NetworkFabric(workerData.buffer);
        const blocker = net.atomicsBlocker(() => performance.now());
        const c = f.connect({ owner: 1, fromIp: workerData.pod, toIp: workerData.pod, toPort: 7 });
        let total = 0;
        for (;;) {
          const r = net.blockingRead(c, 65536, blocker);
          if (!r.data) break;
          total += r.data.length;
          net.blockingWrite(c, r.data, blocker);
        }
        c.close();
        parentPort.postMessage(total);
      });`;
    const worker = new Worker(code, { eval: true, workerData: { buffer: f.buffer, entry, pod: POD } });
    const echoed = new Promise<number>((resolve, reject) => (worker.on('message', resolve), worker.on('error', reject)));
    const s = await l.accept();
    const payload = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 255);
    const reading = s.readAll();
    await s.write(payload);
    s.closeWrite();
    const back = await reading;
    expect(await echoed).toBe(payload.length);
    expect(back.length).toBe(payload.length);
    expect(back.every((b, i) => b === payload[i])).toBe(true);
    await worker.terminate();
  }, 30_000);

  it('a blocking read is interrupted by a signal check and times out', () => {
    const f = NetworkFabric.create({ slots: 2, ringBytes: 64, listeners: 2 });
    f.listen(1, POD, 1);
    const c = f.connect({ owner: 2, fromIp: POD, toIp: POD, toPort: 1 });
    if (typeof c === 'string' || 'full' in c || 'dropped' in c) throw new Error('connect failed');
    let n = 0;
    const blocker = atomicsBlocker(() => performance.now(), () => ++n > 2, 5);
    expect(blockingRead(c, 10, blocker)).toEqual({ interrupted: true });
    const quiet = atomicsBlocker(() => performance.now());
    expect(blockingRead(c, 10, quiet, 20, () => performance.now())).toEqual({ timeout: true });
    expect(blockingWrite(c, enc.encode('ok'), quiet)).toEqual({ written: 2 });
  });
});
