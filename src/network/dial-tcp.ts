import type { Clock } from '../api/clock';
import type { ConnEnd } from './conn-end';
import { formatIpv4, parseIpv4 } from './ipv4';
import type { NetErrno, NetworkFabric } from './network-fabric';

/** A failed dial or listen: `code` is the errno name (ECONNREFUSED, ETIMEDOUT, EADDRINUSE, ENOBUFS). */
export class NetError extends Error {
  constructor(
    readonly code: NetErrno | 'ETIMEDOUT' | 'EINVAL' | 'EPIPE',
    message: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

/** Resolves when words[index] may have changed from value, or after timeoutMs. */
export type AsyncWait = (words: Int32Array, index: number, value: number, timeoutMs: number) => Promise<void>;

type WaitAsyncFn = (a: Int32Array, i: number, v: number, t?: number) => { async: boolean; value: unknown };

/**
 * Atomics.waitAsync where the engine has it (Chromium, Node ≥ 16, Firefox ≥ 145); else a 2 ms poll on
 * `clock` (required then).
 */
export function defaultAsyncWait(clock?: Clock): AsyncWait {
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsyncFn }).waitAsync;
  if (waitAsync) {
    return async (words, index, value, timeoutMs) => {
      const r = waitAsync(words, index, value, timeoutMs === Infinity ? undefined : timeoutMs);
      if (r.async) await r.value;
    };
  }
  if (!clock) throw new Error('Atomics.waitAsync is unavailable: pass a clock to poll with');
  return (_w, _i, _v, timeoutMs) => new Promise((resolve) => void clock.after(Math.min(2, timeoutMs), resolve));
}

export interface AsyncConnOptions {
  wait?: AsyncWait;
  clock?: Clock;
}

/** A connection end for async JS (kubelet probes, port-forward, proxies). One reader and one writer at a time. */
export interface AsyncConn {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The next bytes (up to max), or null at EOF (a reset connection reads as EOF too). */
  read(max?: number): Promise<Uint8Array | null>;
  /** Resolves once every byte is in the ring (waits for room: backpressure). Rejects NetError EPIPE when the peer is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Reads until EOF. */
  readAll(): Promise<Uint8Array>;
  /** shutdown(SHUT_WR): the peer reads EOF after the written bytes. */
  closeWrite(): void;
  close(): void;
}

/** Wraps a ConnEnd for async use. */
export function asyncConn(end: ConnEnd, opts: AsyncConnOptions = {}): AsyncConn {
  const wait = opts.wait ?? defaultAsyncWait(opts.clock);
  const { fabric } = end;
  const until = async (ready: () => boolean) => {
    for (;;) {
      const seq = Atomics.load(fabric.words, end.seqIndex);
      if (ready()) return;
      await wait(fabric.words, end.seqIndex, seq, 1000);
    }
  };
  const [lip, lport] = end.local;
  const [rip, rport] = end.remote;
  const conn: AsyncConn = {
    localAddress: formatIpv4(lip),
    localPort: lport,
    remoteAddress: formatIpv4(rip),
    remotePort: rport,
    async read(max = 64 * 1024) {
      await until(() => end.readable);
      const r = end.tryRead(max);
      return 'data' in r ? r.data : null;
    },
    async write(data) {
      let off = 0;
      while (off < data.length) {
        const r = end.tryWrite(data.subarray(off));
        if ('pipe' in r) throw new NetError('EPIPE', 'write: broken pipe');
        if ('written' in r) off += r.written;
        else await until(() => end.writable);
      }
    },
    async readAll() {
      const parts: Uint8Array[] = [];
      for (let c = await conn.read(); c; c = await conn.read()) parts.push(c);
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) (out.set(p, off), (off += p.length));
      return out;
    },
    closeWrite: () => end.shutdown('w'),
    close: () => end.close(),
  };
  return conn;
}

function ipOf(ip: string | number): number {
  const n = typeof ip === 'number' ? ip : parseIpv4(ip);
  if (n === undefined) throw new NetError('EINVAL', `invalid IPv4 address "${String(ip)}"`);
  return n;
}

