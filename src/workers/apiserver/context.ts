import type { Remote } from 'comlink';
import type { Clock } from '../../api/clock';
import type { IdSource } from '../../api/ids';
import type { ApiRequest, KubeletApi } from '../../api/protocol';
import type { Store } from '../../storage/store';
import type { ResourceStrategy } from './registry/strategy';
import type { StreamHub } from './streams';
import type { ServiceAllocator } from './service-allocator';
import type { StrategyTable } from './registry/registry';

export type DialNode = (nodeName: string) => KubeletApi | Remote<KubeletApi> | undefined;

/** Everything a handler may touch. Handlers are otherwise pure functions of (context, request). */
import type { OpenApiDefinitions } from './openapi';
import type { NetworkFabric } from '../../network/network-fabric';

export interface ApiContext {
  store: Store;
  clock: Clock;
  ids: IdSource;
  dialNode?: DialNode;
  streams: StreamHub;
  /** ClusterIP / NodePort allocation for Services. */
  services: ServiceAllocator;
  /** The OpenAPI schemas (loaded once, on first use); undefined when the host has none. */
  openApi?: () => Promise<OpenApiDefinitions | undefined>;
  /** The resources served: built-ins plus established CRDs' custom resources (default: built-ins only). */
  resources?: StrategyTable;
  /** The pod network, for the pods/services proxy subresources; absent: they answer 503. */
  network?: NetworkFabric;
  /**
   * Every client receives a structured clone of what it is sent (the Worker: postMessage), so watches may emit
   * one shared decode per revision instead of one per watcher. False/absent (in-process clients): never shared.
   */
  shareWatchObjects?: boolean;
  /** Starts (idempotently) the cleanup of a namespace marked Terminating. */
  finalizeNamespace(name: string): void;
}

/** A request the router resolved to a resource. namespace is the path's (undefined for cluster-scoped or all-namespaces). */
export interface ResourceRequest {
  strategy: ResourceStrategy;
  namespace?: string;
  name?: string;
  subresource?: string;
  req: ApiRequest;
  query: Record<string, string>;
}

export function isDryRun(rr: ResourceRequest): boolean {
  if (rr.query.dryRun === 'All') return true;
  const body = rr.req.method === 'DELETE' ? (rr.req.body as { dryRun?: unknown } | undefined) : undefined;
  return Array.isArray(body?.dryRun) && body.dryRun.includes('All');
}
