/**
 * The proxy Service Worker, served at /proxy-sw.js (root scope; vite.config.ts compiles this one file, which
 * must import nothing at runtime). Contracts:
 * - Scopes: `/_/svc/<ns>/<svc>:<port>`, `/_/pod/<ns>/<pod>:<port>`, `/_/nodeport/<port>`, `/_/ingress/<host>`,
 *   `/_/portforward/<id>` and `/_/api`. Every request under one is handed to the tab that runs the cluster
 *   (proxy-host.ts): a ProxyRequestMessage with a MessagePort to each window client, the first answer wins; no
 *   answer within 10 s: 503 with an HTML page. A streamed answer (a watch) becomes a streamed Response.
 * - Old `/proxy/service|pod|node/…` URLs redirect (302) to their `/_/` form.
 * - Subresource scoping (as WordPress Playground): a same-origin request outside every scope made by a page
 *   that was served inside one (known by the page's client id, recorded when its navigation was answered, else
 *   looked up with clients.get, else by its referrer, which also covers link navigations) is sent to that scope: `/style.css` from `/_/svc/default/web:80/` goes to
 *   `/_/svc/default/web:80/style.css`. Location headers of backend redirects are rewritten into the scope.
 * - Pages under a scope get `Content-Security-Policy: sandbox allow-same-origin …; script-src 'none'` (no script
 *   runs, so nothing can reach the app's IndexedDB or DOM; see SAFETY_HEADERS) and COEP/COOP/CORP — except on
 *   the preview origin (src/ui/sw/preview-origin.ts), where the answer comes relayed through a bootstrap page
 *   at PREVIEW_FRAME and the page keeps its scripts (PREVIEW_HEADERS). Pages under a scope are never asked.
 * - coi-serviceworker's role: the app's own navigations get COOP/COEP/CORP added when the server sent none, so
 *   a static host without headers is cross-origin isolated once this worker controls the page.
 * Types: src/ui is checked with the DOM lib, so the few Service Worker globals used are declared here.
 */
import type { ProxyChunkMessage, ProxyRequestMessage, ProxyResponseMessage } from './proxy-protocol';

