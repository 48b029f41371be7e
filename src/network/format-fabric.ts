import { EPHEMERAL_FIRST, fabricBytes, type FabricSizes, H, H_WORDS, MAGIC } from './fabric-layout';
import { PolicyTable, policyTableBytes } from './policy-table';
import { ServiceTable, serviceTableBytes } from './service-table';
import { UdpTable, udpTableBytes } from './udp-table';

/**
 * A formatted network fabric buffer (NetworkFabric.create): the header, listener and slot tables and rings
 * (fabric-layout.ts), then the service, policy and UDP regions, each sized by `sizes` (0 leaves a region out).
 * Throws when ringBytes is not a power of two.
 */
export function formatFabric(sizes: FabricSizes = {}): SharedArrayBuffer {
  const slots = sizes.slots ?? 256;
  const ringBytes = sizes.ringBytes ?? 32 * 1024;
  const listeners = sizes.listeners ?? 256;
  if (ringBytes < 16 || (ringBytes & (ringBytes - 1)) !== 0) throw new Error('ringBytes must be a power of two');
  const svcCap = sizes.serviceTableBytes ?? 1024 * 1024;
  const polCap = sizes.policyTableBytes ?? 512 * 1024;
  const udpSockets = sizes.udpSockets ?? 64;
  const udpQ = Math.ceil((sizes.udpQueueBytes ?? 16 * 1024) / 4) * 4;
  const base = fabricBytes(slots, ringBytes, listeners);
  const svcBytes = svcCap ? serviceTableBytes(Math.ceil(svcCap / 8) * 8) : 0;
  const polBytes = polCap ? policyTableBytes(polCap) : 0;
  const buffer = new SharedArrayBuffer(base + svcBytes + polBytes + (udpSockets ? udpTableBytes(udpSockets, udpQ) : 0));
  const w = new Int32Array(buffer, 0, H_WORDS);
  if (udpSockets) {
    w[H.UDP] = base + svcBytes + polBytes;
    new UdpTable(buffer, base + svcBytes + polBytes, () => {}, { sockets: udpSockets, qBytes: udpQ });
  }
  if (svcCap) {
    w[H.SERVICES] = base;
    new ServiceTable(buffer, base, { cap: Math.ceil(svcCap / 8) * 8 });
  }
  if (polCap) {
    w[H.POLICIES] = base + svcBytes;
    new PolicyTable(buffer, base + svcBytes, { cap: polCap });
  }
  w[H.SLOTS] = slots;
  w[H.RING] = ringBytes;
  w[H.LISTENERS] = listeners;
  w[H.NEXT_PORT] = EPHEMERAL_FIRST;
  w[H.NEXT_OWNER] = 1;
  w[H.MAGIC] = MAGIC;
  return buffer;
}
