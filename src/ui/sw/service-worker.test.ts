import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
import { transformWithOxc } from 'vite';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProxyRequestMessage, ProxyResponseMessage } from './proxy-protocol';

// The Service Worker compiled as vite.config.ts compiles it, run with fake clients: routing, scoping,
// Location rewriting and the headers it adds.
const ORIGIN = 'https://tab.example';
type Listener = (e: unknown) => void;

interface Harness {
  fetch(url: string, init?: { clientId?: string; resultingClientId?: string; referrer?: string; mode?: RequestMode }): Promise<Response | undefined>;
  asked: ProxyRequestMessage[];
  reply: (msg: ProxyRequestMessage) => Partial<ProxyResponseMessage>;
  networkFetches: string[];
  /** The answering window client's URL (the app's page unless a test changes it). */
  clientUrl: string;
  /** Messages posted to a window client under a /_/ scope (there must be none). */
  scopedAsked: unknown[];
  /** Dispatches a message event from a client at sourceUrl; resolves with what the worker acknowledged. */
  message(data: unknown, sourceUrl: string): Promise<unknown>;
}

async function loadWorker(): Promise<Harness> {
  const file = new URL('./service-worker.ts', import.meta.url).pathname;
  const code = (await transformWithOxc(await readFile(file, 'utf8'), file, { lang: 'ts', target: 'es2022' })).code.replace(/^export \{\};?$/m, '');
  const listeners = new Map<string, Listener>();
  const h: Harness = {
    asked: [],
    networkFetches: [],
    reply: () => ({ status: 200, headers: [['Content-Type', 'text/html']] }),
    fetch: async () => undefined,
    clientUrl: `${ORIGIN}/`,
    scopedAsked: [],
    message: async () => undefined,
  };
  const scopedClient = { url: `${ORIGIN}/_/svc/default/web:80/`, postMessage: (msg: unknown) => h.scopedAsked.push(msg) };
  const windowClient = {
    get url() {
      return h.clientUrl;
    },
    postMessage(msg: ProxyRequestMessage, [port]: MessagePort[]) {
      h.asked.push(msg);
      const r = h.reply(msg);
      port.postMessage({ status: 200, statusText: 'OK', headers: [], body: new ArrayBuffer(0), ...r });
    },
  };
  const clients = new Map<string, { url: string }>([['app', { url: `${ORIGIN}/` }]]);
  const self = {
    location: new URL(`${ORIGIN}/proxy-sw.js`),
    addEventListener: (t: string, fn: Listener) => listeners.set(t, fn),
    skipWaiting: async () => undefined,
    clients: { matchAll: async () => [scopedClient, windowClient], get: async (id: string) => clients.get(id), claim: async () => undefined },
  };
  const fakeFetch = async (req: Request) => {
    h.networkFetches.push(req.url);
    return new Response('app', { status: 200, headers: { 'Content-Type': 'text/html' } });
  };
  runInNewContext(code, { self, URL, Response, Request, Headers, MessageChannel, setTimeout, clearTimeout, ReadableStream, fetch: fakeFetch, console });
  h.message = (data, sourceUrl) =>
    new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => (ch.port1.close(), resolve(e.data));
      listeners.get('message')!({ data, source: { url: sourceUrl }, ports: [ch.port2] });
      setTimeout(() => (ch.port1.close(), resolve(undefined)), 200);
    });
  h.fetch = (url, init = {}) =>
    new Promise((resolve) => {
      let responded = false;
      const request = new Request(new URL(url, ORIGIN), { mode: init.mode === 'navigate' ? 'same-origin' : init.mode, referrer: init.referrer ?? 'about:client' });
      Object.defineProperty(request, 'mode', { value: init.mode ?? 'cors' });
      if (init.referrer) Object.defineProperty(request, 'referrer', { value: init.referrer });
      listeners.get('fetch')!({
        request,
        clientId: init.clientId ?? '',
        resultingClientId: init.resultingClientId ?? '',
        respondWith: (r: Promise<Response> | Response) => ((responded = true), Promise.resolve(r).then(resolve)),
      });
      if (!responded) resolve(undefined);
    });
  return h;
}

