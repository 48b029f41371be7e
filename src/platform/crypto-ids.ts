import { idSourceFrom, type IdSource } from '../api/ids';

/** Randomness from the Web Crypto API (present in Workers, the page and Node 20). */
export function cryptoIds(): IdSource {
  return idSourceFrom((buf) => crypto.getRandomValues(buf));
}
