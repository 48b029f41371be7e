/**
 * The proxy Service Worker, served at /proxy-sw.js (root scope; vite.config.ts compiles this one file, which
 * must import nothing at runtime). It answers every request under /proxy/ by handing it to the tab that runs
 * the cluster (proxy-host.ts): a ProxyRequestMessage with a MessagePort to each window client, the first
 * answer wins. No answer within 10 s: 503 with an HTML page. Everything else goes to the network untouched.
 * Responses carry the cross-origin isolation headers (COEP/COOP/CORP) so they open in a tab or an iframe of
 * the isolated app, and `Content-Security-Policy: sandbox …` without allow-same-origin, so a pod's page runs
 * in an opaque origin: it cannot read the app's IndexedDB or reach the app's DOM.
 * Types: src/ui is checked with the DOM lib, so the few Service Worker globals used are declared here.
 */
import type { ProxyRequestMessage, ProxyResponseMessage } from './proxy-protocol';

interface SwClient {
  postMessage(message: unknown, transfer: Transferable[]): void;
}
interface SwFetchEvent extends Event {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface SwExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwScope {
  clients: { matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly SwClient[]>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'fetch', fn: (e: SwFetchEvent) => void): void;
  addEventListener(type: 'install' | 'activate', fn: (e: SwExtendableEvent) => void): void;
  location: Location;
}
const sw = self as unknown as SwScope;

// Literal copies (this file is compiled alone): proxy-protocol.ts's PROXY_MESSAGE and PROXY_PREFIX.
const MESSAGE: ProxyRequestMessage['type'] = 'tabernetes-proxy';
const PREFIX = '/proxy/';
const ANSWER_TIMEOUT_MS = 10_000;

/** Added to every answer: isolation-compatible, and a sandbox that gives the pod's page an opaque origin. */
const SAFETY_HEADERS: Array<[string, string]> = [
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Content-Security-Policy', 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads'],
];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function errorPage(status: number, title: string, detail: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>${status} ${escapeHtml(title)}</title><h1>${status} ${escapeHtml(title)}</h1><pre>${escapeHtml(detail)}</pre>`;
  return new Response(html, { status, statusText: title, headers: [['Content-Type', 'text/html; charset=utf-8'], ...SAFETY_HEADERS] });
}

function ask(clients: readonly SwClient[], msg: ProxyRequestMessage): Promise<ProxyResponseMessage | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ANSWER_TIMEOUT_MS);
    for (const c of clients) {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e: MessageEvent<ProxyResponseMessage>) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      c.postMessage(msg, [ch.port2]);
    }
  });
}

async function proxy(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const target = url.pathname.slice(PREFIX.length) + url.search;
  const headers: Array<[string, string]> = [];
  request.headers.forEach((v, k) => headers.push([k, v]));
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const clients = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const answer = await ask(clients, { type: MESSAGE, method: request.method, target, headers, ...(body ? { body } : {}) });
  if (!answer) return errorPage(503, 'Service Unavailable', 'No tab is running the cluster: open Tabernetes in a tab of this browser and try again.');
  const nullBody = request.method === 'HEAD' || [101, 204, 205, 304].includes(answer.status);
  const own = new Set(SAFETY_HEADERS.map(([k]) => k.toLowerCase()));
  const upstream = answer.headers.filter(([k]) => !own.has(k.toLowerCase()));
  return new Response(nullBody ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers: [...upstream, ...SAFETY_HEADERS] });
}

sw.addEventListener('install', (e) => e.waitUntil(sw.skipWaiting()));
sw.addEventListener('activate', (e) => e.waitUntil(sw.clients.claim()));
sw.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== sw.location.origin || !url.pathname.startsWith(PREFIX)) return;
  e.respondWith(proxy(e.request).catch((err: unknown) => errorPage(502, 'Bad Gateway', String((err as Error)?.message ?? err))));
});