describe('the /_/ Service Worker', () => {
  let sw: Harness;
  beforeEach(async () => {
    sw = await loadWorker();
  });

  it('hands each scope to the tab with the target after /_/, adding the sandbox and isolation headers', async () => {
    const res = await sw.fetch('/_/svc/default/web:80/a/b?c=1');
    expect(sw.asked.map((m) => m.target)).toEqual(['svc/default/web:80/a/b?c=1']);
    expect(res!.status).toBe(200);
    expect(res!.headers.get('content-security-policy')).toMatch(/^sandbox allow-same-origin .*script-src 'none'/);
    expect(res!.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    for (const url of ['/_/nodeport/30080/', '/_/ingress/shop.example/x', '/_/portforward/8080/', '/_/pod/ns/p:80/', '/_/api/api/v1/pods']) await sw.fetch(url);
    expect(sw.asked.slice(1).map((m) => m.target)).toEqual(['nodeport/30080/', 'ingress/shop.example/x', 'portforward/8080/', 'pod/ns/p:80/', 'api/api/v1/pods']);
  });

  it('answers an unknown /_/ form with 404 and redirects the old /proxy/ URLs', async () => {
    expect((await sw.fetch('/_/nope/x'))!.status).toBe(404);
    expect((await sw.fetch('/_/svc/default/'))!.status).toBe(404);
    const old = await sw.fetch('/proxy/service/default/web:http/x?y=1');
    expect([old!.status, old!.headers.get('location')]).toEqual([302, '/_/svc/default/web:http/x?y=1']);
    expect((await sw.fetch('/proxy/node/172.18.0.3:30080/a'))!.headers.get('location')).toBe('/_/nodeport/30080/a');
    expect(sw.asked).toEqual([]);
  });

  it('keeps root-relative subresources of a scoped page in its scope (by client id, or by referrer)', async () => {
    await sw.fetch('/_/svc/default/web:80/', { mode: 'navigate', resultingClientId: 'frame1' });
    await sw.fetch('/style.css', { clientId: 'frame1' });
    await sw.fetch('/api/x?q=1', { clientId: 'frame1' });
    await sw.fetch('/img.png', { referrer: `${ORIGIN}/_/nodeport/30080/page.html` });
    await sw.fetch('/about', { mode: 'navigate', referrer: `${ORIGIN}/_/ingress/shop.example/` });
    expect(sw.asked.map((m) => m.target)).toEqual(['svc/default/web:80/', 'svc/default/web:80/style.css', 'svc/default/web:80/api/x?q=1', 'nodeport/30080/img.png', 'ingress/shop.example/about']);
  });

  it("leaves the app's own requests alone and adds COOP/COEP to its navigations when the server sent none", async () => {
    expect(await sw.fetch('/assets/main.js', { clientId: 'app' })).toBeDefined(); // first request of a client: looked up, passed through
    expect(await sw.fetch('/assets/other.js', { clientId: 'app' })).toBeUndefined();
    const nav = await sw.fetch('/', { mode: 'navigate', resultingClientId: 'app2' });
    expect(nav!.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(nav!.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await nav!.text()).toBe('app');
    expect(sw.networkFetches).toEqual([`${ORIGIN}/assets/main.js`, `${ORIGIN}/`]);
    expect(sw.asked).toEqual([]);
  });

  it('rewrites backend redirects into the scope', async () => {
    sw.reply = (m) => ({ status: 302, headers: [['Location', m.target.endsWith('a') ? '/login?next=%2F' : m.target.endsWith('b') ? 'http://10.96.0.7:80/b2' : 'https://elsewhere.example/'], ['X-Tabernetes-Upstream', '10.96.0.7:80']] });
    const a = await sw.fetch('/_/svc/default/web:80/a');
    const b = await sw.fetch('/_/svc/default/web:80/b');
    const c = await sw.fetch('/_/svc/default/web:80/c');
    expect(a!.headers.get('location')).toBe('/_/svc/default/web:80/login?next=%2F');
    expect(b!.headers.get('location')).toBe(`${ORIGIN}/_/svc/default/web:80/b2`);
    expect(c!.headers.get('location')).toBe('https://elsewhere.example/');
    expect(a!.headers.get('x-tabernetes-upstream')).toBeNull();
  });

  it('refuses /_/api/ to pages served from the cluster, serves it to the app', async () => {
    await sw.fetch('/_/svc/default/web:80/', { mode: 'navigate', resultingClientId: 'frame1' });
    const refused = await sw.fetch('/_/api/api/v1/secrets', { clientId: 'frame1' });
    expect(refused!.status).toBe(403);
    const ok = await sw.fetch('/_/api/api/v1/namespaces', { clientId: 'app' });
    expect(ok!.status).toBe(200);
    expect(sw.asked.map((m) => m.target)).toEqual(['svc/default/web:80/', 'api/api/v1/namespaces']);
  });

  it('asks no page served from the cluster; an answer relayed by the preview bootstrap page keeps scripts and allows cross-origin framing', async () => {
    sw.clientUrl = `${ORIGIN}/preview-frame.html#/_/pod/ns/p:80/`;
    const res = await sw.fetch('/_/pod/ns/p:80/', { mode: 'navigate', resultingClientId: 'page' });
    expect(sw.scopedAsked).toEqual([]);
    expect(res!.headers.get('content-security-policy')).toBeNull();
    expect(res!.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res!.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    sw.clientUrl = `${ORIGIN}/`;
    const direct = await sw.fetch('/_/pod/ns/p:80/');
    expect(direct!.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(direct!.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('"Allow scripts" from the app drops the CSP sandbox for that scope only; a scoped page cannot ask for it', async () => {
    expect(await sw.message({ type: 'tabernetes-preview-scripts', path: '/_/nodeport/30080/x', allow: true }, `${ORIGIN}/_/svc/default/web:80/`)).toBeUndefined();
    expect((await sw.fetch('/_/nodeport/30080/'))!.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await sw.message({ type: 'tabernetes-preview-scripts', path: '/_/nodeport/30080/x', allow: true }, `${ORIGIN}/`)).toEqual({ ok: true });
    const allowed = await sw.fetch('/_/nodeport/30080/');
    expect(allowed!.headers.get('content-security-policy')).toBeNull();
    expect(allowed!.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect((await sw.fetch('/_/nodeport/30081/'))!.headers.get('content-security-policy')).toContain("script-src 'none'");
    await sw.message({ type: 'tabernetes-preview-scripts', path: '/_/nodeport/30080/', allow: false }, `${ORIGIN}/`);
    expect((await sw.fetch('/_/nodeport/30080/'))!.headers.get('content-security-policy')).toContain("script-src 'none'");
  });
});
