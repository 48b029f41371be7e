import { NAME_ALPHABET } from '../../../api/ids';

const PRIME = 0x01000193;
export const FNV_OFFSET = 0x811c9dc5;

const encoder = new TextEncoder();
let buffer = new Uint8Array(1 << 16);

/** s as UTF-8 in a shared buffer (valid until the next call); lone surrogates become U+FFFD, as Go writes them. */
function utf8(s: string): Uint8Array {
  if (buffer.length < s.length * 3) buffer = new Uint8Array(s.length * 3);
  return buffer.subarray(0, encoder.encodeInto(s, buffer).written);
}

/** hash/fnv New32a().Write(UTF-8 of s), continuing from state h. */
export function fnv32a(s: string, h = FNV_OFFSET): number {
  const b = utf8(s);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], PRIME);
  return h >>> 0;
}

/** hash/fnv New32().Write(UTF-8 of s) (FNV-1: multiply, then xor), continuing from state h. */
export function fnv32(s: string, h = FNV_OFFSET): number {
  const b = utf8(s);
  for (let i = 0; i < b.length; i++) h = Math.imul(h, PRIME) ^ b[i];
  return h >>> 0;
}

/** FNV-1a continued over raw bytes. */
export function fnv32aBytes(bytes: ArrayLike<number>, h: number): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], PRIME);
  return h >>> 0;
}

/** rand.SafeEncodeString(fmt.Sprint(h)): each decimal digit's byte mapped into the vowel-free alphabet. */
export function safeEncodeHash(h: number): string {
  let out = '';
  for (const c of String(h >>> 0)) out += NAME_ALPHABET[c.charCodeAt(0) % NAME_ALPHABET.length];
  return out;
}
