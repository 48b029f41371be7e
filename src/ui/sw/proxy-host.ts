import type { Endpoints, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { ApiHandler } from '../../api/protocol';
import type { Disposable } from '../../api/disposable';
import { EndpointsRef, Nodes, Pods, Services, type ResourceRef } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { httpRequest, httpRequestOverConn, ProxyTargetError, resolvePodTarget, resolveServiceTarget, type ProxyLookup, type ProxyTarget } from '../../network/http';
import type { NetworkFabric } from '../../network/network-fabric';
import { answerApiRequest } from './api-bridge';
import { connPipe } from './conn-pipe';
import { TabPortForwards } from './port-forward-host';
import { discoverPreviewOrigin, relayTargetAllowed } from './preview-origin';
import { PROXY_MESSAGE, PROXY_PREFIX, type ProxyRequestMessage, type ProxyResponseMessage } from './proxy-protocol';

/** Where the proxy Service Worker is served (vite.config.ts builds src/ui/sw/service-worker.ts there). */
export const PROXY_SW_URL = '/proxy-sw.js';

/** `/_/svc/<ns>/<name>:<port>/`, `/_/pod/<ns>/<name>:<port>/` or `/_/nodeport/<port>/`: a URL the Service Worker serves. */
export function proxyUrl(kind: 'pod' | 'service', namespace: string, name: string, port: number | string): string;
export function proxyUrl(kind: 'nodeport', port: number): string;
export function proxyUrl(kind: 'ingress', host: string): string;
export function proxyUrl(kind: 'pod' | 'service' | 'nodeport' | 'ingress', a: string | number, b?: string, c?: number | string): string {
  if (kind === 'nodeport') return `${PROXY_PREFIX}nodeport/${a}/`;
  if (kind === 'ingress') return `${PROXY_PREFIX}ingress/${encodeURIComponent(String(a))}/`;
  return `${PROXY_PREFIX}${kind === 'service' ? 'svc' : 'pod'}/${encodeURIComponent(String(a))}/${encodeURIComponent(String(b))}:${encodeURIComponent(String(c))}/`;
}

/** The Service an Ingress URL is sent to (port 80, with the URL's host as Host): the ingress controller. */
export const INGRESS_CONTROLLER = { namespace: 'ingress-nginx', service: 'ingress-nginx-controller', port: 80 };

/** Everything answerProxyRequest reads besides the fabric. */
export interface ProxyDeps {
  lookup: ProxyLookup;
  /** The cluster's nodes (NodePort URLs go to a Ready node's InternalIP). */
  nodes(): Promise<Node[]>;
  forwards: TabPortForwards;
  /** /_/api/ requests. */
  api: ApiHandler;
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
 * Resolves and performs one proxied request (msg.target is what follows /_/). Answers (never rejects): the
 * upstream response, with `X-Tabernetes-Upstream: <host>` naming the address it came from (the SW rewrites
 * Location headers pointing there); 404 for an unknown pod, Service, forward id or malformed URL; 400
 * `address not allowed` (pod without an IP); 503 `no endpoints available for service "x"`, or for /_/ingress/
 * without the controller Service; 502 with Go's dial message when the dial or the exchange fails. Each error is
 * a small HTML page. /_/api/ answers come from answerApiRequest (undefined: it streams on `port` itself).
 */
export async function answerProxyRequest(fabric: NetworkFabric, deps: ProxyDeps, msg: ProxyRequestMessage, port?: MessagePort): Promise<ProxyResponseMessage | undefined> {
  const q = msg.target.indexOf('?');
  const [pathPart, query] = q < 0 ? [msg.target, ''] : [msg.target.slice(0, q), msg.target.slice(q)];
  const segs = pathPart.split('/');
  if (segs[0] === 'api' && port) return answerApiRequest(deps.api, msg, port);
  let target: ProxyTarget | undefined;
  let forward: ReturnType<TabPortForwards['get']>;
  let host: string | undefined;
  let rest: string[];
  try {
    const dec = segs.map((s) => decodeURIComponent(s));
    if (dec[0] === 'nodeport' && /^\d+$/.test(dec[1] ?? '')) {
      const nodes = await deps.nodes();
      const ready = nodes.find((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ?? nodes[0];
      const ip = ready?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      if (!ip) return htmlError(503, 'Service Unavailable', 'no node has an InternalIP');
      target = { ip, port: Number(dec[1]) };
      rest = segs.slice(2);
    } else if ((dec[0] === 'pod' || dec[0] === 'svc') && dec[1] && dec[2]) {
      target = dec[0] === 'pod' ? await resolvePodTarget(deps.lookup, dec[1], dec[2]) : await resolveServiceTarget(deps.lookup, dec[1], dec[2]);
      rest = segs.slice(3);
    } else if (dec[0] === 'ingress' && dec[1]) {
      const c = INGRESS_CONTROLLER;
      if (!(await deps.lookup.service(c.namespace, c.service))) {
        return htmlError(503, 'Service Unavailable', `no ingress controller: Service ${c.namespace}/${c.service} does not exist. Install the ingress controller, then reload.`);
      }
      target = await resolveServiceTarget(deps.lookup, c.namespace, `${c.service}:${c.port}`);
      host = dec[1];
      rest = segs.slice(2);
    } else if (dec[0] === 'portforward' && /^\d+$/.test(dec[1] ?? '')) {
      forward = deps.forwards.get(Number(dec[1]));
      if (!forward) return htmlError(404, 'Not Found', `no port-forward on ${dec[1]}: run kubectl port-forward TYPE/NAME ${dec[1]}:PORT in the terminal`);
      host = `localhost:${dec[1]}`;
      rest = segs.slice(2);
    } else {
      return htmlError(404, 'Not Found', `no such proxy target "${pathPart}": use /_/svc/<namespace>/<service>:<port>/, /_/pod/<namespace>/<pod>:<port>/, /_/nodeport/<port>/, /_/ingress/<host>/ or /_/portforward/<id>/`);
    }
  } catch (err) {
    if (err instanceof ProxyTargetError) return htmlError(err.code, { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' }[err.code], err.message);
    if (err instanceof URIError) return htmlError(404, 'Not Found', `malformed proxy URL "${pathPart}"`);
    throw err;
  }
  if (target && Number.isNaN(target.port)) return htmlError(502, 'Bad Gateway', `dial tcp: address ${target.ip}: unknown port`);
  const headers = msg.headers.filter(([k]) => !['cookie', 'authorization', 'origin', 'referer'].includes(k.toLowerCase()));
  const req = { method: msg.method, path: `/${rest.join('/')}${query}`, headers, ...(msg.body ? { body: new Uint8Array(msg.body) } : {}) };
  try {
    let res;
    if (forward) {
      const [mine, theirs] = connPipe();
      forward.onConnection(theirs);
      try {
        res = await httpRequestOverConn(mine, { ...req, host: host! });
      } finally {
        mine.close();
      }
    } else res = await httpRequest(fabric, target!.ip, target!.port, { ...req, ...(host ? { host } : {}) });
    const upstream = host ?? `${target!.ip}:${target!.port}`;
    return { status: res.status, statusText: res.statusText, headers: [...res.headers, ['X-Tabernetes-Upstream', upstream]], body: buf(res.body) };
  } catch (err) {
    return htmlError(502, 'Bad Gateway', String((err as Error)?.message ?? err));
  }
}

/**
 * Serves the proxy Service Worker's requests from this tab (the one holding the cluster's fabric): registers
 * the worker at PROXY_SW_URL with root scope and answers its ProxyRequestMessages. dispose() stops answering
 * (the worker then times out to its "no tab is running the cluster" page). Registration failures are logged,
 * not thrown: the app works without /_/ URLs. `forwards` holds the terminal's kubectl port-forwards.
 * Also answers the same messages posted to this window from the preview origin (discoverPreviewOrigin: the preview
 * pane's bootstrap frame relays its origin's Service Worker), except /_/api/ ones: 403, as a pod's page there
 * may post anything.
 */
export function serveProxyRequests(fabric: NetworkFabric, client: ApiClient, forwards = new TabPortForwards()): Disposable {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container) return { dispose() {} };
  const deps: ProxyDeps = {
    lookup: apiLookup(client),
    nodes: async () => (await client.list<Node>(Nodes)).items,
    forwards,
    api: client.transport as unknown as ApiHandler,
  };
  const answer = (msg: ProxyRequestMessage, port: MessagePort) =>
    void answerProxyRequest(fabric, deps, msg, port)
      .catch((err: unknown) => htmlError(500, 'Internal Server Error', String((err as Error)?.message ?? err)))
      .then((res) => res && port.postMessage(res, [res.body]));
  const onMessage = (e: MessageEvent) => {
    const msg = e.data as ProxyRequestMessage | undefined;
    const port = e.ports[0];
    if (msg?.type !== PROXY_MESSAGE || !port) return;
    answer(msg, port);
  };
  let previewOrigin: string | undefined;
  void discoverPreviewOrigin().then((o) => (previewOrigin = o));
  const onRelay = (e: MessageEvent) => {
    const msg = e.data as ProxyRequestMessage | undefined;
    const port = e.ports[0];
    if (!previewOrigin || e.origin !== previewOrigin || msg?.type !== PROXY_MESSAGE || !port) return;
    const refused = !relayTargetAllowed(msg.target)
      ? htmlError(403, 'Forbidden', 'forbidden: /_/api/ is served to the Tabernetes app only, not to pages served from the cluster')
      : !Array.isArray(msg.headers) || typeof msg.method !== 'string'
        ? htmlError(400, 'Bad Request', 'malformed proxy request')
        : undefined;
    if (refused) return port.postMessage(refused, [refused.body]);
    answer(msg, port);
  };
  window.addEventListener('message', onRelay);
  container.addEventListener('message', onMessage);
  container.startMessages?.();
  container.register(PROXY_SW_URL, { scope: '/' }).catch((err: unknown) => console.warn('tabernetes: the /_/ Service Worker did not register:', err));
  return { dispose: () => (container.removeEventListener('message', onMessage), window.removeEventListener('message', onRelay)) };
}
