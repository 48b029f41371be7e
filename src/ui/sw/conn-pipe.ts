import type { AsyncConn } from '../../network/dial-tcp';

/** One direction of a pipe: chunks in order, then EOF. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private ended = false;
  private waiter?: () => void;
  push(data: Uint8Array): void {
    if (this.ended) throw new Error('write on closed pipe');
    if (data.length) this.chunks.push(data);
    this.wake();
  }
  end(): void {
    this.ended = true;
    this.wake();
  }
  async shift(): Promise<Uint8Array | null> {
    while (!this.chunks.length && !this.ended) await new Promise<void>((r) => (this.waiter = r));
    return this.chunks.shift() ?? null;
  }
  private wake() {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/**
 * Two connected in-memory connection ends (what one writes the other reads; closeWrite is the peer's EOF;
 * close ends both directions). The tab's port-forward "local connections": the proxy host speaks HTTP/1.1 on
 * one end, kubectl's port-forward relays the other through pods/portforward. Writes never block.
 */
export function connPipe(): [AsyncConn & { gone: Promise<void> }, AsyncConn & { gone: Promise<void> }] {
  const q = [new ByteQueue(), new ByteQueue()];
  let onGone!: () => void;
  const gone = new Promise<void>((r) => (onGone = r));
  const end = (i: 0 | 1) => {
    const conn: AsyncConn & { gone: Promise<void> } = {
      gone,
      localAddress: '127.0.0.1',
      localPort: 0,
      remoteAddress: '127.0.0.1',
      remotePort: 0,
      read: () => q[i].shift(),
      write: async (data) => q[1 - i].push(data),
      readAll: async () => {
        const parts: Uint8Array[] = [];
        for (let c = await conn.read(); c; c = await conn.read()) parts.push(c);
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        parts.reduce((off, p) => (out.set(p, off), off + p.length), 0);
        return out;
      },
      closeWrite: () => q[1 - i].end(),
      close: () => (q[0].end(), q[1].end(), onGone()),
    };
    return conn;
  };
  return [end(0), end(1)];
}
