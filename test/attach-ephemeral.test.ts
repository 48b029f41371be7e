import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Pods, type ExecStreamChunk } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { getPod, podLogs, waitFor } from './cluster-helpers';
import { threadedClusterPerTest } from './threaded-cluster-per-test';

// pods/attach with stdin and pods/ephemeralcontainers in a whole cluster (a thread per container).
beforeAll(() => ensureImagesBuilt(), 300_000);
const boot = threadedClusterPerTest('attach-eph', 97);

describe('attach and ephemeral containers in a cluster', () => {
  it('attach -it to a busybox sh: typed commands run in the main process and their output comes back', async () => {
    const c = await boot();
    await c.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sh', namespace: 'default' }, spec: { containers: [{ name: 'sh', image: 'busybox', command: ['sh'], stdin: true, tty: true }] } });
    await waitFor(async () => (await getPod(c, 'sh')).status?.phase === 'Running', 'sh Running', 30_000);
    const opened = await c.api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { container: 'sh', stdin: 'true', stdout: 'true', tty: 'true' } });
    expect(opened.status).toBe(200);
    const id = opened.streamId!;
    await c.api.write!(id, { channel: 4, width: 80, height: 24 });
    await c.api.write!(id, { channel: 0, data: 'echo attached-$((6*7))\r' });
    let out = '';
    while (!out.includes('attached-42\r\n')) {
      const batch = (await c.api.read(id)) as ExecStreamChunk[] | null;
      if (!batch) break;
      for (const ch of batch) if (ch.channel === 1) out += ch.data;
    }
    expect(out).toContain('attached-42\r\n');
    await c.api.cancel(id);
    expect((await getPod(c, 'sh')).status?.phase).toBe('Running');
  }, 120_000);

  it('an ephemeral container starts in the pod\'s sandbox, reaches the target\'s port over localhost and is reported', async () => {
    const c = await boot();
    await c.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: ['-text=hello from web'] }] } });
    await waitFor(async () => (await getPod(c, 'web')).status?.phase === 'Running', 'web Running', 30_000);
    const patched = await c.api.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/web/ephemeralcontainers',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox', targetContainerName: 'echo', command: ['sh', '-c', 'until wget -qO- http://127.0.0.1:5678/ 2>/dev/null; do sleep 1; done; hostname'] }] } },
    });
    expect(patched.status).toBe(200);
    const st = await waitFor(async () => (await getPod(c, 'web')).status?.ephemeralContainerStatuses?.[0]?.state?.terminated, 'the debugger to finish', 30_000);
    expect(await podLogs(c, 'web', { container: 'debugger' })).toBe('hello from web\nweb\n');
    expect(st.exitCode).toBe(0);
    const pod: Pod = await getPod(c, 'web');
    expect(pod.status?.ephemeralContainerStatuses?.[0]).toMatchObject({ name: 'debugger', ready: false, restartCount: 0, image: 'docker.io/library/busybox:latest' });
    // the pod's own container is untouched and it is never restarted
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  }, 120_000);
});
