import type { Node, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { parseIpv4 } from '../../network/ipv4';
import { CLUSTER_DOMAIN } from '../../network/dns-resolver';
import { ruleKey, type DnsRecord, type ServiceRule, type ServiceTableData } from '../../network/service-table';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** kube-proxy's default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;
/** kube-proxy's --cluster-cidr as kind sets it (its default podSubnet; every node's podCIDR is a /24 of it). */
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';

/** The node's InternalIP as the kubelet reports it (NodePort Services listen there). */
export function nodeInternalIp(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

interface ReadyEndpoint {
  ip: string;
  hostname?: string;
  nodeName?: string;
  /** Port by EndpointSlice port name + protocol. */
  ports: Map<string, number>;
}

/**
 * Endpoints of a Service that take traffic: conditions.ready not false and not terminating (as kube-proxy
 * without ProxyTerminatingEndpoints fallback), one per address, from every slice labelled with the Service.
 */
function readyEndpoints(slices: EndpointSlice[]): ReadyEndpoint[] {
  const out = new Map<string, ReadyEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false || ep.conditions?.terminating === true) continue;
      for (const ip of ep.addresses) {
        const e = out.get(ip) ?? { ip, ports: new Map(), ...(ep.hostname ? { hostname: ep.hostname } : {}), ...(ep.nodeName ? { nodeName: ep.nodeName } : {}) };
        for (const p of slice.ports ?? []) if (p.port !== undefined) e.ports.set(`${p.name ?? ''}/${p.protocol ?? 'TCP'}`, p.port);
        out.set(ip, e);
      }
    }
  }
  return [...out.values()];
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

/** "10.244.1.0/24" → [network u32, prefix]. */
function cidrOf(cidr: string | undefined): [number, number] | undefined {
  const [net, bits] = (cidr ?? '').split('/');
  const ip = parseIpv4(net);
  return ip === undefined || !bits ? undefined : [ip, Number(bits)];
}

function add(dns: Record<string, DnsRecord>, name: string, rec: DnsRecord): void {
  const have = dns[name];
  if (!have) {
    dns[name] = rec;
    return;
  }
  if (rec.a) have.a = [...(have.a ?? []), ...rec.a.filter((ip) => !have.a?.includes(ip))];
  if (rec.srv) have.srv = [...(have.srv ?? []), ...rec.srv];
  if (rec.cname) have.cname = rec.cname;
}

/**
 * The node announcing a LoadBalancer IP of an externalTrafficPolicy Local Service: the first node by name with
 * a ready local endpoint (the nodes whose healthCheckNodePort, health-check-server.ts, answers 200); none: the
 * IP is not announced and outside traffic to it is dropped.
 */
export function announcingNode(nodes: Array<{ name: string }>, onNode: (node: string) => unknown[]): string | undefined {
  return [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).find((n) => onNode(n.name).length > 0)?.name;
}

/**
 * The whole rule + DNS table from the cluster's Services, EndpointSlices and Nodes (kube-proxy's iptables
 * sync plus CoreDNS's kubernetes plugin, with `pods insecure` answered by the resolver itself):
 * - rules for every TCP and UDP port (SCTP is not routed) of ClusterIP, NodePort and LoadBalancer Services at the ClusterIP, at every
 *   node's InternalIP on the nodePort and at each status.loadBalancer.ingress IP; targetPort by name or
 *   number is already resolved per endpoint in the slices' ports (matched by the Service port's name);
 * - DNS: `<svc>.<ns>.svc.cluster.local` A (ClusterIP, or a headless Service's ready endpoints),
 *   `<hostname|dashed-ip>.<svc>.<ns>.svc.cluster.local` for a headless Service's endpoints, SRV
 *   `_<port>._<proto>.<svc>.<ns>.svc.cluster.local` for named ports, CNAME for ExternalName;
 * - traffic policies (ServiceRule.sel): `internalTrafficPolicy: Local` sends ClusterIP clients on a node (its
 *   podCIDR or InternalIP) only to endpoints on that node; `externalTrafficPolicy: Local` sends clients of a
 *   node's NodePort from outside the cluster only to that node's endpoints, while pods (every podCIDR) and the
 *   node itself still reach all endpoints, as kube-proxy's short-circuit rules do; no local endpoint drops.
 *   LoadBalancer IPs with `externalTrafficPolicy: Local` send outside clients only to the endpoints of the
 *   announcing node (announcingNode), pods and nodes to every endpoint.
 * - SNAT (ServiceRule.masq, `nodes`; applied by src/network/masquerade.ts): externalTrafficPolicy Cluster
 *   NodePort and LoadBalancer rules name the node the traffic enters (for a LoadBalancer IP the first node by
 *   name), as kube-proxy's KUBE-EXT chain marks all such traffic for masquerade; ClusterIP rules keep the pod IP
 *   but masquerade clients outside `opts.clusterCidr` (default DEFAULT_CLUSTER_CIDR; "" for none: kube-proxy
 *   without --cluster-cidr) as `offCluster`, and Local NodePort / LoadBalancer rules a node's own traffic (`masqLocal`).
 */
