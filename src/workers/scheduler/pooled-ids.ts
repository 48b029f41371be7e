import { idSourceFrom, type IdSource } from '../../api/ids';

/**
 * An IdSource that draws ids' random bytes 4 KiB at a time and hands them out in order (the event recorder
 * takes 3 bytes per event: one crypto call per event was a measurable share of a scheduling cycle in the tab).
 * Requests larger than the pool go to ids directly.
 */
export function pooledIds(ids: IdSource, poolSize = 4096): IdSource {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return idSourceFrom((buf) => {
    if (buf.length > poolSize) {
      buf.set(ids.bytes(buf.length));
      return;
    }
    if (at + buf.length > pool.length) {
      pool = ids.bytes(poolSize);
      at = 0;
    }
    buf.set(pool.subarray(at, at + buf.length));
    at += buf.length;
  });
}
