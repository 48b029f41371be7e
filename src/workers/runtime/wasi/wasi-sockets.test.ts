import { describe, expect, it } from 'vitest';
import { atomicsBlocker, dialTcp, NetworkFabric, parseIpv4 } from '../../../network';
import { compileCFile } from '../../../node/compile-c-file';
import { createWorkerThreadsLauncher } from '../../../node/worker-threads-launcher';
import { emptyRootfs } from './mem-fs';
import { WasiHost } from './wasi-host';

const probe = new URL('../testdata/socket-probe.c', import.meta.url);
const dec = new TextDecoder();
const enc = new TextEncoder();

async function runInThread(fabric: NetworkFabric, args: string[], env: string[] = ['HOSTNAME=web-0'], connectTimeoutMs?: number) {
  const { module } = await compileCFile(probe);
  // This runs on the test's own thread: a wait that would block for more than 5 s is cut short as EINTR.
  const deadline = performance.now() + 5000;
  const blocker = atomicsBlocker(() => performance.now(), () => performance.now() > deadline);
  const net = { fabric, podIp: parseIpv4('10.244.1.2')!, owner: fabric.newOwner(), blocker, now: () => performance.now(), ...(connectTimeoutMs ? { connectTimeoutMs } : {}) };
  let out = '';
  const host = new WasiHost({ args, env, rootfs: emptyRootfs(), now: () => Date.now(), randomBytes: (n) => new Uint8Array(n), stdout: (c) => (out += dec.decode(c)), stderr: (c) => (out += dec.decode(c)), net });
  const r = await host.run(module);
  return { ...r, out };
}

