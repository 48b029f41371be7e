/**
 * monaco-worker-manager's createWorkerManager for Monaco ≥ 0.53 (monaco-yaml 5 calls the old
 * createWebWorker({ moduleId, label, createData }), which newer Monaco replaced by
 * createWebWorker({ worker })). vite.config.ts aliases the package to this file.
 *
 * Protocol with the worker (monaco-worker-manager/worker.js): the first message starts the worker's
 * initialisation, the second carries createData; Monaco's own RPC follows.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';

type MonacoApi = typeof Monaco;
interface Options {
  createData: unknown;
  interval?: number;
  label: string;
  moduleId: string;
  stopWhenIdleFor?: number;
}
type WebWorker = ReturnType<MonacoApi['editor']['createWebWorker']>;

export function createWorkerManager(monaco: MonacoApi, options: Options) {
  let { createData } = options;
  const { interval = 30_000, label, moduleId, stopWhenIdleFor = 120_000 } = options;
  let worker: WebWorker | undefined;
  let lastUsedTime = 0;
  let disposed = false;
  const stopWorker = () => {
    worker?.dispose();
    worker = undefined;
  };
  const intervalId = setInterval(() => {
    if (worker && Date.now() - lastUsedTime > stopWhenIdleFor) stopWorker();
  }, interval);
  const env = (globalThis as unknown as { MonacoEnvironment?: { getWorker?(moduleId: string, label: string): Worker } }).MonacoEnvironment;
  return {
    dispose() {
      disposed = true;
      clearInterval(intervalId);
      stopWorker();
    },
    getWorker(...resources: Monaco.Uri[]) {
      if (disposed) throw new Error('Worker manager has been disposed');
      lastUsedTime = Date.now();
      if (!worker) {
        const w = env?.getWorker?.(moduleId, label);
        if (!w) throw new Error(`MonacoEnvironment.getWorker returned no worker for ${label}`);
        w.postMessage('ignore');
        w.postMessage(createData);
        worker = monaco.editor.createWebWorker({ worker: w } as unknown as Parameters<MonacoApi['editor']['createWebWorker']>[0]);
      }
      return (worker as unknown as { withSyncedResources(r: Monaco.Uri[]): Promise<unknown> }).withSyncedResources(resources);
    },
    updateCreateData(newCreateData: unknown) {
      createData = newCreateData;
      stopWorker();
    },
  };
}
