// Node-only counters for deploy-bench.test.ts: the kubelets' API requests (by verb and resource path shape),
// IndexedDB transactions per node-disk database (by mode and store), and postMessages to container threads.
// Patches prototypes for the run; dispose() restores them.
import { ApiClient } from '../../../client/api-client';
import type { ApiRequest } from '../../../api/protocol';
import type { WorkerLike } from '../../runtime/worker-launcher';

type Counts = Map<string, number>;
const bump = (m: Counts, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** "/api/v1/namespaces/default/pods/pause-x/status" → "PUT pods/status" (names dropped). */
function shape(req: ApiRequest): string {
  const parts = req.path.split('?')[0].split('/').filter(Boolean);
  const at = parts.indexOf('namespaces');
  const rest = at >= 0 ? parts.slice(at + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
  const res = at >= 0 && parts.length === at + 2 ? 'namespaces' : rest[0] ?? '';
  const sub = rest.length >= 3 ? `/${rest[2]}` : '';
  const watch = req.query?.watch === 'true' || req.query?.watch === '1' ? ' (watch)' : '';
  return `${req.method} ${res}${sub}${watch}`;
}

/** Wraps a container Worker factory to count messages each way by their `type` (into `counts` while `on()`). */
export function countWorkerMessages(create: () => WorkerLike, counts: Counts, on: () => boolean): () => WorkerLike {
  const typeOf = (m: unknown) => (m && typeof m === 'object' && 'type' in m ? String((m as { type: unknown }).type) : typeof m);
  return () => {
    const w = create();
    const post = w.postMessage.bind(w);
    w.postMessage = (m, t) => {
      if (on()) bump(counts, `→ ${typeOf(m)}`);
      post(m, t);
    };
    const listen = w.addEventListener.bind(w) as (type: string, l: (ev: { data?: unknown }) => void) => void;
    (w as { addEventListener(type: string, l: (ev: { data?: unknown }) => void): void }).addEventListener = (type, l) =>
      listen(type, (ev) => {
        if (type === 'message' && on()) bump(counts, `← ${typeOf(ev.data)}`);
        l(ev);
      });
    return w;
  };
}

/** Counts calls of the runtime's methods (patched in place on each node's runtime object) into `counts` while `on()`. */
export function countRuntimeCalls(runtimes: object[], counts: Counts, on: () => boolean): void {
  for (const rt of runtimes) {
    const r = rt as Record<string, unknown>;
    for (const name of Object.keys(r)) {
      const fn = r[name];
      if (typeof fn !== 'function' || name === 'dispose') continue;
      r[name] = function (this: unknown, ...args: unknown[]) {
        if (on()) bump(counts, `runtime.${name}`);
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
  }
}

export function startDeployCounts(workerMessages: Counts = new Map(), runtimeCalls: Counts = new Map()) {
  const api: Counts = new Map();
  const idb: Counts = new Map();
  const proto = ApiClient.prototype as unknown as { raw(req: ApiRequest): Promise<unknown>; userAgent?: string };
  const raw = proto.raw;
  proto.raw = async function (this: { userAgent?: string }, req: ApiRequest) {
    const res = (await raw.call(this, req)) as { status: number };
    const reason = req.method === 'POST' && req.path.endsWith('/events') ? ` ${(req.body as { reason?: string } | undefined)?.reason}` : '';
    if (this.userAgent?.startsWith('kubelet')) bump(api, `${shape(req)}${reason} → ${res.status}`);
    return res;
  };
  const g = globalThis as unknown as { IDBDatabase: { prototype: { transaction(stores: string | string[], mode?: string): unknown; name: string } } };
  const dbProto = g.IDBDatabase.prototype;
  const tx = dbProto.transaction;
  dbProto.transaction = function (this: { name: string }, stores: string | string[], mode?: string) {
    if (!this.name.startsWith('etcd-')) bump(idb, `${this.name.startsWith('tabernetes-node-') ? 'node-disk' : this.name} ${mode ?? 'readonly'} ${[stores].flat().join('+')}`);
    return tx.call(this, stores, mode);
  };
  return {
    api,
    idb,
    report(pods: number): string {
      const lines = (m: Counts) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${(v / pods).toFixed(2).padStart(7)}  ${k}`);
      const total = (m: Counts) => [...m.values()].reduce((a, b) => a + b, 0) / pods;
      return [
        `kubelet API requests per pod: ${total(api).toFixed(2)}`,
        ...lines(api),
        `kubelet-side IDB transactions per pod: ${total(idb).toFixed(2)}`,
        ...lines(idb),
        `container Worker messages per pod: ${total(workerMessages).toFixed(2)}`,
        ...lines(workerMessages),
        `runtime calls per pod: ${total(runtimeCalls).toFixed(2)}`,
        ...lines(runtimeCalls),
      ].join('\n');
    },
    dispose() {
      proto.raw = raw;
      dbProto.transaction = tx;
    },
  };
}
