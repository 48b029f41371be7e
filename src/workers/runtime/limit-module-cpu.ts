import { readLeb, writeLeb } from './limit-module-memory';

/**
 * resources.limits.cpu for a WASI module: rewrites it so the host gets control periodically even while the
 * guest spins without host calls. It adds (without shifting any existing index):
 * - a mutable i32 global, the check budget, initially CPU_CHECK_INITIAL_BUDGET;
 * - a type `() -> i32` and a one-slot funcref table exported as CPU_CHECK_TABLE_EXPORT;
 * - at every function entry and loop header: `if (budget) budget--; else budget = table[0]()`.
 * The host fills the slot after instantiation with installCpuCheck: its function returns the next budget
 * (how many more function entries / loop iterations before the next call) and may block (Atomics.wait) to
 * throttle. Until installed, a module that spends its first budget traps (null table slot).
 *
 * Contract: returns new bytes, the input is not modified; throws Error('invalid wasm module') for bytes it
 * cannot parse and Error('unsupported wasm opcode 0x..') for instructions outside core wasm 2.0 + threads +
 * SIMD + legacy exceptions (the caller then runs the module unthrottled).
 */
export const CPU_CHECK_TABLE_EXPORT = 'tabernetes_cpu_check';
export const CPU_CHECK_INITIAL_BUDGET = 10_000;

const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]; // section ids in their required order

interface Section {
  id: number;
  body: Uint8Array;
}

export function limitModuleCpu(wasm: Uint8Array): Uint8Array {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error('invalid wasm module');
  const sections: Section[] = [];
  for (let pos = 8; pos < wasm.length; ) {
    const id = wasm[pos];
    const [size, n] = readLeb(wasm, pos + 1);
    const body = pos + 1 + n;
    if (body + size > wasm.length) throw new Error('invalid wasm module');
    sections.push({ id, body: wasm.subarray(body, body + size) });
    pos = body + size;
  }
  const find = (id: number) => sections.find((s) => s.id === id);
  const imported = countImports(find(2)?.body);
  const typeIndex = vecCount(find(1)?.body);
  const tableIndex = imported.tables + vecCount(find(4)?.body);
  const globalIndex = imported.globals + vecCount(find(6)?.body);

  const appendEntry = (id: number, entry: number[]) => {
    const s = find(id);
    if (s) {
      const [count, n] = readLeb(s.body, 0);
      s.body = concat([writeLeb(count + 1), s.body.subarray(n), entry]);
      return;
    }
    const rank = ORDER.indexOf(id);
    const at = sections.findIndex((x) => x.id !== 0 && ORDER.indexOf(x.id) > rank);
    sections.splice(at < 0 ? sections.length : at, 0, { id, body: concat([[1], entry]) });
  };
  appendEntry(1, [0x60, 0x00, 0x01, 0x7f]);
  appendEntry(4, [0x70, 0x00, 0x01]);
  appendEntry(6, [0x7f, 0x01, 0x41, ...writeSleb(CPU_CHECK_INITIAL_BUDGET), 0x0b]);
  const name = new TextEncoder().encode(CPU_CHECK_TABLE_EXPORT);
  appendEntry(7, [...writeLeb(name.length), ...name, 0x01, ...writeLeb(tableIndex)]);

  const g = writeLeb(globalIndex);
  // if (global) { global = global - 1 } else { global = call_indirect table[0]() }
  const check = [0x23, ...g, 0x04, 0x40, 0x23, ...g, 0x41, 0x01, 0x6b, 0x24, ...g, 0x05, 0x41, 0x00, 0x11, ...writeLeb(typeIndex), ...writeLeb(tableIndex), 0x24, ...g, 0x0b];
  const code = find(10);
  if (code) code.body = instrumentCode(code.body, check);

  const parts: Array<ArrayLike<number>> = [wasm.subarray(0, 8)];
  for (const s of sections) parts.push([s.id, ...writeLeb(s.body.length)], s.body);
  return concat(parts);
}

/**
 * Fills the module's check slot (after instantiation) with `check`; false when the instance was not built by
 * limitModuleCpu. `check` returns the next budget (a positive i32).
 */
export function installCpuCheck(instance: WebAssembly.Instance, check: () => number): boolean {
  const table = instance.exports[CPU_CHECK_TABLE_EXPORT];
  if (!(table instanceof WebAssembly.Table)) return false;
  const helper = new WebAssembly.Instance(trampoline(), { h: { c: check } });
  (table as unknown as { set(i: number, fn: unknown): void }).set(0, helper.exports.c);
  return true;
}

let trampolineModule: WebAssembly.Module | undefined;
/** (module (type (func (result i32))) (import "h" "c" (func (type 0))) (export "c" (func 0))): a host function as a wasm function a table can hold. */
function trampoline(): WebAssembly.Module {
  trampolineModule ??= new WebAssembly.Module(
    new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 2, 7, 1, 1, 0x68, 1, 0x63, 0, 0, 7, 5, 1, 1, 0x63, 0, 0]),
  );
  return trampolineModule;
}

