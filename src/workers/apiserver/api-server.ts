import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen } from '../../api/protocol';
import { rfc3339 } from '../../api/clock';
import type { Store } from '../../storage/store';
import type { ApiContext, DialNode, ResourceRequest } from './context';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, wantsAggregated, apiGroup, apiGroupList, apiVersions, groupVersionResources, rootPaths, VERSION_INFO } from './discovery';
import { ApiServerError, internalError, methodNotAllowed, pathNotFound } from './errors';
import { bindingHandler } from './handlers/binding';
import { evictionHandler } from './handlers/eviction';
import { createHandler } from './handlers/create';
import { deleteCollectionHandler, deleteHandler } from './handlers/delete';
import { getHandler } from './handlers/get';
import { listHandler } from './handlers/list';
import { logHandler } from './handlers/log';
import { logFollowHandler } from './handlers/log-follow';
import { execHandler, ExecInputs } from './handlers/exec';
import { portForwardHandler } from './handlers/portforward';
import { attachHandler } from './handlers/attach';
import { patchHandler } from './handlers/patch';
import { updateHandler } from './handlers/update';
import { scaleHandler } from './handlers/scale';
import { proxyHandler } from './handlers/proxy';
import type { NetworkFabric } from '../../network/network-fabric';
import { metricsHandler, METRICS_GROUP } from './metrics';
import { bootstrapSystemObjects } from './bootstrap';
import { ServiceAllocator, type ServiceAllocatorOptions } from './service-allocator';
import { watchHandler } from './handlers/watch';
import { finalizeNamespace } from './namespace-finalizer';
import { encodeObject, decodeKv } from './object-codec';
import { NAMESPACE_NAME_LABEL } from './registry/namespace-strategy';
import { podStrategy } from './registry/pod-strategy';
import { route } from './router';
import { builtinTable } from './registry/registry';
import { CrdRegistry } from './crd/crd-registry';
import { cleanupCustomResources, deleteCrdCollectionHandler, deleteCrdHandler } from './crd/crd-cleanup';
import { crdStrategy } from './crd/crd-strategy';
import { deprecationWarning } from './crd/custom-resource-strategy';
import { openApiV2AcceptsJson, openApiV2Doc, openApiV3Doc, openApiV3Root, type OpenApiDefinitions } from './openapi';
import { StreamHub } from './streams';
import { withAuthorization, type AuditEntry } from './authz';

/** audit(): the last requests answered (authz/audit-ring). */
export type ApiServer = ApiHandler & Disposable & { audit(): AuditEntry[] };

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  ids: IdSource;
  dialNode?: DialNode;
  /**
   * Empty and remove Terminating namespaces inside the apiserver (default true). Pass false when the
   * controller-manager's namespace controller does it (it then finalizes through PUT namespaces/x/finalize).
   */
  finalizeNamespaces?: boolean;
  /** Service ClusterIP / NodePort ranges (default 10.96.0.0/12 and 30000-32767). */
  serviceRanges?: ServiceAllocatorOptions;
  /** Every client gets a structured clone of each answer (served over postMessage): watch events then share one decode per revision. */
  shareWatchObjects?: boolean;
  /** Loads the OpenAPI schemas (public/openapi/definitions.json) for /openapi/v3; called at most once, on first use. */
  openApiDefinitions?: () => Promise<OpenApiDefinitions | undefined>;
  /** The pod network (src/network) the pods/services proxy subresources dial; absent: they answer 503. */
  network?: NetworkFabric;
}

const BOOTSTRAP_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

function isWatch(q: Record<string, string>): boolean {
  return q.watch === 'true' || q.watch === '1';
}

/** API errors become their Status; anything else is a bug or a store failure: 500, and logged. */
function toResponse(err: unknown): ApiResponse {
  if (!(err instanceof ApiServerError)) console.error('apiserver: internal error', err);
  const e = err instanceof ApiServerError ? err : internalError(err);
  return { status: e.code, body: e.status };
}

