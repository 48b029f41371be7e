import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { describeStoreConformance } from '../../src/storage/store-conformance';
import { StoreError, type Store, type StoreErrorCode, type WatchCallbacks } from '../../src/storage/store';

/**
 * The store conformance suite on real IndexedDB in headless Chromium: src/storage is bundled (Vite library
 * build) into a page, and each Store call from the suite is forwarded to a store living in that page;
 * watch callbacks come back through an exposed binding (CDP keeps them ordered with call results).
 */
let browser: Browser;
let page: Page;
let server: Server;
const watchers = new Map<number, WatchCallbacks>();

beforeAll(async () => {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: 'src/storage/index.ts', name: 'TabernetesStorage', formats: ['iife'], fileName: () => 'storage.js' } },
  });
  const code = (Array.isArray(out) ? out[0] : out as { output: Array<{ code?: string }> }).output[0].code ?? '';
  server = createServer((req, res) => {
    res.setHeader('content-type', req.url === '/storage.js' ? 'text/javascript' : 'text/html');
    res.end(req.url === '/storage.js' ? code : '<!doctype html><script src="/storage.js"></script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  browser = await launchChromium();
  page = await browser.newPage();
  await page.exposeBinding('storeWatchEvent', (_src, id: number, kind: 'events' | 'error', payload: unknown) => {
    const cb = watchers.get(id);
    if (kind === 'events') cb?.onEvents(payload as never);
    else cb?.onError?.(toStoreError(payload));
  });
  const { port } = server.address() as { port: number };
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown> & { TabernetesStorage: { openIdbStore(o: unknown): Promise<Store> }; storeWatchEvent(...a: unknown[]): void };
    const stores = new Map<number, Store>();
    const subs = new Map<number, { dispose(): void }>();
    let n = 0;
    const clock = { now: () => Date.now(), after: () => ({ dispose() {} }), every: () => ({ dispose() {} }), sleep: () => new Promise(() => undefined), speed: 1 };
    const plainError = (e: unknown) => {
      const err = e as { name?: string; message?: string; code?: string; compactRevision?: number };
      return { name: err.name, message: err.message, code: err.code, compactRevision: err.compactRevision };
    };
    w.storeOpen = async () => {
      const id = ++n;
      stores.set(id, await w.TabernetesStorage.openIdbStore({ name: `conformance-${id}`, clock, compaction: false }));
      return id;
    };
    w.storeCall = async (id: number, method: string, args: unknown[]) => {
      try {
        const s = stores.get(id) as unknown as Record<string, (...a: unknown[]) => unknown>;
        return { ok: await s[method](...args) };
      } catch (e) {
        return { err: plainError(e) };
      }
    };
    w.storeSync = (id: number, method: string) => (stores.get(id) as unknown as Record<string, () => number>)[method]();
    w.storeWatch = (id: number, wid: number, prefix: string, start: number) => {
      subs.set(wid, stores.get(id)!.watch(prefix, start, {
        onEvents: (ev) => w.storeWatchEvent(wid, 'events', ev),
        onError: (e) => w.storeWatchEvent(wid, 'error', plainError(e)),
      }));
    };
    w.storeUnwatch = (wid: number) => subs.get(wid)?.dispose();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

function toStoreError(payload: unknown): StoreError {
  const e = payload as { code: StoreErrorCode; message: string; compactRevision?: number };
  return new StoreError(e.code, e.message, e.compactRevision ?? undefined);
}

let watchIds = 0;
const revisionCache = new Map<number, { current: number; compacted: number }>();

/** A Store whose every call runs on the page's store (sync getters are served from the last call's answer). */
async function remoteStore(): Promise<Store> {
  const id = await page.evaluate(() => (window as unknown as { storeOpen(): Promise<number> }).storeOpen());
  const refresh = async () => {
    const [current, compacted] = await page.evaluate(
      (i) => [(window as unknown as { storeSync(i: number, m: string): number }).storeSync(i, 'currentRevision'), (window as unknown as { storeSync(i: number, m: string): number }).storeSync(i, 'compactedRevision')],
      id,
    );
    revisionCache.set(id, { current, compacted });
  };
  await refresh();
  const call = async (method: string, ...args: unknown[]) => {
    const r = await page.evaluate(([i, m, a]) => (window as unknown as { storeCall(i: number, m: string, a: unknown[]): Promise<{ ok?: unknown; err?: unknown }> }).storeCall(i, m, a), [id, method, args] as const);
    await refresh();
    if (r.err) throw toStoreError(r.err);
    return r.ok;
  };
  const store = new Proxy({} as Store, {
    get(_t, prop: string) {
      if (prop === 'then') return undefined;
      if (prop === 'currentRevision') return () => revisionCache.get(id)!.current;
      if (prop === 'compactedRevision') return () => revisionCache.get(id)!.compacted;
      if (prop === 'watch') {
        return (prefix: string, start: number, cb: WatchCallbacks) => {
          const wid = ++watchIds;
          watchers.set(wid, cb);
          void page.evaluate(([i, w, p, s]) => (window as unknown as { storeWatch(...a: unknown[]): void }).storeWatch(i, w, p, s), [id, wid, prefix, start] as const);
          return { dispose: () => void page.evaluate((w) => (window as unknown as { storeUnwatch(w: number): void }).storeUnwatch(w), wid).finally(() => watchers.delete(wid)) };
        };
      }
      return (...args: unknown[]) => call(prop, ...args);
    },
  });
  return store;
}

describeStoreConformance('IndexedDB in Chromium', () => remoteStore());
