/**
 * The apiserver Worker entry: exposes { start({ dbName, speed, epoch }), connect(port), connectNode(nodeName, port) }
 * with Comlink on self.
 * - start() opens the IndexedDB store and creates the API server; it resolves once the server is serving
 *   (namespaces bootstrapped). Calling it again returns the same promise. `network` (the cluster's fabric
 *   SharedArrayBuffer) lets the pods/services proxy subresources reach pods.
 * - connect(port, user?) serves ApiHandler (as `user` when given: a component's identity) (request/stream/read/cancel/write only) on port; ports connected before
 *   start() has finished are served as soon as it has.
 * - connectNode(nodeName, port) records the kubelet's KubeletApi (Comlink proxy on port) for pods/log;
 *   a later call for the same node replaces the earlier port.
 * - snapshot() (etcdctl snapshot save) and importSnapshot(bytes, dbName?) (etcdctl snapshot restore):
 *   import verifies the file, stops the server, closes the store and replaces the database; the page then
 *   reloads. Called before start() it just restores dbName (default "tabernetes-etcd").
 * - audit(): the apiserver's audit ring (authz/audit-ring), oldest first; resolves once the server serves.
 * - Debug hooks (window.tabernetes.debug): verifyStore(), benchStore(spec) on a separate database
 *   "<dbName>-bench" (deleted after), storeTxn(req) and storeKeys(prefix) on the cluster's store.
 */
import { expose, transfer, wrap, type Remote } from 'comlink';
import { deleteDB } from 'idb';
import type { ApiHandler, KubeletApi, UserInfo } from '../../api/protocol';
import {
  DEFAULT_BENCH_SPEC,
  decodeSnapshot,
  openIdbStore,
  restoreSnapshot,
  runStoreBench,
  verifyIdbStore,
  type IdbStore,
  type StoreBenchSpec,
  type TxnRequest,
} from '../../storage';
import { cryptoIds, systemClock } from '../../platform';
import { createApiServer, type ApiServer } from './api-server';
import { NetworkFabric } from '../../network/network-fabric';
import type { OpenApiDefinitions } from './openapi';
import { authenticatedAs, type AuditEntry } from './authz';

export interface ApiServerStartOptions {
  dbName: string;
  speed: number;
  epoch: { wall: number; cluster: number };
  /** Where the OpenAPI schemas are served (public/openapi/definitions.json); fetched on first /openapi/v3 use. */
  openApiUrl?: string;
  /** The cluster's NetworkFabric buffer (src/network); absent: the proxy subresources answer 503. */
  network?: SharedArrayBuffer;
}

const kubelets = new Map<string, Remote<KubeletApi>>();
let starting: Promise<ApiServer> | undefined;
let opened: { store: IdbStore; dbName: string; clock: ReturnType<typeof systemClock> } | undefined;
let serverReady!: (server: ApiServer) => void;
const ready = new Promise<ApiServer>((resolve) => (serverReady = resolve));

function serve(server: ApiServer, port: MessagePort, user?: UserInfo): void {
  const handler: ApiHandler = {
    request: (req) => server.request(req),
    stream: (req) => server.stream(req),
    read: (id) => server.read(id),
    cancel: (id) => server.cancel(id),
    write: async (id, input) => server.write?.(id, input),
  };
  expose(user ? authenticatedAs(handler, user) : handler, port);
}

const worker = {
  start({ dbName, speed, epoch, openApiUrl, network }: ApiServerStartOptions): Promise<void> {
    starting ??= (async () => {
      const clock = systemClock(speed, epoch);
      const store = await openIdbStore({ name: dbName, clock });
      opened = { store, dbName, clock };
      const openApiDefinitions = openApiUrl
        ? async () => {
            const res = await fetch(openApiUrl);
            return res.ok ? ((await res.json()) as OpenApiDefinitions) : undefined;
          }
        : undefined;
      const fabric = network ? new NetworkFabric(network) : undefined;
      // every client is across a MessagePort (Comlink clones each answer): watch events may share one decode
      return createApiServer({ store, clock, ids: cryptoIds(), dialNode: (node) => kubelets.get(node), openApiDefinitions, shareWatchObjects: true, ...(fabric ? { network: fabric } : {}) });
    })();
    return starting.then((server) => serverReady(server));
  },
  /** Changes the cluster clock's speed from the shared epoch (every component is told the same). */
  setSpeed(speed: number, epoch: { wall: number; cluster: number }): void {
    opened?.clock.setSpeed(speed, epoch);
  },
  /** `user`: the connection's identity (a component's client certificate); without it requests act as req.user or the in-tab admin. */
  connect(port: MessagePort, user?: UserInfo): void {
    void ready.then((server) => serve(server, port, user));
  },
  connectNode(nodeName: string, port: MessagePort): void {
    kubelets.set(nodeName, wrap<KubeletApi>(port));
  },
  async snapshot(): Promise<Uint8Array> {
    const bytes = await (await storeReady()).store.snapshot();
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  async importSnapshot(bytes: Uint8Array, dbName = opened?.dbName ?? 'tabernetes-etcd'): Promise<void> {
    decodeSnapshot(bytes); // rejects a corrupt or newer file before anything is stopped
    if (starting) {
      (await starting).dispose();
      await opened?.store.close();
    }
    const restored = await restoreSnapshot(dbName, bytes, opened?.clock ?? systemClock(), { compaction: false });
    await restored.close();
  },
  async verifyStore() {
    const { store, dbName } = await storeReady();
    return verifyIdbStore(store, dbName);
  },
  async benchStore(spec: Partial<StoreBenchSpec> = {}) {
    const { dbName, clock } = await storeReady();
    const name = `${dbName}-bench`;
    await deleteDB(name);
    const store = await openIdbStore({ name, clock, compaction: false });
    try {
      return await runStoreBench(store, { ...DEFAULT_BENCH_SPEC, ...spec }, () => performance.now());
    } finally {
      await store.close();
      await deleteDB(name);
    }
  },
  async storeTxn(req: TxnRequest) {
    return (await storeReady()).store.txn(req);
  },
  async audit(): Promise<AuditEntry[]> {
    return (await ready).audit();
  },
  async storeKeys(prefix: string): Promise<string[]> {
    return (await (await storeReady()).store.list(prefix, { keysOnly: true })).kvs.map((kv) => kv.key);
  },
};

async function storeReady(): Promise<NonNullable<typeof opened>> {
  await ready;
  return opened!;
}

export type ApiServerWorker = typeof worker;

expose(worker);
