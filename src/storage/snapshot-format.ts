import { StoreError } from './store';
import type { LogRecord } from './log-record';
import type { LeaseRecord } from './lease-table';

/** The store format version: the IndexedDB schema version and the snapshot format version. */
export const STORE_FORMAT_VERSION = 2;

export interface SnapshotData {
  revision: number;
  compacted: number;
  leaseSeq: number;
  leases: LeaseRecord[];
  /** Every retained record, in (revision, sub) order. */
  records: LogRecord[];
}

const MAGIC = 'tabernetes-etcd-snapshot';

/**
 * Snapshot file format (UTF-8 JSON lines):
 *   line 1:   {"format":"tabernetes-etcd-snapshot","version":2,"revision":R,"compacted":C,"leaseSeq":S,"leases":N,"records":M}
 *   N lines:  {"lease":LeaseRecord}
 *   M lines:  {"record":LogRecord}
 *   last:     {"crc32":"xxxxxxxx","lines":1+N+M}   CRC-32 (IEEE) of every preceding byte, newlines included.
 */
export function encodeSnapshot(d: SnapshotData): Uint8Array {
  const lines = [
    JSON.stringify({ format: MAGIC, version: STORE_FORMAT_VERSION, revision: d.revision, compacted: d.compacted, leaseSeq: d.leaseSeq, leases: d.leases.length, records: d.records.length }),
    ...d.leases.map((lease) => JSON.stringify({ lease })),
    ...d.records.map((record) => JSON.stringify({ record })),
  ];
  const body = new TextEncoder().encode(lines.join('\n') + '\n');
  const trailer = new TextEncoder().encode(JSON.stringify({ crc32: hex(crc32(body)), lines: lines.length }) + '\n');
  const out = new Uint8Array(body.length + trailer.length);
  out.set(body);
  out.set(trailer, body.length);
  return out;
}

/**
 * Parses and verifies a snapshot. Rejects StoreError('Internal') for a corrupt or truncated file (bad
 * checksum, counts, or JSON) and StoreError('Unsupported') for a newer format version.
 */
export function decodeSnapshot(bytes: Uint8Array): SnapshotData {
  const bad = (why: string) => new StoreError('Internal', `snapshot is corrupt: ${why}`);
  const end = bytes.length - 1;
  if (end < 0 || bytes[end] !== 0x0a) throw bad('missing trailer');
  let start = end - 1;
  while (start >= 0 && bytes[start] !== 0x0a) start--;
  const body = bytes.subarray(0, start + 1);
  const trailer = parse(new TextDecoder().decode(bytes.subarray(start + 1, end)), bad) as { crc32?: string; lines?: number };
  if (trailer.crc32 !== hex(crc32(body))) throw bad('checksum mismatch');
  const lines = new TextDecoder().decode(body).split('\n');
  lines.pop();
  if (lines.length !== trailer.lines) throw bad('line count mismatch');
  const head = parse(lines[0] ?? '', bad) as { format?: string; version?: number; revision: number; compacted: number; leaseSeq: number; leases: number; records: number };
  if (head.format !== MAGIC) throw bad('not a tabernetes etcd snapshot');
  if (typeof head.version !== 'number' || head.version > STORE_FORMAT_VERSION) {
    throw new StoreError('Unsupported', `snapshot format version ${String(head.version)} is newer than this store's (${STORE_FORMAT_VERSION})`);
  }
  if (lines.length !== 1 + head.leases + head.records) throw bad('record count mismatch');
  const leases = lines.slice(1, 1 + head.leases).map((l) => (parse(l, bad) as { lease: LeaseRecord }).lease);
  const records = lines.slice(1 + head.leases).map((l) => {
    const r = (parse(l, bad) as { record: LogRecord }).record;
    return { ...r, sub: r.sub ?? 0 };
  });
  return { revision: head.revision, compacted: head.compacted, leaseSeq: head.leaseSeq, leases, records };
}

function parse(line: string, bad: (why: string) => StoreError): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw bad('invalid JSON line');
  }
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib). */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
