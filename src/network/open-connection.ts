import { ConnEnd } from './conn-end';
import { L, LF_LOOPBACK_ONLY, MAX_BACKLOG, S, S_WORDS } from './fabric-layout';
import { masqueradeSource, policySource } from './masquerade';
import type { ConnectRequest, NetErrno, NetworkFabric } from './network-fabric';

/**
 * NetworkFabric.connect (see its contract there): Service DNAT (ServiceTable.route), kube-proxy's SNAT
 * (masquerade.ts: the server end's `remote` becomes the masquerade address, the client's source port kept as
 * MASQUERADE keeps it; the client end's `remote` stays the Service address it dialled, so replies come back
 * through the NAT), NetworkPolicy (egress of the original client; ingress of the endpoint against the source its
 * node sees, masquerade.ts policySource), then a slot queued on the listener.
 */
export function openConnection(fabric: NetworkFabric, req: ConnectRequest): ConnEnd | NetErrno | { full: number } | { dropped: true } {
  const routed = fabric.services?.route(req.toIp, req.toPort, req.fromIp, req.now);
  if (routed === 'ECONNREFUSED') return routed;
  if (routed === 'DROP') return { dropped: true };
  const toIp = routed ? routed.ip : req.toIp;
  const toPort = routed ? routed.port : req.toPort;
  const table = routed && fabric.services ? fabric.services.read() : undefined;
  const snat = routed && table ? masqueradeSource(table, routed.rule, req.fromIp, toIp) : undefined;
  const pol = fabric.policies;
  if (pol !== undefined && pol.active && !req.loopback && !pol.allows(req.fromIp, toIp, toPort, 'TCP', table ? policySource(table, snat, req.fromIp) : req.fromIp)) return { dropped: true };
  return fabric.locked(() => {
    const l = fabric.findListener(toIp, toPort);
    const w = fabric.words;
    if (l < 0 || ((w[fabric.lw(l, L.FLAGS)] & LF_LOOPBACK_ONLY) !== 0 && (!req.loopback || routed))) return 'ECONNREFUSED';
    if (fabric.pending(l) >= w[fabric.lw(l, L.BACKLOG)]) return { full: l };
    let slot = -1;
    for (let s = 0; s < fabric.slots; s++) {
      if (Atomics.load(w, fabric.slotWord(s, S.STATE)) === 0) {
        slot = s;
        break;
      }
    }
    if (slot < 0) return 'ENOBUFS';
    const at = (f: number) => fabric.slotWord(slot, f);
    for (let f = 1; f < S_WORDS; f++) if (f !== S.SEQ) w[at(f)] = 0;
    const fromPort = req.fromPort || fabric.ephemeralPort(req.fromIp);
    w[at(S.OWNER)] = req.owner;
    w[at(S.OPEN)] = 1;
    w[at(S.OPEN + 1)] = 1;
    w[at(S.IP)] = req.fromIp | 0;
    w[at(S.PORT)] = fromPort;
    w[at(S.IP + 2)] = req.toIp | 0;
    w[at(S.PORT + 2)] = req.toPort;
    w[at(S.PEER_IP)] = (snat ?? req.fromIp) | 0;
    w[at(S.PEER_PORT)] = fromPort;
    Atomics.store(w, at(S.STATE), 1);
    const tail = w[fabric.lw(l, L.TAIL)];
    w[fabric.lw(l, L.QUEUE + (tail % MAX_BACKLOG))] = slot;
    Atomics.store(w, fabric.lw(l, L.TAIL), tail + 1);
    fabric.bump(fabric.lw(l, L.SEQ));
    return new ConnEnd(fabric, slot, 0);
  });
}