export function buildServiceTable(services: Service[], slices: EndpointSlice[], nodes: Node[], opts: { clusterCidr?: string } = {}): ServiceTableData {
  const rules: Record<string, ServiceRule> = {};
  const dns: Record<string, DnsRecord> = {};
  const bySvc = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc) continue;
    const key = `${s.metadata?.namespace}/${svc}`;
    bySvc.set(key, [...(bySvc.get(key) ?? []), s]);
  }
  const nodeInfo = nodes.flatMap((n) => {
    const ip = parseIpv4(nodeInternalIp(n) ?? '');
    return ip === undefined ? [] : [{ name: n.metadata?.name ?? '', ip, cidr: cidrOf(n.spec?.podCIDR) }];
  });
  const podCidrs = nodeInfo.flatMap((n) => (n.cidr ? [n.cidr] : []));
  for (const svc of services) {
    const ns = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const fqdn = `${name}.${ns}.svc.${CLUSTER_DOMAIN}`;
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      if (spec.externalName) add(dns, fqdn, { cname: spec.externalName.toLowerCase() });
      continue;
    }
    const eps = readyEndpoints(bySvc.get(`${ns}/${name}`) ?? []);
    const headless = spec.clusterIP === 'None';
    const portOf = (sp: ServicePort, e: ReadyEndpoint) => e.ports.get(`${sp.name ?? ''}/${sp.protocol ?? 'TCP'}`);
    if (headless) {
      add(dns, fqdn, { a: eps.map((e) => parseIpv4(e.ip) ?? 0) });
      for (const e of eps) add(dns, `${e.hostname ?? dashed(e.ip)}.${fqdn}`, { a: [parseIpv4(e.ip) ?? 0] });
    } else if (spec.clusterIP) {
      add(dns, fqdn, { a: [parseIpv4(spec.clusterIP) ?? 0] });
    }
    for (const sp of spec.ports ?? []) {
      if (sp.name) {
        const srvName = `_${sp.name}._${(sp.protocol ?? 'TCP').toLowerCase()}.${fqdn}`;
        if (headless) {
          for (const e of eps) {
            const p = portOf(sp, e);
            if (p !== undefined) add(dns, srvName, { srv: [[0, Math.floor(100 / Math.max(1, eps.length)), p, `${e.hostname ?? dashed(e.ip)}.${fqdn}`]] });
          }
        } else add(dns, srvName, { srv: [[0, 100, sp.port, fqdn]] });
      }
      const proto = sp.protocol ?? 'TCP';
      if (headless || !spec.clusterIP || (proto !== 'TCP' && proto !== 'UDP')) continue;
      const rule: ServiceRule = {
        svc: `${ns}/${name}`,
        port: sp.name ?? '',
        eps: eps.flatMap((e) => {
          const p = portOf(sp, e);
          const ip = parseIpv4(e.ip);
          return p !== undefined && ip !== undefined ? [[ip, p] as [number, number]] : [];
        }),
        ...(spec.sessionAffinity === 'ClientIP' ? { aff: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS } : {}),
      };
      // rule.eps[i] is epsOf[i]'s; a Service without any endpoint keeps rejecting (not dropping), as kube-proxy.
      const epsOf = eps.filter((e) => portOf(sp, e) !== undefined && parseIpv4(e.ip) !== undefined);
      const onNode = (node: string) => rule.eps.filter((_, i) => epsOf[i].nodeName === node);
      const vip = parseIpv4(spec.clusterIP);
      const internal = spec.internalTrafficPolicy === 'Local' && rule.eps.length ? { ...rule, sel: nodeInfo.map((n) => ({ from: [...(n.cidr ? [n.cidr] : []), [n.ip, 32] as [number, number]], eps: onNode(n.name) })) } : rule;
      if (vip !== undefined) rules[ruleKey(vip, sp.port, proto)] = rule.eps.length ? { ...internal, offCluster: true } : internal;
      const local = spec.externalTrafficPolicy === 'Local' && rule.eps.length > 0;
      if (sp.nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
        for (const n of nodeInfo) {
          rules[ruleKey(n.ip, sp.nodePort, proto)] = local ? { ...rule, sel: [{ from: [...podCidrs, [n.ip, 32]], eps: rule.eps }, { from: [[0, 0]], eps: onNode(n.name) }], masqLocal: n.ip } : { ...rule, masq: n.ip };
        }
      }
      if (spec.type === 'LoadBalancer') {
        // eTP Local: the LB IP is announced by one node whose healthCheckNodePort answers 200 (a local ready
        // endpoint; MetalLB L2 elects among those), so outside clients reach only that node's endpoints, unSNATed.
        // eTP Cluster: any node may announce it (the first by name here); its traffic is masqueraded to that node.
        const announcer = local ? announcingNode(nodeInfo, onNode) : undefined;
        const entry = local ? undefined : announcingNode(nodeInfo, () => [true]);
        const entryIp = nodeInfo.find((n) => n.name === entry)?.ip;
        const lbRule: ServiceRule = local
          ? { ...rule, sel: [{ from: [...podCidrs, ...nodeInfo.map((n) => [n.ip, 32] as [number, number])], eps: rule.eps }, { from: [[0, 0]], eps: announcer ? onNode(announcer) : [] }], masqLocal: 0 }
          : { ...rule, ...(entryIp !== undefined ? { masq: entryIp } : {}) };
        for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
          const ip = ing.ip ? parseIpv4(ing.ip) : undefined;
          if (ip !== undefined) rules[ruleKey(ip, sp.port, proto)] = lbRule;
        }
      }
    }
  }
  const cidr = cidrOf(opts.clusterCidr ?? DEFAULT_CLUSTER_CIDR);
  return { rules, dns, nodes: nodeInfo.map((n) => [n.ip, n.cidr?.[0] ?? 0, n.cidr?.[1] ?? 0]), ...(cidr ? { cidr } : {}) };
}
