import type { ApiClient } from '../client/api-client';
import type { KubectlResult } from './kubectl-runner';

/**
 * window.tabernetes: the page's scripting handle (README documents it; e2e tests use it).
 * - ready: resolves when the API serves and every node has registered; rejects if boot failed.
 * - kubectl(commandLine, stdin?): the terminal's kubectl; stdin feeds `-f -`.
 * - client: the ApiClient (undefined until ready).
 * - timings: boot milestones in ms since navigation start.
 */
export interface TabernetesHandle {
  ready: Promise<void>;
  kubectl(commandLine: string, stdin?: string): Promise<KubectlResult>;
  client?: ApiClient;
  timings: Record<string, number>;
}

declare global {
  interface Window {
    tabernetes: TabernetesHandle;
  }
}

export function installConsoleHandle(ready: Promise<{ client: ApiClient; exec(line: string, stdin?: string): Promise<KubectlResult> }>): TabernetesHandle {
  const handle: TabernetesHandle = {
    ready: ready.then(() => undefined),
    timings: {},
    async kubectl(commandLine, stdin) {
      const r = await ready;
      return r.exec(commandLine, stdin);
    },
  };
  void ready.then((r) => (handle.client = r.client)).catch(() => undefined);
  window.tabernetes = handle;
  return handle;
}
