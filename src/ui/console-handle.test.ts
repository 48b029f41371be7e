import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlApiFixture } from '../kubectl/testing/kubectl-api-fixture';
import { installConsoleHandle, type TabernetesHandle } from './console-handle';
import { KubectlRunner } from './kubectl-runner';

// window.tabernetes.kubectl needs only the booted cluster's client: no workspace (IndexedDB files), no terminal.
const g = globalThis as unknown as { window?: unknown };
const hadWindow = 'window' in g;
beforeAll(() => {
  if (!hadWindow) g.window = new EventTarget();
});
afterAll(() => {
  if (!hadWindow) delete g.window;
});

async function handleOverApiServer(): Promise<{ handle: TabernetesHandle; boot(): void }> {
  const fx = await kubectlApiFixture();
  const runner = new KubectlRunner(fx.client, fx.clock);
  let boot!: () => void;
  const booted = new Promise<void>((r) => (boot = r)).then(() => ({
    client: fx.client,
    exec: (line: string, stdin?: string) => runner.exec(line, stdin),
    clock: { speed: 1 },
    setSpeed: async () => undefined,
    nodes: { stop: async () => undefined, start: async () => undefined },
  }));
  return { handle: installConsoleHandle(booted), boot };
}

describe('window.tabernetes.kubectl without a workspace', () => {
  it('waits for boot, then runs command lines and -f - with { stdout, stderr, exitCode }', async () => {
    const { handle, boot } = await handleOverApiServer();
    expect((globalThis as unknown as { window: { tabernetes: TabernetesHandle } }).window.tabernetes).toBe(handle);
    const early = handle.kubectl('kubectl create namespace early');
    boot();
    expect(await early).toEqual({ stdout: 'namespace/early created\n', stderr: '', exitCode: 0 });
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: early}\ndata: {a: b}\n';
    expect(await handle.kubectl('apply -f -', manifest)).toEqual({ stdout: 'configmap/cm created\n', stderr: '', exitCode: 0 });
    expect(await handle.kubectl('k get cm cm -n early -o jsonpath={.data.a}')).toEqual({ stdout: 'b', stderr: '', exitCode: 0 });
    // Local files: there are none here, so kubectl says so instead of failing on a missing workspace.
    const r = await handle.kubectl('apply -f hello-pod.yaml');
    expect(r).toEqual({ stdout: '', stderr: 'error: the path "hello-pod.yaml" does not exist\n', exitCode: 1 });
  });
});