/** Dispatches a non-stream request to its verb handler; throws ApiServerError for API errors. */
async function dispatch(ctx: ApiContext, req: ApiRequest): Promise<ApiResponse> {
  const table = ctx.resources ?? builtinTable;
  const r = route(req.path, table);
  const query = req.query ?? {};
  if (r.kind === 'notFound') throw pathNotFound();
  if (r.kind === 'discovery') {
    if (req.method !== 'GET') throw methodNotAllowed();
    if ((r.doc === 'api' || r.doc === 'apis') && wantsAggregated(req.accept)) {
      return { status: 200, body: aggregatedDiscovery(r.doc === 'api', table.all()), headers: { 'Content-Type': AGGREGATED_CONTENT_TYPE } };
    }
    const body = { root: rootPaths, api: apiVersions, apiv1: () => groupVersionResources('', 'v1'), apis: () => apiGroupList(table.all()), version: () => VERSION_INFO, healthz: () => 'ok', openapiv3: () => openApiV3Root(table.all()) }[r.doc]();
    return { status: 200, body };
  }
  if (r.kind === 'openapiv2') {
    if (req.method !== 'GET') throw methodNotAllowed();
    if (!openApiV2AcceptsJson(req.accept)) throw pathNotFound();
    return { status: 200, body: openApiV2Doc(await ctx.openApi?.(), table.all()) };
  }
  if (r.kind === 'openapi') {
    const body = req.method === 'GET' ? openApiV3Doc(r.path, await ctx.openApi?.(), table.all()) : undefined;
    if (!body) throw pathNotFound();
    return { status: 200, body };
  }
  if (r.kind === 'groupDiscovery') {
    if (req.method !== 'GET') throw methodNotAllowed();
    const body = r.version === undefined ? apiGroup(r.group, table.all()) : groupVersionResources(r.group, r.version, table.all());
    if (!body) throw pathNotFound();
    return { status: 200, body };
  }
  if (r.kind === 'bindings') {
    if (req.method !== 'POST') throw methodNotAllowed();
    return bindingHandler(ctx, { strategy: podStrategy, namespace: r.namespace, req, query });
  }
  const rr: ResourceRequest = { strategy: r.strategy, namespace: r.namespace, name: r.name, subresource: r.subresource, req, query };
  if (r.strategy.ref.group === METRICS_GROUP) return metricsHandler(ctx, rr);
  const sub = r.subresource;
  if (r.name === undefined) {
    if (req.method === 'GET') {
      if (isWatch(query)) throw methodNotAllowed();
      return listHandler(ctx, rr);
    }
    if (r.allNamespaces) throw methodNotAllowed();
    if (req.method === 'POST') return createHandler(ctx, rr);
    if (req.method === 'DELETE' && r.strategy === crdStrategy) return deleteCrdCollectionHandler(ctx, rr);
    if (req.method === 'DELETE' && r.strategy.verbs.includes('deletecollection')) return deleteCollectionHandler(ctx, rr);
    throw methodNotAllowed();
  }
  if (sub === 'binding') {
    if (req.method !== 'POST') throw methodNotAllowed();
    return bindingHandler(ctx, rr);
  }
  if (sub === 'eviction') {
    if (req.method !== 'POST') throw methodNotAllowed();
    return evictionHandler(ctx, rr);
  }
  if (sub === 'log') {
    if (req.method !== 'GET') throw methodNotAllowed();
    return logHandler(ctx, rr);
  }
  if (sub === 'scale') {
    if (req.method !== 'GET' && req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed();
    return scaleHandler(ctx, rr);
  }
  if (sub === 'proxy') return proxyHandler(ctx, rr);
  if (sub !== undefined && sub !== 'status' && sub !== 'finalize' && !r.strategy.subresourceUpdates?.[sub]) throw methodNotAllowed();
  if (sub === 'finalize' && req.method !== 'PUT') throw methodNotAllowed();
  switch (req.method) {
    case 'GET':
      return getHandler(ctx, rr);
    case 'PUT':
      return updateHandler(ctx, rr);
    case 'PATCH':
      return patchHandler(ctx, rr);
    case 'DELETE':
      if (sub) throw methodNotAllowed();
      if (r.strategy === crdStrategy) return deleteCrdHandler(ctx, rr);
      return deleteHandler(ctx, rr);
    default:
      throw methodNotAllowed();
  }
}

/** Adds the Warning of a deprecated custom resource version to its responses. */
function withDeprecationWarning(res: ApiResponse, r: ReturnType<typeof route>): ApiResponse {
  const warning = r.kind === 'resource' ? deprecationWarning(r.strategy) : undefined;
  if (warning === undefined) return res;
  const own = `299 - ${JSON.stringify(warning)}`;
  const headers = { ...res.headers, warning: res.headers?.warning ? `${own}, ${res.headers.warning}` : own };
  return { ...res, headers };
}

async function bootstrapNamespaces(ctx: ApiContext): Promise<void> {
  for (const name of BOOTSTRAP_NAMESPACES) {
    const key = `/registry/namespaces/${name}`;
    if ((await ctx.store.get(key)).kv) continue;
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: ctx.ids.uid(), creationTimestamp: rfc3339(ctx.clock.now()), labels: { [NAMESPACE_NAME_LABEL]: name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    try {
      await ctx.store.create(key, encodeObject(ns));
    } catch {
      // created concurrently: fine
    }
  }
}

/**
 * The Kubernetes API over a Store (kube-apiserver's role). On creation it bootstraps the default
 * namespaces if absent and resumes cleanup of Terminating namespaces. request() never rejects for API
 * errors (it answers a Status); stream() serves watches and logs (follow=true: polled, until the
 * container has finished; otherwise one chunk).
 * dispose() ends every open stream and background task; the store stays open (its owner closes it).
 */
/** Memoises an async loader; a failed load is retried on the next call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load().catch((err: unknown) => {
    p = undefined;
    throw err;
  }));
}

export async function createApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const streams = new StreamHub();
  const execInputs = new ExecInputs();
  const finalizers = new Map<string, Disposable>();
  const crdCleanups = new Map<string, Disposable>();
  let disposed = false;
  const ctx: ApiContext = {
    store: opts.store,
    clock: opts.clock,
    ids: opts.ids,
    dialNode: opts.dialNode,
    streams,
    services: new ServiceAllocator(opts.store, opts.serviceRanges),
    openApi: opts.openApiDefinitions && once(opts.openApiDefinitions),
    network: opts.network,
    shareWatchObjects: opts.shareWatchObjects,
    finalizeNamespace(name) {
      if (disposed || finalizers.has(name) || opts.finalizeNamespaces === false) return;
      finalizers.set(name, finalizeNamespace(ctx, name, () => finalizers.delete(name)));
    },
  };
  // custom resources: served from established CRDs; Terminating CRDs get their instances removed
  const crds = new CrdRegistry(opts.store, (crd, strategies) => {
    const name = crd.metadata!.name!;
    if (disposed || crdCleanups.has(name)) return;
    crdCleanups.set(name, cleanupCustomResources(ctx, name, strategies, () => crdCleanups.delete(name)));
  });
  ctx.resources = crds;
  await crds.sync();
  crds.follow();
  await bootstrapNamespaces(ctx);
  await bootstrapSystemObjects(ctx);
  for (const kv of (await opts.store.list('/registry/namespaces/')).kvs) {
    if (decodeKv(kv).metadata?.deletionTimestamp) ctx.finalizeNamespace(decodeKv(kv).metadata!.name!);
  }

  const server: ApiHandler & Disposable = {
    async request(req: ApiRequest): Promise<ApiResponse> {
      try {
        if (isWatch(req.query ?? {}) && req.method === 'GET') {
          return toResponse(new ApiServerError(400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'watch requests must use stream()', reason: 'BadRequest', code: 400 }));
        }
        const res = await dispatch(ctx, req);
        // a CRD write is visible in discovery and routing when its response is
        if (req.method !== 'GET' && req.path.startsWith('/apis/apiextensions.k8s.io/')) await crds.sync();
        return withDeprecationWarning(res, route(req.path, crds));
      } catch (err) {
        return toResponse(err);
      }
    },
    async stream(req: ApiRequest): Promise<StreamOpen> {
      try {
        const r = route(req.path, crds);
        if (r.kind === 'resource' && req.method === 'GET' && isWatch(req.query ?? {}) && !r.subresource) {
          return await watchHandler(ctx, { strategy: r.strategy, namespace: r.namespace, name: r.name, req, query: req.query ?? {} });
        }
        if (r.kind === 'resource' && (req.method === 'POST' || req.method === 'GET') && r.subresource === 'exec') {
          return await execHandler(ctx, { strategy: r.strategy, namespace: r.namespace, name: r.name, subresource: 'exec', req, query: req.query ?? {} }, execInputs);
        }
        if (r.kind === 'resource' && (req.method === 'POST' || req.method === 'GET') && r.subresource === 'attach') {
          return await attachHandler(ctx, { strategy: r.strategy, namespace: r.namespace, name: r.name, subresource: 'attach', req, query: req.query ?? {} }, execInputs);
        }
        if (r.kind === 'resource' && (req.method === 'POST' || req.method === 'GET') && r.subresource === 'portforward') {
          return await portForwardHandler(ctx, { strategy: r.strategy, namespace: r.namespace, name: r.name, subresource: 'portforward', req, query: req.query ?? {} }, execInputs);
        }
        if (r.kind === 'resource' && req.method === 'GET' && r.subresource === 'log' && req.query?.follow === 'true') {
          return await logFollowHandler(ctx, { strategy: r.strategy, namespace: r.namespace, name: r.name, subresource: 'log', req, query: req.query ?? {} });
        }
        if (r.kind === 'resource' && req.method === 'GET' && r.subresource === 'log') {
          const res = await dispatch(ctx, req);
          const sink = streams.open();
          if (typeof res.body === 'string' && res.body) sink.push(res.body);
          sink.end();
          return { status: 200, body: undefined, headers: res.headers, streamId: sink.id };
        }
        const res = await dispatch(ctx, req);
        if (res.status >= 300) return res;
        throw methodNotAllowed();
      } catch (err) {
        return toResponse(err);
      }
    },
    read: (id) => streams.read(id),
    write: (id, input) => execInputs.write(id, input),
    cancel: (id) => streams.cancel(id),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const f of finalizers.values()) f.dispose();
      finalizers.clear();
      for (const c of crdCleanups.values()) c.dispose();
      crdCleanups.clear();
      crds.dispose();
      streams.dispose();
    },
  };
  return withAuthorization(server, { store: opts.store, clock: opts.clock, ids: opts.ids });
}
