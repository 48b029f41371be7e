import { createRoot } from 'react-dom/client';
import { App } from './app';
import { bootCluster } from './boot/boot-cluster';
import { ClusterLock } from './boot/cluster-lock';
import { installConsoleHandle } from './console-handle';
import { KubectlRunner } from './kubectl-runner';
import { serveProxyRequests } from './sw/proxy-host';
import { TabPortForwards } from './sw/port-forward-host';
import { ensureCrossOriginIsolated } from './sw/ensure-isolation';
import './styles.css';

/**
 * Page entry. The cluster boots before React renders anything heavy. One tab owns the cluster's
 * database at a time (a Web Lock). A second tab says so and offers to take over; the first then stops
 * its Workers before the second boots (src/ui/boot/cluster-lock.ts).
 */
async function boot() {
  // a host without COOP/COEP: the Service Worker adds them, after one reload (src/ui/sw/ensure-isolation.ts)
  await ensureCrossOriginIsolated();
  const lock = new ClusterLock();
  if (!(await lock.tryAcquire())) {
    await new Promise<void>((resolve) => {
      window.dispatchEvent(new CustomEvent('tabernetes:elsewhere'));
      window.tabernetes.takeOver = async () => {
        await lock.takeOver();
        delete window.tabernetes.takeOver;
        window.dispatchEvent(new CustomEvent('tabernetes:owner'));
        resolve();
      };
    });
  }
  const params = new URLSearchParams(location.search);
  const nodes = Number(params.get('nodes') ?? '') || undefined;
  // ?warm=N: container Workers each node starts ahead in idle time (about 2.8 MiB each; default 16).
  const warm = params.get('warm');
  const cluster = await bootCluster({
    nodes,
    ...(warm !== null && Number.isInteger(Number(warm)) && Number(warm) >= 0 ? { warmContainerWorkers: Math.min(124, Number(warm)) } : {}),
    imagesBaseUrl: new URL(`${import.meta.env.BASE_URL}images`, location.href).href,
    openApiUrl: new URL(`${import.meta.env.BASE_URL}openapi/definitions.json`, location.href).href,
  });
  const kubectl = new KubectlRunner(cluster.client, cluster.clock);
  // /_/… URLs (src/ui/sw): this tab answers them while it runs the cluster; port-forwards open the preview pane.
  const forwards = new TabPortForwards(window);
  kubectl.portForward = forwards;
  const proxy = serveProxyRequests(cluster.network, cluster.connect(), forwards);
  lock.onTakeover(
    () => (proxy.dispose(), cluster.stop()),
    () => window.dispatchEvent(new CustomEvent('tabernetes:moved')),
  );
  Object.assign(window.tabernetes.timings, cluster.timings);
  const { store } = cluster;
  return {
    client: cluster.client,
    kubectl,
    exec: (line: string, stdin?: string) => kubectl.exec(line, stdin),
    snapshots: store,
    audit: cluster.audit,
    clock: cluster.clock,
    setSpeed: cluster.setSpeed,
    nodes: cluster.nodes,
    debug: { verifyStore: store.verifyStore, benchStore: store.benchStore, snapshot: store.snapshot, storeTxn: store.storeTxn, storeKeys: store.storeKeys },
  };
}

const booted = boot();
installConsoleHandle(booted);
booted.catch((err) => console.error('cluster boot failed', err));
createRoot(document.getElementById('root')!).render(<App booted={booted} />);
