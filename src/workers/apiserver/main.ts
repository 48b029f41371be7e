/**
 * The apiserver Worker entry: exposes { start({ dbName, speed, epoch }), connect(port), connectNode(nodeName, port) }
 * with Comlink on self.
 * - start() opens the IndexedDB store and creates the API server; it resolves once the server is serving
 *   (namespaces bootstrapped). Calling it again returns the same promise.
 * - connect(port) serves ApiHandler (request/stream/read/cancel only) on port; ports connected before
 *   start() has finished are served as soon as it has.
 * - connectNode(nodeName, port) records the kubelet's KubeletApi (Comlink proxy on port) for pods/log;
 *   a later call for the same node replaces the earlier port.
 */
import { expose, wrap, type Remote } from 'comlink';
import type { ApiHandler, KubeletApi } from '../../api/protocol';
import { openIdbStore } from '../../storage';
import { cryptoIds, systemClock } from '../../platform';
import { createApiServer, type ApiServer } from './api-server';
import type { OpenApiDefinitions } from './openapi';

export interface ApiServerStartOptions {
  dbName: string;
  speed: number;
  epoch: { wall: number; cluster: number };
  /** Where the OpenAPI schemas are served (public/openapi/definitions.json); fetched on first /openapi/v3 use. */
  openApiUrl?: string;
}

const kubelets = new Map<string, Remote<KubeletApi>>();
let starting: Promise<ApiServer> | undefined;
let serverReady!: (server: ApiServer) => void;
const ready = new Promise<ApiServer>((resolve) => (serverReady = resolve));

function serve(server: ApiServer, port: MessagePort): void {
  const handler: ApiHandler = {
    request: (req) => server.request(req),
    stream: (req) => server.stream(req),
    read: (id) => server.read(id),
    cancel: (id) => server.cancel(id),
  };
  expose(handler, port);
}

const worker = {
  start({ dbName, speed, epoch, openApiUrl }: ApiServerStartOptions): Promise<void> {
    starting ??= (async () => {
      const clock = systemClock(speed, epoch);
      const store = await openIdbStore({ name: dbName, clock });
      const openApiDefinitions = openApiUrl
        ? async () => {
            const res = await fetch(openApiUrl);
            return res.ok ? ((await res.json()) as OpenApiDefinitions) : undefined;
          }
        : undefined;
      return createApiServer({ store, clock, ids: cryptoIds(), dialNode: (node) => kubelets.get(node), openApiDefinitions });
    })();
    return starting.then((server) => serverReady(server));
  },
  connect(port: MessagePort): void {
    void ready.then((server) => serve(server, port));
  },
  connectNode(nodeName: string, port: MessagePort): void {
    kubelets.set(nodeName, wrap<KubeletApi>(port));
  },
};

export type ApiServerWorker = typeof worker;

expose(worker);
