import { createRoot } from 'react-dom/client';
import { App } from './app';
import { bootCluster } from './boot/boot-cluster';
import { installConsoleHandle } from './console-handle';
import { KubectlRunner } from './kubectl-runner';
import './styles.css';

/**
 * Page entry. The cluster boots before React renders anything heavy. One tab owns the cluster's
 * database at a time (a Web Lock); a second tab says so instead of racing the first.
 */
async function boot() {
  const owned = await new Promise<boolean>((resolve) => {
    void navigator.locks.request('tabernetes-cluster', { ifAvailable: true }, (lock) => {
      resolve(!!lock);
      return lock ? new Promise<void>(() => undefined) : undefined;
    });
  });
  if (!owned) throw new Error('Tabernetes is already running in another tab of this browser. Close it, then reload this one.');
  const cluster = await bootCluster({
    imagesBaseUrl: new URL(`${import.meta.env.BASE_URL}images`, location.href).href,
    openApiUrl: new URL(`${import.meta.env.BASE_URL}openapi/definitions.json`, location.href).href,
  });
  const kubectl = new KubectlRunner(cluster.client, cluster.clock);
  Object.assign(window.tabernetes.timings, cluster.timings);
  const { store } = cluster;
  return {
    client: cluster.client,
    kubectl,
    exec: (line: string, stdin?: string) => kubectl.exec(line, stdin),
    snapshots: store,
    clock: cluster.clock,
    setSpeed: cluster.setSpeed,
    debug: { verifyStore: store.verifyStore, benchStore: store.benchStore, snapshot: store.snapshot, storeTxn: store.storeTxn, storeKeys: store.storeKeys },
  };
}

const booted = boot();
installConsoleHandle(booted);
booted.catch((err) => console.error('cluster boot failed', err));
createRoot(document.getElementById('root')!).render(<App booted={booted} />);
