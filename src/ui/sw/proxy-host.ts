import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../api/disposable';
import { EndpointsRef, Pods, Services, type ResourceRef } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { httpRequest, ProxyTargetError, resolvePodTarget, resolveServiceTarget, type ProxyLookup, type ProxyTarget } from '../../network/http';
import type { NetworkFabric } from '../../network/network-fabric';
import { PROXY_MESSAGE, PROXY_PREFIX, type ProxyRequestMessage, type ProxyResponseMessage } from './proxy-protocol';

/** Where the proxy Service Worker is served (vite.config.ts builds src/ui/sw/service-worker.ts there). */
export const PROXY_SW_URL = '/proxy-sw.js';

/** `/proxy/service/<ns>/<name>:<port>/`, `/proxy/pod/<ns>/<name>:<port>/` or `/proxy/node/<ip>:<port>/`: a URL the Service Worker serves. */
export function proxyUrl(kind: 'pod' | 'service', namespace: string, name: string, port: number | string): string;
export function proxyUrl(kind: 'node', ip: string, port: number): string;
export function proxyUrl(kind: 'pod' | 'service' | 'node', a: string, b: string | number, c?: number | string): string {
  return kind === 'node' ? `${PROXY_PREFIX}node/${a}:${b}/` : `${PROXY_PREFIX}${kind}/${encodeURIComponent(a)}/${encodeURIComponent(String(b))}:${encodeURIComponent(String(c))}/`;
}

function apiLookup(client: ApiClient): ProxyLookup {
  const get = <T>(ref: ResourceRef, ns: string, name: string) =>
    client.get<T>(ref, name, ns).catch((err: unknown) => {
      if ((err as { code?: number })?.code === 404 || (err as { status?: { code?: number } })?.status?.code === 404) return undefined;
      throw err;
    });
  return { pod: (ns, n) => get<Pod>(Pods, ns, n), service: (ns, n) => get<Service>(Services, ns, n), endpoints: (ns, n) => get<Endpoints>(EndpointsRef, ns, n) };
}

const enc = new TextEncoder();
const buf = (b: Uint8Array): ArrayBuffer => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : (b.slice().buffer as ArrayBuffer));

function htmlError(status: number, statusText: string, detail: string): ProxyResponseMessage {
  const esc = detail.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const html = `<!doctype html><meta charset="utf-8"><title>${status} ${statusText}</title><h1>${status} ${statusText}</h1><pre>${esc}</pre>\n`;
  return { status, statusText, headers: [['Content-Type', 'text/html; charset=utf-8']], body: buf(enc.encode(html)) };
}

/**
 * Resolves and performs one proxied request. Answers (never rejects): the upstream response; 404 for an
 * unknown pod, service or malformed URL; 400 `address not allowed` (pod without an IP); 503 `no endpoints
 * available for service "x"`; 502 with Go's dial message (`dial tcp 10.244.1.5:80: connect: connection refused`)
 * when the dial or the exchange fails. Each error is a small HTML page.
 */
export async function answerProxyRequest(fabric: NetworkFabric, lookup: ProxyLookup, msg: ProxyRequestMessage): Promise<ProxyResponseMessage> {
  const q = msg.target.indexOf('?');
  const [pathPart, query] = q < 0 ? [msg.target, ''] : [msg.target.slice(0, q), msg.target.slice(q)];
  const segs = pathPart.split('/');
  let target: ProxyTarget;
  let rest: string[];
  try {
    const dec = segs.map((s) => decodeURIComponent(s));
    if (dec[0] === 'node' && /^\d+\.\d+\.\d+\.\d+:\d+$/.test(dec[1] ?? '')) {
      const [ip, port] = dec[1].split(':');
      target = { ip, port: Number(port) };
      rest = segs.slice(2);
    } else if ((dec[0] === 'pod' || dec[0] === 'service') && dec[1] && dec[2]) {
      target = dec[0] === 'pod' ? await resolvePodTarget(lookup, dec[1], dec[2]) : await resolveServiceTarget(lookup, dec[1], dec[2]);
      rest = segs.slice(3);
    } else {
      return htmlError(404, 'Not Found', `no such proxy target "${pathPart}": use /proxy/pod/<namespace>/<name>:<port>/, /proxy/service/<namespace>/<name>:<port>/ or /proxy/node/<nodeIP>:<nodePort>/`);
    }
  } catch (err) {
    if (err instanceof ProxyTargetError) return htmlError(err.code, { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' }[err.code], err.message);
    if (err instanceof URIError) return htmlError(404, 'Not Found', `malformed proxy URL "${pathPart}"`);
    throw err;
  }
  if (Number.isNaN(target.port)) return htmlError(502, 'Bad Gateway', `dial tcp: address ${target.ip}: unknown port`);
  const headers = msg.headers.filter(([k]) => !['cookie', 'authorization', 'origin', 'referer'].includes(k.toLowerCase()));
  try {
    const res = await httpRequest(fabric, target.ip, target.port, { method: msg.method, path: `/${rest.join('/')}${query}`, headers, ...(msg.body ? { body: new Uint8Array(msg.body) } : {}) });
    return { status: res.status, statusText: res.statusText, headers: res.headers, body: buf(res.body) };
  } catch (err) {
    return htmlError(502, 'Bad Gateway', String((err as Error)?.message ?? err));
  }
}

/**
 * Serves the proxy Service Worker's requests from this tab (the one holding the cluster's fabric): registers
 * the worker at PROXY_SW_URL with root scope and answers its ProxyRequestMessages. dispose() stops answering
 * (the worker then times out to its "no tab is running the cluster" page). Registration failures are logged,
 * not thrown: the app works without /proxy/ URLs.
 */
export function serveProxyRequests(fabric: NetworkFabric, client: ApiClient): Disposable {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container) return { dispose() {} };
  const lookup = apiLookup(client);
  const onMessage = (e: MessageEvent) => {
    const msg = e.data as ProxyRequestMessage | undefined;
    const port = e.ports[0];
    if (msg?.type !== PROXY_MESSAGE || !port) return;
    void answerProxyRequest(fabric, lookup, msg)
      .catch((err: unknown) => htmlError(500, 'Internal Server Error', String((err as Error)?.message ?? err)))
      .then((res) => port.postMessage(res, [res.body]));
  };
  container.addEventListener('message', onMessage);
  container.startMessages?.();
  container.register(PROXY_SW_URL, { scope: '/' }).catch((err: unknown) => console.warn('tabernetes: the /proxy/ Service Worker did not register:', err));
  return { dispose: () => container.removeEventListener('message', onMessage) };
}
