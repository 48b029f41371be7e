// Node-only: the worker_threads bootstrap for one container. It gives the browser container entry
// (src/workers/runtime/main.ts) the `self` it expects — addEventListener('message') and postMessage over
// parentPort — then loads workerData.entry: a prebuilt ES module bundle (.mjs), or the TypeScript entry
// itself through tsx. Messages posted before the entry has loaded wait in parentPort's queue (a port
// starts delivering only once a 'message' listener is attached).
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const scope = globalThis;
scope.self = scope;
scope.addEventListener = (type, listener) => {
  if (type === 'message') parentPort.on('message', (data) => listener({ data }));
};
scope.postMessage = (message, transfer) => parentPort.postMessage(message, transfer ?? []);
const entry = workerData.entry;
if (entry.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(pathToFileURL(entry).href);
}
