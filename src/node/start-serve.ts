// Node-only: the whole cluster in this process (worker_threads containers) behind the Kubernetes HTTP API.
import 'fake-indexeddb/auto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Disposable } from '../api/disposable';
import { startLocalCluster, type LocalCluster } from '../cluster';
import { cryptoIds, systemClock } from '../platform';
import { createMemoryStore } from '../storage';
import { createFsImageSource, defaultImagesDir } from './fs-image-source';

const defaultOpenApiFile = join(defaultImagesDir, '..', 'openapi', 'definitions.json');
import { startHttpServer, type HttpApiServer } from './http-server';
import { serveKubeconfig } from './kubeconfig';
import { createWorkerThreadsLauncher } from './worker-threads-launcher';

export interface ServeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Where to write the kubeconfig (server http://127.0.0.1:PORT, context kubernetes-admin@tabernetes). */
  kubeconfig?: string;
  imagesDir?: string;
  /** The OpenAPI schemas (default public/openapi/definitions.json, built by scripts/build-openapi.mjs). */
  openApiFile?: string;
  /** Cluster time speed (default 1). */
  speed?: number;
}

export type Serving = Disposable & {
  url: string;
  port: number;
  cluster: LocalCluster;
  http: HttpApiServer;
  /** Closes the HTTP server (ending open watches), stops the cluster and closes the store. */
  stop(): Promise<void>;
};

/** Boots store → cluster → HTTP API; rejects (with everything started disposed) if any part fails. */
export async function startServe(opts: ServeOptions = {}): Promise<Serving> {
  const wall = Date.now();
  const speed = opts.speed ?? 1;
  const epoch = { wall, cluster: wall };
  const clock = systemClock(speed, epoch);
  const ids = cryptoIds();
  // The store and the node disks are in memory (fake-indexeddb has no persistence): a restart is a new cluster.
  const store = createMemoryStore({ clock });
  const tag = `serve-${process.pid}-${wall}`;
  let cluster: LocalCluster | undefined;
  let http: HttpApiServer | undefined;
  const launcher = createWorkerThreadsLauncher({ clockBase: { ...epoch, speed } });
  try {
    cluster = await startLocalCluster({
      store,
      clock,
      ids,
      images: createFsImageSource(opts.imagesDir ?? defaultImagesDir),
      launcher,
      diskName: (n) => `${tag}-${n}`,
      openApiDefinitions: async () => JSON.parse(await readFile(opts.openApiFile ?? defaultOpenApiFile, 'utf8')),
    });
    http = await startHttpServer({ api: cluster.api, port: opts.port ?? 0 });
    if (opts.kubeconfig) await writeFile(opts.kubeconfig, serveKubeconfig(http.url), { mode: 0o600 });
    const [running, server] = [cluster, http];
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await server.close();
        await running.stop();
        launcher.dispose();
        await store.close();
      })());
    return { url: http.url, port: http.port, cluster, http, stop, dispose: () => void stop() };
  } catch (err) {
    await http?.close();
    await cluster?.stop().catch(() => undefined);
    launcher.dispose();
    await store.close().catch(() => undefined);
    throw err;
  }
}
