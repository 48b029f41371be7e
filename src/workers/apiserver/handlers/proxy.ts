import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import type { ApiResponse } from '../../../api/protocol';
import { failureStatus } from '../../../api/status';
import { NetError } from '../../../network/dial-tcp';
import { httpRequest, ProxyTargetError, resolvePodTarget, resolveServiceTarget, type ProxyLookup, type ProxyTarget } from '../../../network/http';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError } from '../errors';
import { decodeKv, objectKey } from '../object-codec';
import { builtinTable } from '../registry/registry';

/** The HTTP methods kube-apiserver proxies (PodProxyOptions / ServiceProxyOptions connect verbs). */
const PROXY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function storeLookup(ctx: ApiContext): ProxyLookup {
  const read = async <T>(resource: string, namespace: string, name: string): Promise<T | undefined> => {
    const s = builtinTable.lookup('', 'v1', resource)!;
    const { kv } = await ctx.store.get(objectKey(s, namespace, name));
    return kv ? (decodeKv(kv) as unknown as T) : undefined;
  };
  return {
    pod: (ns, n) => read<Pod>('pods', ns, n),
    service: (ns, n) => read<Service>('services', ns, n),
    endpoints: (ns, n) => read<Endpoints>('endpoints', ns, n),
  };
}

function fail(code: number, message: string, details?: { name: string; kind: string }): ApiServerError {
  const reason = code === 400 ? 'BadRequest' : code === 404 ? 'NotFound' : 'ServiceUnavailable';
  const s = failureStatus(reason, message, details);
  return new ApiServerError(s.code!, s);
}

/** The path after `<resource>/<name>/proxy` in the raw request path ('' for none, '/' for a trailing slash). */
export function proxySubpath(path: string, resource: string): string {
  const m = new RegExp(`/${resource}/[^/]+/proxy(/.*)?$`).exec(path);
  return m?.[1] ?? '';
}

/** Go's textproto.CanonicalMIMEHeaderKey: content-type → Content-Type. */
function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

function encodeQuery(q: Record<string, string>): string {
  const parts = Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function bodyBytes(body: unknown): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * pods/<name>[:port]/proxy/<path> and services/<name>[:port]/proxy/<path> (GET, HEAD, POST, PUT, PATCH,
 * DELETE), as kube-apiserver's proxy REST: the request goes to the target over the pod network (ctx.network)
 * as HTTP/1.1 and the answer is the upstream's own status, headers and body (a Uint8Array). Errors are
 * Status: 400/404/503 from ResourceLocation (proxy-target), 503 `error trying to reach service: dial tcp
 * 10.244.1.5:80: connect: connection refused` when the dial or the exchange fails, 405 for other methods.
 * An empty subpath on GET/HEAD is answered 301 to the same path with a trailing slash, as kube does.
 */
export async function proxyHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const { req } = rr;
  if (!PROXY_METHODS.has(req.method)) {
    const s = failureStatus('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    throw new ApiServerError(405, s);
  }
  const resource = rr.strategy.ref.resource;
  const lookup = storeLookup(ctx);
  let target: ProxyTarget;
  try {
    target = resource === 'pods' ? await resolvePodTarget(lookup, rr.namespace!, rr.name!) : await resolveServiceTarget(lookup, rr.namespace!, rr.name!);
  } catch (err) {
    if (!(err instanceof ProxyTargetError)) throw err;
    throw fail(err.code, err.message, err.notFound && { name: err.notFound.name, kind: err.notFound.resource });
  }
  const sub = proxySubpath(req.path, resource);
  const query = encodeQuery(rr.query);
  if (sub === '' && (req.method === 'GET' || req.method === 'HEAD')) {
    return { status: 301, body: '', headers: { Location: `${req.path}/${query}` } };
  }
  const where = `${target.ip}:${Number.isNaN(target.port) ? rr.name!.split(':').pop() : target.port}`;
  if (Number.isNaN(target.port)) throw fail(503, `error trying to reach service: dial tcp: address ${where}: unknown port`);
  if (!ctx.network) throw fail(503, `error trying to reach service: dial tcp ${where}: connect: network is unreachable`);
  const headers: Array<[string, string]> = [];
  if (req.accept) headers.push(['Accept', req.accept]);
  if (req.contentType) headers.push(['Content-Type', req.contentType]);
  if (req.userAgent) headers.push(['User-Agent', req.userAgent]);
  try {
    const res = await httpRequest(ctx.network, target.ip, target.port, { method: req.method, path: `${sub || '/'}${query}`, headers, body: bodyBytes(req.body) }, { clock: ctx.clock, timeoutMs: 30_000 });
    const out: Record<string, string> = {};
    for (const [name, v] of res.headers) {
      const k = canonicalHeader(name);
      out[k] = out[k] === undefined ? v : `${out[k]}, ${v}`;
    }
    return { status: res.status, body: res.body, headers: out };
  } catch (err) {
    const msg = err instanceof NetError || err instanceof Error ? err.message : String(err);
    throw fail(503, `error trying to reach service: ${msg}`);
  }
}
