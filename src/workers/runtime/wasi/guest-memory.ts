import { Errno, WasiError } from './wasi-constants';

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Typed access to the guest's linear memory. Views are re-created on every access because memory.grow
 * detaches the old ArrayBuffer. Out-of-bounds pointers throw WasiError(FAULT).
 */
export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;

  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  get bytes(): Uint8Array {
    if (!this.memory) throw new WasiError(Errno.FAULT);
    return new Uint8Array(this.memory.buffer);
  }

  get view(): DataView {
    if (!this.memory) throw new WasiError(Errno.FAULT);
    return new DataView(this.memory.buffer);
  }

  check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.bytes.length) throw new WasiError(Errno.FAULT);
  }

  u8(ptr: number, v: number): void {
    this.check(ptr, 1);
    this.view.setUint8(ptr, v);
  }
  u16(ptr: number, v: number): void {
    this.check(ptr, 2);
    this.view.setUint16(ptr, v, true);
  }
  u32(ptr: number, v: number): void {
    this.check(ptr, 4);
    this.view.setUint32(ptr, v >>> 0, true);
  }
  u64(ptr: number, v: bigint | number): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr, BigInt.asUintN(64, BigInt(v)), true);
  }
  getU32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }
  getU64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.view.getBigUint64(ptr, true);
  }

  /** A copy of len bytes at ptr. */
  read(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.bytes.slice(ptr, ptr + len);
  }

  write(ptr: number, data: Uint8Array): void {
    this.check(ptr, data.length);
    this.bytes.set(data, ptr);
  }

  string(ptr: number, len: number): string {
    return dec.decode(this.read(ptr, len));
  }

  /** (buf, len) pairs of an iovec/ciovec array. */
  iovecs(ptr: number, count: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < count; i++) out.push([this.getU32(ptr + i * 8), this.getU32(ptr + i * 8 + 4)]);
    return out;
  }

  /** Gathers a ciovec array into one copy. */
  gather(ptr: number, count: number): Uint8Array {
    const vecs = this.iovecs(ptr, count);
    const total = vecs.reduce((n, [, len]) => n + len, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const [buf, len] of vecs) {
      out.set(this.read(buf, len), off);
      off += len;
    }
    return out;
  }

  /** Scatters data into an iovec array; returns bytes written. */
  scatter(ptr: number, count: number, data: Uint8Array): number {
    let off = 0;
    for (const [buf, len] of this.iovecs(ptr, count)) {
      if (off >= data.length) break;
      const n = Math.min(len, data.length - off);
      this.write(buf, data.subarray(off, off + n));
      off += n;
    }
    return off;
  }

  /** Writes a list of NUL-terminated strings: pointers into ptrsPtr, bytes into bufPtr (args_get/environ_get). */
  writeStringList(list: string[], ptrsPtr: number, bufPtr: number): void {
    let p = bufPtr;
    list.forEach((s, i) => {
      const b = enc.encode(s + '\0');
      this.u32(ptrsPtr + i * 4, p);
      this.write(p, b);
      p += b.length;
    });
  }
}

export function stringListSize(list: string[]): number {
  return list.reduce((n, s) => n + enc.encode(s).length + 1, 0);
}
