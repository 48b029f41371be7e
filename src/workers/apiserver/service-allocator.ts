import type { Service } from 'kubernetes-types/core/v1';
import type { Store } from '../../storage/store';
import { internalError, invalidError } from './errors';
import { goStringSlice, invalid, type FieldError } from './field-errors';

/**
 * ClusterIP and NodePort allocation (kube's ipallocator / portallocator). The allocated sets are not kept
 * in memory: each allocation reads the stored Services (so allocations survive restarts and deleting a
 * Service releases its IP and ports), plus the allocations held by writes still in flight. Dynamic picks
 * come from above the static band first (kube's KEP-3070), lowest free first.
 */
export interface ServiceAllocatorOptions {
  /** Service CIDR, default 10.96.0.0/12. */
  cidr?: string;
  /** NodePort range, default [30000, 32767]. */
  nodePorts?: [number, number];
  /** Addresses never handed out dynamically (still allocatable on request): default the range's 10th (kube-dns). */
  reserved?: string[];
}

export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const KUBE_DNS_IP = '10.96.0.10';

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

const intToIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** The static band: min(max(16, size/16), 256) addresses (ports: max 128) at the bottom of the range. */
const band = (size: number, cap: number) => Math.min(Math.max(16, Math.floor(size / 16)), cap);

/** kube's needsHCNodePort: a LoadBalancer with externalTrafficPolicy Local gets spec.healthCheckNodePort. */
export const needsHealthCheckNodePort = (svc: Service) => svc.spec?.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local';

export const needsNodePorts = (svc: Service) => svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false);

export class ServiceAllocator {
  readonly cidr: string;
  private readonly base: number;
  private readonly size: number;
  private readonly portMin: number;
  private readonly portMax: number;
  private readonly reserved: Set<string>;
  private readonly heldIps = new Set<string>();
  private readonly heldPorts = new Set<number>();

  constructor(
    private readonly store: Store,
    opts: ServiceAllocatorOptions = {},
  ) {
    this.cidr = opts.cidr ?? '10.96.0.0/12';
    const [net, bits] = this.cidr.split('/');
    this.size = 2 ** (32 - Number(bits));
    this.base = ipToInt(net)!;
    [this.portMin, this.portMax] = opts.nodePorts ?? [30000, 32767];
    this.reserved = new Set(opts.reserved ?? [intToIp(this.base + 10)]);
  }