export interface DialOptions extends AsyncConnOptions {
  /** Owner id (NetworkFabric.newOwner) so releaseOwner closes it; default a fresh one. */
  owner?: number;
  /** Source IP (the node's IP for the kubelet); default 0.0.0.0. */
  fromIp?: string | number;
  /** How long to wait while the listener's backlog is full or a NetworkPolicy drops the connection; default 20 s. */
  timeoutMs?: number;
}

/**
 * Opens a connection from async JS. Rejects NetError: ECONNREFUSED (nothing listens, as
 * `dial tcp 10.244.1.2:80: connect: connection refused`), ETIMEDOUT (`i/o timeout`: backlog full or dropped
 * by a NetworkPolicy for timeoutMs; a dropped dial is retried whenever the policy table changes), ENOBUFS.
 */
export async function dialTcp(fabric: NetworkFabric, ip: string | number, port: number, opts: DialOptions = {}): Promise<AsyncConn> {
  const wait = opts.wait ?? defaultAsyncWait(opts.clock);
  const to = ipOf(ip);
  const where = `dial tcp ${formatIpv4(to)}:${port}`;
  const owner = opts.owner ?? fabric.newOwner();
  let waited = 0;
  const timeout = opts.timeoutMs ?? 20_000;
  for (;;) {
    const version = fabric.policies?.version ?? 0;
    const r = fabric.connect({ owner, fromIp: ipOf(opts.fromIp ?? 0), toIp: to, toPort: port, ...(opts.clock ? { now: opts.clock.now() } : {}) });
    if (r === 'ECONNREFUSED') throw new NetError(r, `${where}: connect: connection refused`);
    if (typeof r === 'string') throw new NetError(r, `${where}: connect: no buffer space available`);
    if (waited >= timeout && ('full' in r || 'dropped' in r)) throw new NetError('ETIMEDOUT', `${where}: i/o timeout`);
    if ('dropped' in r) {
      const slice = Math.min(1000, timeout - waited);
      await wait(fabric.policies!.words, 0, version, slice);
      waited += slice;
      continue;
    }
    if (!('full' in r)) return asyncConn(r, { wait });
    const index = fabric.listenerSeq(r.full);
    await wait(fabric.words, index, Atomics.load(fabric.words, index), 50);
    waited += 50;
  }
}

export interface AsyncListener {
  readonly port: number;
  /** The next connection; rejects once the listener is closed. */
  accept(): Promise<AsyncConn>;
  close(): void;
}

/** Listens from async JS on ip:port (port 0: an ephemeral port). Rejects EADDRINUSE, ENOBUFS. */
export function listenTcp(fabric: NetworkFabric, ip: string | number, port: number, opts: AsyncConnOptions & { owner?: number; backlog?: number } = {}): AsyncListener {
  const wait = opts.wait ?? defaultAsyncWait(opts.clock);
  const at = ipOf(ip);
  const owner = opts.owner ?? fabric.newOwner();
  const p = port || fabric.ephemeralPort(at);
  const l = fabric.listen(owner, at, p, opts.backlog !== undefined ? { backlog: opts.backlog } : {});
  if (typeof l === 'string') throw new NetError(l, `listen tcp ${formatIpv4(at)}:${p}: bind: ${l === 'EADDRINUSE' ? 'address already in use' : 'no buffer space available'}`);
  return {
    port: p,
    async accept() {
      for (;;) {
        const c = fabric.accept(l, owner);
        if (c) return asyncConn(c, { wait });
        if (!fabric.listenerOpen(l)) throw new NetError('EINVAL', 'accept: use of closed network connection');
        const index = fabric.listenerSeq(l);
        const seq = Atomics.load(fabric.words, index);
        if (fabric.pending(l) > 0) continue;
        await wait(fabric.words, index, seq, 1000);
      }
    },
    close: () => fabric.closeListener(l),
  };
}
