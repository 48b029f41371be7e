/**
 * The word layout of a network fabric SharedArrayBuffer (all Int32, little endian), then the ring bytes:
 *
 *   header   H_WORDS words: magic, lock, global seq, next ephemeral port, next owner, sizes
 *   listener L_WORDS words each: state, seq, owner, ip, port, flags, head, tail, backlog, queue[MAX_BACKLOG]
 *   slot     S_WORDS words each: state, seq, flags, owners, open ends, addresses, two directions
 *            (read pos, write pos, writer shut, reader gone)
 *   rings    2 × ringBytes per slot (direction 0: client→server, 1: server→client)
 *   services the Service rule and DNS table kube-proxy writes (service-table.ts), at header word SERVICES
 *   policies the NetworkPolicy table kube-proxy writes (policy-table.ts), at header word POLICIES
 *   udp      the UDP sockets and their datagram queues (udp-table.ts), at header word UDP
 *
 * Every state change bumps the owning entry's seq word and the header's global seq word and notifies both,
 * so a blocked party waits on one word: a slot's seq (read/write on one connection), a listener's seq
 * (accept, connect into a full backlog) or the global seq (poll over many sockets).
 */
export const MAGIC = 0x54424e31; // "TBN1"

/**
 * SERVICES: byte offset of the service table region (service-table.ts) after the rings; POLICIES: of the
 * NetworkPolicy table region (policy-table.ts) after that; UDP: of the UDP table (udp-table.ts) after that;
 * 0 when the buffer has none.
 */
export const H = { MAGIC: 0, LOCK: 1, SEQ: 2, NEXT_PORT: 3, NEXT_OWNER: 4, SLOTS: 5, RING: 6, LISTENERS: 7, SERVICES: 8, POLICIES: 9, UDP: 10 } as const;
export const H_WORDS = 16;

export const MAX_BACKLOG = 128;
export const L = { STATE: 0, SEQ: 1, OWNER: 2, IP: 3, PORT: 4, FLAGS: 5, HEAD: 6, TAIL: 7, BACKLOG: 8, QUEUE: 16 } as const;
export const L_WORDS = 16 + MAX_BACKLOG;
/** Listener FLAGS bit: bound to 127.0.0.0/8, reachable only from its own pod. */
export const LF_LOOPBACK_ONLY = 1;

export const S = {
  STATE: 0,
  SEQ: 1,
  /** RESET bit per side (1 << side): that side's peer is gone without a FIN (refused, listener closed). */
  FLAGS: 2,
  OWNER: 3, // + side
  OPEN: 5, // + side
  IP: 7, // + side * 2
  PORT: 8, // + side * 2
  DIR: 12, // + dir * 4: RPOS, WPOS, WSHUT, RGONE
  /** The client's address as the server end sees it: after kube-proxy's SNAT (masquerade), else IP/PORT of side 0. */
  PEER_IP: 20,
  PEER_PORT: 21,
} as const;
export const D = { RPOS: 0, WPOS: 1, WSHUT: 2, RGONE: 3 } as const;
export const S_WORDS = 32;

/** Ephemeral ports (Linux's ip_local_port_range). */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

export interface FabricSizes {
  /** Connection slots (each one TCP connection); default 256. */
  slots?: number;
  /** Bytes buffered per direction per connection, a power of two; default 32 KiB (the default fabric is then about 16 MiB). */
  ringBytes?: number;
  /** Listening sockets in the whole cluster; default 256. */
  listeners?: number;
  /** Bytes of the service table's encoded rules + DNS records; default 1 MiB (0: no service table). */
  serviceTableBytes?: number;
  /** Bytes of the NetworkPolicy table's encoded rules; default 512 KiB (0: no policy table, nothing is enforced). */
  policyTableBytes?: number;
  /** UDP sockets in the whole cluster; default 64 (0: no UDP). */
  udpSockets?: number;
  /** Receive queue bytes per UDP socket (datagrams beyond it are dropped); default 16 KiB. */
  udpQueueBytes?: number;
}

export function fabricBytes(slots: number, ringBytes: number, listeners: number): number {
  return (H_WORDS + listeners * L_WORDS + slots * S_WORDS) * 4 + slots * 2 * ringBytes;
}