interface SwClient {
  readonly url: string;
  postMessage(message: unknown, transfer: Transferable[]): void;
}
interface SwFetchEvent extends Event {
  readonly request: Request;
  readonly clientId: string;
  readonly resultingClientId: string;
  respondWith(response: Promise<Response> | Response): void;
}
interface SwExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwScope {
  clients: { matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly SwClient[]>; get(id: string): Promise<SwClient | undefined>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'fetch', fn: (e: SwFetchEvent) => void): void;
  addEventListener(type: 'install' | 'activate', fn: (e: SwExtendableEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  location: Location;
}
const sw = self as unknown as SwScope;

// Literal copies (this file is compiled alone): proxy-protocol.ts's PROXY_MESSAGE and PROXY_PREFIX.
const MESSAGE: ProxyRequestMessage['type'] = 'tabernetes-proxy';
const PREFIX = '/_/';
const ANSWER_TIMEOUT_MS = 10_000;

const ISOLATION: Array<[string, string]> = [
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];
/**
 * Added to every pod-side answer: COEP/COOP/CORP so it loads in the isolated app, and a CSP sandbox that
 * keeps the origin (allow-same-origin) but runs no script: browsers do not let a Service Worker control an
 * opaque-origin document, so a script-capable sandbox would send every subresource of the page past this
 * worker. With no script, the page cannot open the app's IndexedDB or reach the app's DOM, and its
 * subresources, forms and links stay in its scope.
 */
const SAFETY_HEADERS: Array<[string, string]> = [...ISOLATION, ['Content-Security-Policy', "sandbox allow-same-origin allow-forms allow-popups allow-downloads; script-src 'none'; object-src 'none'"]];
/**
 * Added instead when the answer was relayed by the preview origin's bootstrap page (PREVIEW_FRAME): that
 * origin holds only previews, so the page's scripts run, and CORP lets the app (another site) frame it.
 */
const PREVIEW_HEADERS: Array<[string, string]> = [
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
];
// Literal copy of preview-origin.ts's PREVIEW_FRAME_PATH.
const PREVIEW_FRAME = '/preview-frame.html';

/** Segments after /_/ that a scope of each kind spans (the kind included). */
const SCOPE_SEGMENTS: Record<string, number> = { svc: 3, pod: 3, nodeport: 2, ingress: 2, portforward: 2, api: 1 };

/** The scope a path is under (`/_/svc/default/web:80`), or undefined. */
function scopeOf(pathname: string): string | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const segs = pathname.slice(PREFIX.length).split('/');
  const n = SCOPE_SEGMENTS[segs[0]];
  if (!n || segs.length < n || segs.slice(0, n).some((s) => s === '')) return undefined;
  return PREFIX + segs.slice(0, n).join('/');
}

/** `/proxy/service/<ns>/<svc>:<port>/…` → `/_/svc/…`, `/proxy/pod/…` → `/_/pod/…`, `/proxy/node/<ip>:<port>/…` → `/_/nodeport/<port>/…`. */
function legacyPath(pathname: string): string | undefined {
  const m = /^\/proxy\/(service|pod|node)\/(.*)$/.exec(pathname);
  if (!m) return undefined;
  if (m[1] !== 'node') return `${PREFIX}${m[1] === 'service' ? 'svc' : 'pod'}/${m[2]}`;
  const n = /^[^/:]+:(\d+)(\/.*)?$/.exec(m[2]);
  return n ? `${PREFIX}nodeport/${n[1]}${n[2] ?? '/'}` : undefined;
}

/**
 * A backend's Location made to stay in `scope`: root-relative paths and absolute URLs on our origin or on the
 * backend's own address (`http://10.244.1.5:80/x`, or any http URL whose host is the one we sent) get the
 * scope prefix; relative references and other sites are left alone.
 */
function scopeLocation(location: string, scope: string, origin: string, upstreamHosts: string[]): string {
  if (location.startsWith('//')) return location;
  if (location.startsWith('/')) return location.startsWith(PREFIX) ? location : scope + location;
  let u: URL;
  try {
    u = new URL(location);
  } catch {
    return location;
  }
  if (u.origin === origin) return scopeOf(u.pathname) ? location : origin + scope + u.pathname + u.search + u.hash;
  const hostOf = (h: string) => new URL(`${u.protocol}//${h}`).host; // default ports compare equal
  if ((u.protocol === 'http:' || u.protocol === 'https:') && upstreamHosts.some((h) => hostOf(h) === u.host)) return origin + scope + u.pathname + u.search + u.hash;
  return location;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function errorPage(status: number, title: string, detail: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title><h1>${status} ${escapeHtml(title)}</h1><pre>${escapeHtml(detail)}</pre>`;
  return new Response(html, { status, statusText: title, headers: [['Content-Type', 'text/html; charset=utf-8'], ...SAFETY_HEADERS] });
}

/**
 * Posts msg to every client outside the /_/ scopes (pages served from the cluster are never asked, so a
 * preview's script cannot answer for the cluster); the first answer wins. `relayed`: the answering client is
 * a preview bootstrap page (PREVIEW_FRAME), which relays to the app that framed it.
 */
function ask(clients: readonly SwClient[], msg: ProxyRequestMessage): Promise<{ answer: ProxyResponseMessage; port: MessagePort; relayed: boolean } | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ANSWER_TIMEOUT_MS);
    for (const c of clients) {
      const path = new URL(c.url).pathname;
      if (scopeOf(path)) continue;
      const ch = new MessageChannel();
      ch.port1.onmessage = (e: MessageEvent<ProxyResponseMessage>) => {
        clearTimeout(timer);
        ch.port1.onmessage = null;
        resolve({ answer: e.data, port: ch.port1, relayed: path === PREVIEW_FRAME });
      };
      c.postMessage(msg, [ch.port2]);
    }
  });
}

/** The rest of a streamed answer as a ReadableStream; cancelling it tells the tab to stop. */
function streamBody(first: ArrayBuffer, port: MessagePort): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.byteLength) controller.enqueue(new Uint8Array(first));
      port.onmessage = (e: MessageEvent<ProxyChunkMessage>) => {
        if (e.data.chunk) controller.enqueue(new Uint8Array(e.data.chunk));
        if (e.data.end) (controller.close(), port.close());
      };
    },
    cancel() {
      port.postMessage({ cancel: true });
      port.close();
    },
  });
}

async function proxy(request: Request, pathname: string, search: string, scope: string): Promise<Response> {
  const target = pathname.slice(PREFIX.length) + search;
  const headers: Array<[string, string]> = [];
  request.headers.forEach((v, k) => headers.push([k, v]));
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const clients = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const asked = await ask(clients, { type: MESSAGE, method: request.method, target, headers, ...(body ? { body } : {}) });
  if (!asked) return errorPage(503, 'Service Unavailable', 'No tab is running the cluster: open Tabernetes in a tab of this browser and try again.');
  const { answer, port, relayed } = asked;
  const nullBody = request.method === 'HEAD' || [101, 204, 205, 304].includes(answer.status);
  const own = new Set([...SAFETY_HEADERS, ...PREVIEW_HEADERS].map(([k]) => k.toLowerCase()));
  const origin = sw.location.origin;
  const upstream = answer.headers
    .filter(([k]) => !own.has(k.toLowerCase()) && k.toLowerCase() !== 'x-tabernetes-upstream')
    .map(([k, v]): [string, string] => (k.toLowerCase() === 'location' ? [k, scopeLocation(v, scope, origin, answer.headers.filter(([h]) => h.toLowerCase() === 'x-tabernetes-upstream').map(([, h]) => h))] : [k, v]));
  const extra = relayed ? PREVIEW_HEADERS : scope === `${PREFIX}api` || scriptScopes.has(scope) ? ISOLATION : SAFETY_HEADERS;
  const bodyInit = nullBody ? null : answer.stream ? streamBody(answer.body, port) : answer.body;
  if (!answer.stream) port.close();
  return new Response(bodyInit, { status: answer.status, statusText: answer.statusText, headers: [...upstream, ...extra] });
}

/** The app's own response with the isolation headers it lacks (coi-serviceworker's role). */
async function withIsolation(request: Request): Promise<Response> {
  const res = await fetch(request);
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0 || res.headers.has('Cross-Origin-Embedder-Policy')) return res;
  const headers = new Headers(res.headers);
  for (const [k, v] of ISOLATION) if (!headers.has(k)) headers.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** The scope of a same-origin referrer (a page served inside a scope), or undefined. */
function referrerScope(referrer: string): string | undefined {
  if (!referrer) return undefined;
  const u = new URL(referrer);
  return u.origin === sw.location.origin ? scopeOf(u.pathname) : undefined;
}

/**
 * Scopes whose pages may run scripts on this origin (the preview pane's "Allow scripts", same-origin mode):
 * their answers get ISOLATION without the CSP sandbox. Set by a `tabernetes-preview-scripts` message
 * ({ path, allow }) from a page outside every scope, acknowledged on its port; kept until this worker stops.
 */
const scriptScopes = new Set<string>();

/** Client id → the scope its page was served under ('' for a page outside every scope). */
const clientScopes = new Map<string, string>();

/** The scope of a client's page: '' outside every scope, undefined when the client is not visible here (an opaque origin). */
async function scopeOfClient(clientId: string): Promise<string | undefined> {
  const known = clientScopes.get(clientId);
  if (known !== undefined) return known;
  const client = await sw.clients.get(clientId).catch(() => undefined);
  if (!client) return undefined;
  const scope = scopeOf(new URL(client.url).pathname) ?? '';
  clientScopes.set(clientId, scope);
  return scope;
}

function apiRefused(): Response {
  return new Response(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'forbidden: /_/api/ is served to the Tabernetes app only, not to pages served from the cluster', reason: 'Forbidden', code: 403 }), { status: 403, headers: [['Content-Type', 'application/json'], ...ISOLATION] });
}

function answer(request: Request, pathname: string, search: string, scope: string, resultingClientId: string): Promise<Response> {
  if (request.mode === 'navigate' && resultingClientId) clientScopes.set(resultingClientId, scope);
  return proxy(request, pathname, search, scope).catch((err: unknown) => errorPage(502, 'Bad Gateway', String((err as Error)?.message ?? err)));
}

sw.addEventListener('message', (e) => {
  const d = e.data as { type?: string; path?: unknown; allow?: unknown } | undefined;
  const source = e.source as SwClient | null;
  if (d?.type !== 'tabernetes-preview-scripts' || typeof d.path !== 'string' || !source || scopeOf(new URL(source.url).pathname)) return;
  const scope = scopeOf(new URL(d.path, sw.location.origin).pathname);
  if (scope && scope !== `${PREFIX}api`) {
    if (d.allow === true) scriptScopes.add(scope);
    else scriptScopes.delete(scope);
  }
  e.ports[0]?.postMessage({ ok: true });
});
sw.addEventListener('install', (e) => e.waitUntil(sw.skipWaiting()));
sw.addEventListener('activate', (e) => e.waitUntil(sw.clients.claim()));
sw.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== sw.location.origin) return;
  const legacy = legacyPath(url.pathname);
  if (legacy) return e.respondWith(new Response(null, { status: 302, headers: [['Location', legacy + url.search], ...ISOLATION] }));
  const scope = scopeOf(url.pathname);
  if (scope === `${PREFIX}api` && e.clientId) {
    // only the app's own pages (and typed navigations) reach the apiserver; a pod's page must not
    return e.respondWith(scopeOfClient(e.clientId).then((from) => (from === '' ? answer(e.request, url.pathname, url.search, scope, e.resultingClientId) : apiRefused())));
  }
  if (scope) return e.respondWith(answer(e.request, url.pathname, url.search, scope, e.resultingClientId));
  if (url.pathname.startsWith(PREFIX)) return e.respondWith(errorPage(404, 'Not Found', `no such target "${url.pathname}": use /_/svc/<namespace>/<service>:<port>/, /_/pod/<namespace>/<pod>:<port>/, /_/nodeport/<port>/, /_/ingress/<host>/, /_/portforward/<id>/ or /_/api/`));
  const referred = referrerScope(e.request.referrer);
  if (referred) return e.respondWith(answer(e.request, referred + url.pathname, url.search, referred, e.resultingClientId));
  const known = e.clientId ? clientScopes.get(e.clientId) : '';
  if (known === '' || (known === undefined && !e.clientId)) {
    if (e.request.mode === 'navigate') e.respondWith(withIsolation(e.request));
    return;
  }
  e.respondWith(
    (known !== undefined ? Promise.resolve(known) : scopeOfClient(e.clientId)).then((from) =>
      from ? answer(e.request, from + url.pathname, url.search, from, e.resultingClientId) : e.request.mode === 'navigate' ? withIsolation(e.request) : fetch(e.request),
    ),
  );
});
