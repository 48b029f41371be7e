import { D, S } from './fabric-layout';
import type { NetworkFabric } from './network-fabric';

/** A non-blocking read: bytes, end of stream, a reset connection, or nothing yet. */
export type TryRead = { data: Uint8Array } | { eof: true } | { reset: true } | { again: true };
/** A non-blocking write: bytes taken (> 0), the peer is gone (EPIPE), or no room yet. */
export type TryWrite = { written: number } | { pipe: true } | { again: true };

/**
 * One end of a connection: side 0 is the client, 1 the server. It writes ring `side` and reads ring
 * `1 - side`; each ring has exactly one producer and one consumer, so data moves without the lock.
 * Positions are running 32-bit counters (ring sizes are powers of two). Only the thread that owns an end
 * may use it. Every method is non-blocking; `seqIndex` is the word to wait on for any change.
 */
export class ConnEnd {
  private readonly cap: number;
  private readonly mask: number;
  private readonly inRing: number;
  private readonly outRing: number;
  private readShut = false;

  constructor(
    readonly fabric: NetworkFabric,
    readonly slot: number,
    readonly side: 0 | 1,
  ) {
    this.cap = fabric.ringBytes;
    this.mask = this.cap - 1;
    this.inRing = fabric.ringOffset(slot, 1 - side);
    this.outRing = fabric.ringOffset(slot, side);
  }

  get seqIndex(): number {
    return this.fabric.slotWord(this.slot, S.SEQ);
  }

  private w(field: number): number {
    return this.fabric.slotWord(this.slot, field);
  }
  private load(field: number): number {
    return Atomics.load(this.fabric.words, this.w(field));
  }
  private inDir(f: number): number {
    return S.DIR + (1 - this.side) * 4 + f;
  }
  private outDir(f: number): number {
    return S.DIR + this.side * 4 + f;
  }

  /** [ip, port] of this end and of the peer. */
  get local(): [number, number] {
    return [this.load(S.IP + this.side * 2) >>> 0, this.load(S.PORT + this.side * 2)];
  }
  /** The server end sees the client after SNAT (S.PEER_IP); the client end sees the address it dialled (a Service's). */
  get remote(): [number, number] {
    if (this.side === 1) return [this.load(S.PEER_IP) >>> 0, this.load(S.PEER_PORT)];
    return [this.load(S.IP + 2) >>> 0, this.load(S.PORT + 2)];
  }

  /** Bytes waiting to be read. */
  get available(): number {
    return (this.load(this.inDir(D.WPOS)) - this.load(this.inDir(D.RPOS))) | 0;
  }

  private get reset(): boolean {
    return (this.load(S.FLAGS) & (1 << this.side)) !== 0;
  }

  /** Readable now: data, EOF or a reset (what poll reports as POLLIN). */
  get readable(): boolean {
    return this.readShut || this.available > 0 || this.load(this.inDir(D.WSHUT)) !== 0 || this.reset;
  }

  /** The peer will never read again (closed, or the connection was reset). */
  get peerGone(): boolean {
    return this.load(this.outDir(D.RGONE)) !== 0 || this.reset;
  }

  /** Writable now: room in the ring, or a write would fail at once (EPIPE). */
  get writable(): boolean {
    return this.peerGone || this.load(this.outDir(D.WSHUT)) !== 0 || this.space > 0;
  }

  /** Both directions are finished (POLLHUP). */
  get hungUp(): boolean {
    return this.load(this.inDir(D.WSHUT)) !== 0 && this.peerGone;
  }

  private get space(): number {
    return this.cap - ((this.load(this.outDir(D.WPOS)) - this.load(this.outDir(D.RPOS))) | 0);
  }

  tryRead(max: number): TryRead {
    const n = Math.min(max, this.available);
    if (this.readShut) return { eof: true };
    if (n <= 0) {
      if (this.reset) return { reset: true };
      if (this.load(this.inDir(D.WSHUT))) return { eof: true };
      return { again: true };
    }
    const r = this.load(this.inDir(D.RPOS));
    const out = new Uint8Array(n);
    const at = r & this.mask;
    const first = Math.min(n, this.cap - at);
    const base = this.inRing;
    out.set(this.fabric.bytes.subarray(base + at, base + at + first), 0);
    if (first < n) out.set(this.fabric.bytes.subarray(base, base + n - first), first);
    Atomics.store(this.fabric.words, this.w(this.inDir(D.RPOS)), (r + n) | 0);
    this.fabric.bump(this.seqIndex);
    return { data: out };
  }

  /** Copies as much of data as fits. EPIPE after shutdown(SHUT_WR) too, as Linux does. */
  tryWrite(data: Uint8Array): TryWrite {
    if (this.peerGone || this.load(this.outDir(D.WSHUT))) return { pipe: true };
    const n = Math.min(data.length, this.space);
    if (n <= 0) return data.length ? { again: true } : { written: 0 };
    const wpos = this.load(this.outDir(D.WPOS));
    const at = wpos & this.mask;
    const first = Math.min(n, this.cap - at);
    const base = this.outRing;
    this.fabric.bytes.set(data.subarray(0, first), base + at);
    if (first < n) this.fabric.bytes.set(data.subarray(first, n), base);
    Atomics.store(this.fabric.words, this.w(this.outDir(D.WPOS)), (wpos + n) | 0);
    this.fabric.bump(this.seqIndex);
    return { written: n };
  }

  /** shutdown(): 'w' sends FIN (the peer reads EOF after the buffered bytes); 'r' makes local reads return EOF. */
  shutdown(how: 'r' | 'w' | 'rw'): void {
    if (how !== 'w') this.readShut = true;
    if (how !== 'r') {
      Atomics.store(this.fabric.words, this.w(this.outDir(D.WSHUT)), 1);
      this.fabric.bump(this.seqIndex);
    }
  }

  close(): void {
    this.fabric.closeEnd(this.slot, this.side);
  }
}
