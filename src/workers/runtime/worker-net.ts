import { atomicsBlocker } from '../../network/blocking';
import { parseIpv4 } from '../../network/ipv4';
import { NetworkFabric } from '../../network/network-fabric';
import type { WasiNet } from './wasi/guest-socket';

/**
 * The WasiNet of a container Worker (StartMessage.net): blocking socket calls wait with Atomics.wait on the
 * fabric, in cluster-time units of `now`, and return EINTR as soon as `interrupted()` (a pending signal).
 * `blocking` wraps each wait (the stats writer excludes it from CPU time).
 */
export function workerNet(
  net: { fabric: SharedArrayBuffer; podIp: string; owner: number },
  now: () => number,
  interrupted: () => boolean,
  blocking: <T>(wait: () => T) => T = (wait) => wait(),
): WasiNet {
  const blocker = atomicsBlocker(now, interrupted);
  return {
    fabric: new NetworkFabric(net.fabric),
    podIp: parseIpv4(net.podIp) ?? 0,
    owner: net.owner,
    blocker: { wait: (words, index, value, timeoutMs) => blocking(() => blocker.wait(words, index, value, timeoutMs)) },
    now,
  };
}