describe('WASI sockets (tabernetes_socket.h)', () => {
  it('loopback in one process: bind 127.0.0.1, EAGAIN on a non-blocking accept, connect localhost, half-close, EOF, EPIPE, EADDRINUSE', async () => {
    const fabric = NetworkFabric.create({ slots: 8, ringBytes: 1024, listeners: 8 });
    const r = await runInThread(fabric, ['/probe', 'loopback']);
    expect(r.out).toBe('port=7000 addr=127.0.0.1 nonblock=1 eagain=1 got=ping(4) eof=0 back=pong(4) eof2=0 shut-write=-1/Broken pipe inuse=1\n');
    expect(r.exitCode).toBe(0);
    // The listener it left open is bound to 127.0.0.1: unreachable from outside the pod.
    await expect(dialTcp(fabric, '10.244.1.2', 7000)).rejects.toThrow('connection refused');
  }, 60_000);

  it('non-blocking connect: EINPROGRESS, EALREADY, POLLOUT when it completes, SO_ERROR ECONNREFUSED / ETIMEDOUT, then EPIPE', async () => {
    const fabric = NetworkFabric.create({ slots: 8, ringBytes: 1024, listeners: 8 });
    const t0 = performance.now();
    const r = await runInThread(fabric, ['/probe', 'nbconnect'], [], 500);
    expect(r.out).toBe(
      'wait: connect=EINPROGRESS again=EALREADY pending=0 recv=EAGAIN ready=POLLOUT err=0 connect-after=0 then=EISCONN got=hi\n' +
        'refused: connect=EINPROGRESS revents=POLLOUT err=ECONNREFUSED err-again=0 send=EPIPE\n' +
        'timeout: connect=EINPROGRESS early=0 revents=POLLOUT err=ETIMEDOUT connect-after=Connection aborted\n',
    );
    expect(r.exitCode).toBe(0);
    expect(performance.now() - t0).toBeLessThan(4000);
  }, 60_000);

  it('resolves numeric addresses, localhost and the pod hostname; unknown names fail with EAI_NONAME', async () => {
    const fabric = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1 });
    expect((await runInThread(fabric, ['/probe', 'resolve', 'localhost'])).out).toBe('localhost: 127.0.0.1\n');
    expect((await runInThread(fabric, ['/probe', 'resolve', 'web-0'])).out).toBe('web-0: 10.244.1.2\n');
    expect((await runInThread(fabric, ['/probe', 'resolve', '10.96.0.1'])).out).toBe('10.96.0.1: 10.96.0.1\n');
    expect((await runInThread(fabric, ['/probe', 'resolve', 'nope.example'])).out).toBe('nope.example: Name or service not known\n');
  }, 60_000);

  it('server and clients in separate container Workers: echo, EOF, half-close, many connections polled at once, ECONNREFUSED; JS dials in too', async () => {
    const { module } = await compileCFile(probe);
    const fabric = NetworkFabric.create({ slots: 64, ringBytes: 4096, listeners: 8 });
    const launcher = createWorkerThreadsLauncher();
    const run = (podIp: string, args: string[]) => {
      let out = '';
      const proc = launcher.launch({ module, args, env: [], rootfs: emptyRootfs(), net: { fabric: fabric.buffer, podIp }, stdout: (c) => (out += dec.decode(c)), stderr: (c) => (out += dec.decode(c)) });
      return { proc, out: () => out };
    };
    try {
      const refused = run('10.244.2.2', ['/probe', 'refused', '10.244.1.2', '8080']);
      expect(await refused.proc.exited).toEqual({ exitCode: 0 });
      expect(refused.out()).toBe('connect: Connection refused (ECONNREFUSED)\n');

      const server = run('10.244.1.2', ['/probe', 'server', '8080', '13']);
      await expect.poll(server.out, { timeout: 20_000 }).toBe('listening 8080\n');
      const client = run('10.244.2.2', ['/probe', 'client', '10.244.1.2', '8080', 'hello']);
      expect(await client.proc.exited).toEqual({ exitCode: 0 });
      expect(client.out()).toBe('echo from 10.244.1.2:8080: hello\n');

      const multi = run('10.244.2.3', ['/probe', 'multi', '10.244.1.2', '8080', '10']);
      expect(await multi.proc.exited).toEqual({ exitCode: 0 });
      expect(multi.out()).toBe('multi ok 10\n');

      // The kubelet's side: an async dial from JS.
      const conn = await dialTcp(fabric, '10.244.1.2', 8080, { fromIp: '172.18.0.2' });
      await conn.write(enc.encode('from-js'));
      conn.closeWrite();
      expect(dec.decode(await conn.readAll())).toBe('from-js');
      conn.close();
      const big = new Uint8Array(200_000).fill(97);
      const conn2 = await dialTcp(fabric, '10.244.1.2', 8080);
      const reading = conn2.readAll();
      await conn2.write(big);
      conn2.closeWrite();
      expect((await reading).length).toBe(big.length);
      conn2.close();

      expect(await server.proc.exited).toEqual({ exitCode: 0 });
      expect(server.out()).toBe('listening 8080\nserved 13\n');
      await expect(dialTcp(fabric, '10.244.1.2', 8080)).rejects.toThrow('connection refused');
      expect(fabric.slotsInUse()).toBe(0);
    } finally {
      launcher.dispose();
    }
  }, 120_000);

  it('a killed server Worker releases its listener and connections', async () => {
    const { module } = await compileCFile(probe);
    const fabric = NetworkFabric.create({ slots: 8, ringBytes: 1024, listeners: 4 });
    const launcher = createWorkerThreadsLauncher();
    let out = '';
    const server = launcher.launch({ module, args: ['/probe', 'server', '9090', '5'], env: [], rootfs: emptyRootfs(), net: { fabric: fabric.buffer, podIp: '10.244.1.9' }, stdout: (c) => (out += dec.decode(c)), stderr: () => undefined });
    await expect.poll(() => out, { timeout: 20_000 }).toBe('listening 9090\n');
    const conn = await dialTcp(fabric, '10.244.1.9', 9090);
    server.kill();
    await server.exited;
    expect(await conn.read()).toBeNull();
    await expect(dialTcp(fabric, '10.244.1.9', 9090)).rejects.toThrow('connection refused');
    conn.close();
    expect(fabric.slotsInUse()).toBe(0);
  }, 60_000);
});
