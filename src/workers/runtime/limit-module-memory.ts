/**
 * resources.limits.memory for a WASI module: rewrites the module's own memory (memory section, index 0)
 * so its maximum is at most the limit, so memory.grow beyond it fails (malloc returns NULL) instead of the
 * process growing without bound. An imported memory or a module without memory is returned unchanged.
 *
 * Contract: returns new bytes, the input is not modified; throws Error('invalid wasm module') for bytes it
 * cannot parse. A limit below the module's initial memory yields maximum = initial (the process then
 * fails its first allocation beyond that and is reported OOMKilled).
 */
export const WASM_PAGE = 65536;

export function limitModuleMemory(wasm: Uint8Array, limitBytes: number): Uint8Array {
  const maxPages = Math.max(1, Math.floor(limitBytes / WASM_PAGE));
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error('invalid wasm module');
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, sizeLen] = readLeb(wasm, pos + 1);
    const body = pos + 1 + sizeLen;
    if (id === 5) return rewriteMemorySection(wasm, pos, body, size, maxPages);
    pos = body + size;
  }
  return wasm;
}

function rewriteMemorySection(wasm: Uint8Array, start: number, body: number, size: number, maxPages: number): Uint8Array {
  let p = body;
  const [count, countLen] = readLeb(wasm, p);
  if (count < 1) return wasm;
  p += countLen;
  const flags = wasm[p++];
  if (flags & 0x04) return wasm; // memory64: not produced by wasm32-wasip1
  const [min, minLen] = readLeb(wasm, p);
  p += minLen;
  let max = maxPages;
  if (flags & 0x01) {
    const [oldMax, maxLen] = readLeb(wasm, p);
    p += maxLen;
    max = Math.min(oldMax, maxPages);
  }
  max = Math.max(max, min);
  const entry = [flags | 0x01, ...writeLeb(min), ...writeLeb(max)];
  const newBody = [...writeLeb(count), ...entry, ...wasm.subarray(p, body + size)];
  const section = [5, ...writeLeb(newBody.length), ...newBody];
  const out = new Uint8Array(start + section.length + (wasm.length - body - size));
  out.set(wasm.subarray(0, start), 0);
  out.set(section, start);
  out.set(wasm.subarray(body + size), start + section.length);
  return out;
}

export function readLeb(b: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let len = 0;
  for (;;) {
    if (pos + len >= b.length) throw new Error('invalid wasm module');
    const byte = b[pos + len++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [result, len];
  }
}

export function writeLeb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