function countImports(body: Uint8Array | undefined): { tables: number; globals: number } {
  const out = { tables: 0, globals: 0 };
  if (!body) return out;
  const r = new Reader(body);
  for (let i = r.u32(); i > 0; i--) {
    r.skip(r.u32());
    r.skip(r.u32());
    const kind = r.byte();
    if (kind === 0) r.u32();
    else if (kind === 1) {
      r.refType();
      r.limits();
      out.tables++;
    } else if (kind === 2) r.limits();
    else if (kind === 3) {
      r.refType();
      r.byte();
      out.globals++;
    } else if (kind === 4) {
      r.byte();
      r.u32();
    } else throw new Error('invalid wasm module');
  }
  return out;
}

function vecCount(body: Uint8Array | undefined): number {
  return body ? readLeb(body, 0)[0] : 0;
}

function instrumentCode(body: Uint8Array, check: number[]): Uint8Array {
  const r = new Reader(body);
  const out: Array<ArrayLike<number>> = [writeLeb(r.u32())];
  while (r.pos < body.length) {
    const size = r.u32();
    const end = r.pos + size;
    const fn: Array<ArrayLike<number>> = [];
    const localsStart = r.pos;
    for (let n = r.u32(); n > 0; n--) {
      r.u32();
      r.refType();
    }
    fn.push(body.subarray(localsStart, r.pos), check);
    let from = r.pos;
    while (r.pos < end) {
      const op = r.byte();
      r.immediates(op);
      if (op === 0x03) {
        fn.push(body.subarray(from, r.pos), check);
        from = r.pos;
      }
    }
    if (r.pos !== end) throw new Error('invalid wasm module');
    fn.push(body.subarray(from, end));
    const bytes = concat(fn);
    out.push(writeLeb(bytes.length), bytes);
  }
  return concat(out);
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Error('invalid wasm module');
    return this.b[this.pos++];
  }
  u32(): number {
    const [v, n] = readLeb(this.b, this.pos);
    this.pos += n;
    return v;
  }
  /** Skips one LEB128 (signed or unsigned, any width). */
  leb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.b.length) throw new Error('invalid wasm module');
  }
  limits(): void {
    const flags = this.byte();
    this.leb();
    if (flags & 1) this.leb();
  }
  /** A value type; (ref null? ht) carries a heap type. */
  refType(): void {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.leb();
  }
  memarg(): void {
    const align = this.u32();
    if (align & 0x40) this.leb();
    this.leb();
  }

  immediates(op: number): void {
    if ((op >= 0x45 && op <= 0xc4) || [0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd5].includes(op)) return;
    if ((op >= 0x02 && op <= 0x04) || op === 0x06) return this.leb(); // block type: 0x40, a value type or s33
    if ((op >= 0x07 && op <= 0x09) || op === 0x0c || op === 0x0d || (op >= 0x10 && op <= 0x18 && op !== 0x11 && op !== 0x13) || (op >= 0x20 && op <= 0x26) || op === 0xd2 || op === 0xd4 || op === 0xd6) return this.leb();
    if (op === 0x11 || op === 0x13) return (this.leb(), this.leb());
    if (op === 0x0e) {
      for (let n = this.u32(); n >= 0; n--) this.leb();
      return;
    }
    if (op === 0x1c) {
      for (let n = this.u32(); n > 0; n--) this.refType();
      return;
    }
    if (op >= 0x28 && op <= 0x3e) return this.memarg();
    if (op === 0x3f || op === 0x40 || op === 0x41 || op === 0x42 || op === 0xd0) return this.leb();
    if (op === 0x43) return this.skip(4);
    if (op === 0x44) return this.skip(8);
    if (op === 0xfc) return this.prefixedFc(this.u32());
    if (op === 0xfd) return this.prefixedSimd(this.u32());
    if (op === 0xfe) {
      const sub = this.u32();
      return sub === 0x03 ? void this.byte() : this.memarg();
    }
    throw new Error(`unsupported wasm opcode 0x${op.toString(16)}`);
  }

  private prefixedFc(sub: number): void {
    if (sub <= 7) return;
    const counts: Record<number, number> = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 };
    const n = counts[sub];
    if (n === undefined) throw new Error(`unsupported wasm opcode 0xfc ${sub}`);
    for (let i = 0; i < n; i++) this.leb();
  }

  private prefixedSimd(sub: number): void {
    if (sub <= 11 || sub === 92 || sub === 93) return this.memarg();
    if (sub === 12 || sub === 13) return this.skip(16);
    if (sub >= 21 && sub <= 34) return void this.byte();
    if (sub >= 84 && sub <= 91) return (this.memarg(), void this.byte());
  }
}

function writeSleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return (out.push(byte), out);
    out.push(byte | 0x80);
  }
}

function concat(parts: Array<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
