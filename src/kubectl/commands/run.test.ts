import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../../api';
import type { LocalCluster } from '../../cluster';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { startThreadedTestCluster } from '../../node/threaded-test-cluster';
import { captureKubectl } from '../testing/capture-kubectl';

// kubectl run -i/--attach/--rm end to end in one process, with busybox containers in worker threads.
let cluster: LocalCluster;
let clock: FakeClock;

beforeAll(async () => {
  await ensureImagesBuilt();
  ({ cluster, clock } = await startThreadedTestCluster(`kubectl-run-${process.pid}`, 78));
}, 120_000);
afterAll(() => cluster?.stop());

async function kubectl(line: string[], stdin?: string) {
  const { code: exitCode, stdout, stderr } = await captureKubectl(line, { client: cluster.client, clock, stdin });
  return { stdout, stderr, exitCode };
}

const see = "\nSee 'kubectl run -h' for help and examples\n";

describe('kubectl run --attach / -i / --rm', () => {
  it('validates as kubectl 1.32', async () => {
    expect(await kubectl(['run', 'x', '--image=busybox', '--rm'])).toEqual({ stdout: '', stderr: `Error: --rm should only be used for attached containers${see}`, exitCode: 1 });
    expect(await kubectl(['run', 'x', '--image=busybox', '-t'])).toEqual({ stdout: '', stderr: `error: -i/--stdin is required for containers with -t/--tty=true${see}`, exitCode: 1 });
    expect((await kubectl(['run', 'x', '--image=busybox', '-it', '--dry-run=client'])).stderr).toBe(
      `error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)${see}`,
    );
  });

  it('--attach --rm --restart=Never: the output, the exit code, then the pod is deleted', async () => {
    const r = await kubectl(['run', 'once', '--image=busybox', '--attach', '--rm', '--restart=Never', '--', 'sh', '-c', 'echo hi-from-run; exit 3']);
    // Attached while running (kubectl's prompt hint first), or already done (the pod gone, or the kubelet's
    // refusal of an exited container echoed as text): kubectl's fallback is the log so far.
    expect(r.stdout).toMatch(/^(hi-from-run\n)?pod "once" deleted\n$/);
    expect(r.stderr).toMatch(/^(If you don't see a command prompt, try pressing enter\.\n)?(warning: couldn't attach to pod\/once, falling back to streaming logs: (the server could not find the requested resource|Internal error occurred: unable to upgrade connection: container once not found in pod once_default)\n)?pod default\/once terminated \(Error\)\n$/);
    expect(r.exitCode).toBe(3);
    await expect(cluster.client.get<Pod>(Pods, 'once', 'default')).rejects.toMatchObject({ code: 404 });
  }, 60_000);

  it('-i creates the container with stdin/stdinOnce and restartPolicy OnFailure; a clean exit returns 0', async () => {
    let created: Pod | undefined;
    const sub = cluster.client.watch<Pod>(Pods, 'default', {}, { onEvent: (ev) => { if (ev.object.metadata?.name === 'inter') created ??= ev.object; } });
    const r = await kubectl(['run', 'inter', '--image=busybox', '-i', '--', 'sh', '-c', 'echo ok'], '');
    sub.dispose();
    expect(r.exitCode).toBe(0);
    expect(created?.spec?.restartPolicy).toBe('OnFailure');
    expect(created?.spec?.containers[0]).toMatchObject({ stdin: true, stdinOnce: true });
    expect(created?.spec?.containers[0].tty).toBeUndefined();
  }, 60_000);
});
