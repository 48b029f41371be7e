/**
 * Randomness for core code, injected like the Clock.
 * - uid(): a UUID v4 string, used for metadata.uid.
 * - suffix(n): n characters from Kubernetes' generateName alphabet ("bcdfghjklmnpqrstvwxz2456789").
 * - bytes(n): n random bytes (WASI random_get, pod-template-hash salts).
 */
export interface IdSource {
  uid(): string;
  suffix(n: number): string;
  bytes(n: number): Uint8Array;
}

export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Builds an IdSource from a byte source (crypto.getRandomValues in the platform layer, a PRNG in tests). */
export function idSourceFrom(fill: (buf: Uint8Array) => void): IdSource {
  const bytes = (n: number) => {
    const b = new Uint8Array(n);
    fill(b);
    return b;
  };
  return {
    bytes,
    uid() {
      const b = bytes(16);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    suffix(n: number) {
      let out = '';
      for (const x of bytes(n)) out += NAME_ALPHABET[x % NAME_ALPHABET.length];
      return out;
    },
  };
}

/** A deterministic IdSource for tests (xorshift32 from a seed). */
export function seededIds(seed = 1): IdSource {
  let s = seed >>> 0 || 1;
  return idSourceFrom((buf) => {
    for (let i = 0; i < buf.length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      buf[i] = s & 0xff;
    }
  });
}
