import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import { listenTcp, type AsyncConn, type AsyncListener } from '../../network/dial-tcp';
import type { NetworkFabric } from '../../network/network-fabric';
import { nodeInternalIp } from './service-rules';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const enc = new TextEncoder();
const dec = new TextDecoder();

interface Served {
  listener: AsyncListener;
  namespace: string;
  name: string;
  /** Ready, non-terminating endpoints of the Service on this node. */
  count: number;
}

/**
 * kube-proxy's service health check server (pkg/proxy/healthcheck): for every LoadBalancer Service with
 * externalTrafficPolicy Local and a spec.healthCheckNodePort, an HTTP listener on each node's InternalIP at
 * that port. Any request gets 200 when the node has a local ready endpoint, else 503, with kube-proxy's JSON
 * body (`service`, `localEndpoints`, `serviceProxyHealthy`) and `X-Load-Balancing-Endpoint-Weight`. A port
 * another listener holds is logged and skipped (retried at the next sync).
 */
export class HealthCheckServer implements Disposable {
  private readonly served = new Map<string, Served>();
  private readonly owner: number;

  constructor(
    private readonly fabric: NetworkFabric,
    private readonly clock: Clock,
    private readonly log: (msg: string) => void,
  ) {
    this.owner = fabric.newOwner();
  }

  /** Opens, updates and closes listeners to match the Services, slices and Nodes. */
  sync(services: Service[], slices: EndpointSlice[], nodes: Node[]): void {
    const want = new Map<string, Omit<Served, 'listener'> & { ip: string; port: number }>();
    for (const svc of services) {
      const spec = svc.spec;
      const port = spec?.healthCheckNodePort;
      if (spec?.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local' || !port) continue;
      const namespace = svc.metadata?.namespace ?? 'default';
      const name = svc.metadata?.name ?? '';
      const eps = slices
        .filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name)
        .flatMap((s) => s.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.conditions?.terminating !== true);
      for (const node of nodes) {
        const ip = nodeInternalIp(node);
        if (!ip) continue;
        const count = eps.filter((e) => e.nodeName === node.metadata?.name).length;
        want.set(`${ip}:${port}`, { ip, port, namespace, name, count });
      }
    }
    for (const [key, s] of this.served) {
      const w = want.get(key);
      if (w && w.namespace === s.namespace && w.name === s.name) continue;
      s.listener.close();
      this.served.delete(key);
    }
    for (const [key, w] of want) {
      const have = this.served.get(key);
      if (have) {
        have.count = w.count;
        continue;
      }
      let listener: AsyncListener;
      try {
        listener = listenTcp(this.fabric, w.ip, w.port, { owner: this.owner, clock: this.clock });
      } catch (err) {
        this.log(`kube-proxy: health check for service ${w.namespace}/${w.name}: ${(err as Error).message}`);
        continue;
      }
      const served: Served = { listener, namespace: w.namespace, name: w.name, count: w.count };
      this.served.set(key, served);
      void this.acceptLoop(served);
    }
  }

  /** The listeners open, as "ip:port" (tests). */
  ports(): string[] {
    return [...this.served.keys()].sort();
  }

  private async acceptLoop(s: Served): Promise<void> {
    for (;;) {
      let conn: AsyncConn;
      try {
        conn = await s.listener.accept();
      } catch {
        return;
      }
      void this.serve(s, conn).catch(() => conn.close());
    }
  }

  private async serve(s: Served, conn: AsyncConn): Promise<void> {
    let head = '';
    while (!head.includes('\r\n\r\n') && head.length < 16 * 1024) {
      const chunk = await conn.read();
      if (!chunk) break;
      head += dec.decode(chunk);
    }
    const body = `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(s.namespace)},\n\t\t"name": ${JSON.stringify(s.name)}\n\t},\n\t"localEndpoints": ${s.count},\n\t"serviceProxyHealthy": true\n}`;
    const status = s.count ? '200 OK' : '503 Service Unavailable';
    const bytes = enc.encode(body);
    // Go's net/http writes the headers sorted; the connection closes after one response.
    const res =
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: ${bytes.length}\r\nContent-Type: application/json\r\n` +
      `Date: ${new Date(this.clock.now()).toUTCString()}\r\nX-Content-Type-Options: nosniff\r\nX-Load-Balancing-Endpoint-Weight: ${s.count}\r\n\r\n`;
    await conn.write(enc.encode(res));
    await conn.write(bytes);
    conn.close();
  }

  dispose(): void {
    for (const s of this.served.values()) s.listener.close();
    this.served.clear();
    this.fabric.releaseOwner(this.owner);
  }
}