  private async used(skipKey?: string): Promise<{ ips: Set<string>; ports: Set<number> }> {
    const ips = new Set(this.heldIps);
    const ports = new Set(this.heldPorts);
    for (const kv of (await this.store.list('/registry/services/')).kvs) {
      if (kv.key === skipKey) continue;
      const svc = JSON.parse(kv.value) as Service;
      for (const ip of svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])) ips.add(ip);
      for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
      if (svc.spec?.healthCheckNodePort) ports.add(svc.spec.healthCheckNodePort);
    }
    return { ips, ports };
  }

  private inRange(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  private pickIp(used: Set<string>): string | undefined {
    const staticBand = band(this.size, 256);
    const order = [
      [this.base + staticBand, this.base + this.size - 1],
      [this.base + 1, Math.min(this.base + staticBand, this.base + this.size - 1)],
    ];
    for (const [from, to] of order) {
      for (let n = from; n < to; n++) {
        const ip = intToIp(n);
        if (!used.has(ip) && !this.reserved.has(ip)) return ip;
      }
    }
    return undefined;
  }

  private pickPort(used: Set<number>): number | undefined {
    const staticBand = band(this.portMax - this.portMin + 1, 128);
    for (let p = this.portMin + staticBand; p <= this.portMax; p++) if (!used.has(p)) return p;
    for (let p = this.portMin; p < Math.min(this.portMin + staticBand, this.portMax + 1); p++) if (!used.has(p)) return p;
    return undefined;
  }

  /**
   * Fills spec.clusterIP(s) and nodePorts of svc (old: the stored Service on update, whose allocations it
   * may keep). Errors: 422 `spec.clusterIPs: Invalid value: []string{"x"}: failed to allocate IP x: provided
   * IP is already allocated` (or not in the valid range), 422 `spec.ports[i].nodePort: Invalid value: N:
   * provided port is already allocated` (or not in the valid range), all reported together; 500 when a
   * range is full. spec.healthCheckNodePort (LoadBalancer + externalTrafficPolicy Local only, else removed) is
   * allocated from the same range, a requested one kept if free: 500 `Internal error occurred: failed to
   * allocate requested HealthCheck NodePort N: provided port is already allocated`. Returns the release of the in-flight hold, to call once the write has finished.
   */
  async allocate(svc: Service, old: Service | undefined, key: string, kind: { kind: string; group: string }): Promise<() => void> {
    const spec = svc.spec!;
    const used = await this.used(old ? key : undefined);
    const errs: FieldError[] = [];
    const ips: string[] = [];
    const ports: number[] = [];
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && !old?.spec?.clusterIP) {
      const want = spec.clusterIP;
      if (want) {
        if (!this.inRange(want)) {
          errs.push(invalid('spec.clusterIPs', goStringSlice([want]), `failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${this.cidr}`));
        } else if (used.ips.has(want)) {
          errs.push(invalid('spec.clusterIPs', goStringSlice([want]), `failed to allocate IP ${want}: provided IP is already allocated`));
        } else ips.push(want);
      } else {
        const ip = this.pickIp(used.ips);
        if (!ip) throw internalError(new Error('failed to allocate a serviceIP: range is full'));
        ips.push(ip);
        spec.clusterIP = ip;
      }
      if (ips.length) spec.clusterIPs = [spec.clusterIP!];
    }
    if (needsNodePorts(svc)) {
      (spec.ports ?? []).forEach((p, i) => {
        const prev = old?.spec?.ports?.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))?.nodePort;
        if (p.nodePort) {
          if (p.nodePort === prev && old) return;
          if (p.nodePort < this.portMin || p.nodePort > this.portMax) {
            errs.push(invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.portMin}-${this.portMax}`));
          } else if (used.ports.has(p.nodePort) || ports.includes(p.nodePort)) {
            errs.push(invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
          } else ports.push(p.nodePort);
          return;
        }
        if (prev) {
          p.nodePort = prev;
          return;
        }
        // A requested healthCheckNodePort is not handed out to a port of the same Service.
        const port = this.pickPort(new Set([...used.ports, ...ports, ...(spec.healthCheckNodePort ? [spec.healthCheckNodePort] : [])]));
        if (!port) throw internalError(new Error('failed to allocate a nodePort: range is full'));
        p.nodePort = port;
        ports.push(port);
      });
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
    if (errs.length) throw invalidError(kind, svc.metadata?.name ?? '', errs);
    if (!needsHealthCheckNodePort(svc)) delete spec.healthCheckNodePort;
    else if (spec.healthCheckNodePort !== old?.spec?.healthCheckNodePort || !old || !needsHealthCheckNodePort(old)) {
      // allocHealthCheckNodePort: a 500, not a field error, as kube's.
      const want = spec.healthCheckNodePort;
      if (want) {
        if (want < this.portMin || want > this.portMax) throw internalError(new Error(`failed to allocate requested HealthCheck NodePort ${want}: provided port is not in the valid range. The range of valid ports is ${this.portMin}-${this.portMax}`));
        if (used.ports.has(want) || ports.includes(want)) throw internalError(new Error(`failed to allocate requested HealthCheck NodePort ${want}: provided port is already allocated`));
        ports.push(want);
      } else {
        const port = this.pickPort(new Set([...used.ports, ...ports]));
        if (!port) throw internalError(new Error('failed to allocate a HealthCheck NodePort 0: range is full'));
        spec.healthCheckNodePort = port;
        ports.push(port);
      }
    }
    for (const ip of ips) this.heldIps.add(ip);
    for (const p of ports) this.heldPorts.add(p);
    return () => {
      for (const ip of ips) this.heldIps.delete(ip);
      for (const p of ports) this.heldPorts.delete(p);
    };
  }
}
