import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { until, wasmNodes } from '../../../test/wasm-node-fixture';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { drainExec, podOf, pod } from './testing/wasm-node';

const node = wasmNodes({ diskName: 'kubelet-host-network', launcher: () => createWorkerThreadsLauncher() });

describe('hostNetwork pods', () => {
  it("see the node's hostname and the node's /etc/hosts; other pods their own", async () => {
    const { api, kubelet } = await node();
    const spec = (hostNetwork: boolean) => ({ hostNetwork, containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }] });
    api.put('pods', pod('hn', spec(true)) as never);
    api.put('pods', pod('own', spec(false)) as never);
    await until(() => podOf(api, 'hn')?.status?.phase === 'Running' && podOf(api, 'own')?.status?.phase === 'Running', 'Running', 20_000);
    const run = async (name: string) => {
      const id = await kubelet.api.execOpen!('default', name, 'bb', { command: ['sh', '-c', 'hostname; cat /etc/hosts'], stdout: true });
      return (await drainExec(kubelet, id)).filter((c): c is { channel: 1; data: string } => c.channel === 1).map((c) => c.data).join('');
    };
    const nodeName = podOf(api, 'hn')!.spec!.nodeName!;
    const hostIP = podOf(api, 'hn')!.status!.hostIP!;
    expect(await run('hn')).toBe(
      `${nodeName}\n# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n` +
        `fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${hostIP}\t${nodeName}\n`,
    );
    const own = await run('own');
    expect(own.startsWith('own\n# Kubernetes-managed hosts file.\n')).toBe(true);
    expect(own.endsWith(`${podOf(api, 'own')!.status!.podIP}\town\n`)).toBe(true);
  }, 60_000);
});
