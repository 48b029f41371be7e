import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../../api';
import type { LocalCluster } from '../../cluster';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { startThreadedTestCluster } from '../../node/threaded-test-cluster';
import type { KubectlIO } from '../kubectl-io';
import { runKubectl } from '../run-kubectl';

// kubectl attach -it / run --rm -it / debug -it as the tab's terminal runs them (keystrokes on stdinStream).
let cluster: LocalCluster;
let clock: FakeClock;

beforeAll(async () => {
  await ensureImagesBuilt();
  ({ cluster, clock } = await startThreadedTestCluster(`kubectl-attach-${process.pid}`, 79));
}, 120_000);
afterAll(() => cluster?.stop());

/** Runs kubectl with a terminal: `type` sends keys once the output contains `after`. */
async function terminal(line: string[], script: Array<{ after: string; type: string }>) {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<(d: string) => void>();
  const sizes: unknown[] = [];
  const stdinStream: NonNullable<KubectlIO['stdinStream']> = {
    onData: (cb) => (listeners.add(cb), { dispose: () => listeners.delete(cb) }),
    size: () => (sizes.push('asked'), { width: 100, height: 30 }),
  };
  const pending = [...script];
  const feed = () => {
    while (pending.length && (stdout + stderr).includes(pending[0].after)) {
      const { type } = pending.shift()!;
      queueMicrotask(() => listeners.forEach((l) => l(type)));
    }
  };
  const exitCode = await runKubectl(line, {
    client: cluster.client, clock, tty: true, stdinStream,
    stdout: (s) => ((stdout += s), feed()),
    stderr: (s) => ((stderr += s), feed()),
  });
  return { stdout, stderr, exitCode };
}

async function running(name: string, ready = (p: Pod) => p.status?.phase === 'Running'): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (ready(await cluster.client.get<Pod>(Pods, name, 'default'))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} not running`);
}

describe('kubectl attach / run --rm -it / debug -it in a terminal', () => {
  it('attach -it: the prompt hint, keystrokes to the shell, and the resume hint when it ends', async () => {
    await cluster.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sh', namespace: 'default' }, spec: { containers: [{ name: 'sh', image: 'busybox', command: ['sh'], stdin: true, tty: true }] } });
    await running('sh');
    const r = await terminal(['attach', '-it', 'sh'], [{ after: 'pressing enter', type: '\r' }, { after: '/ # ', type: 'echo $((40+2))\r' }, { after: '42\r\n', type: 'exit\r' }]);
    expect(r.stderr).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(r.stdout).toMatch(/^\r?\n?\/ # echo \$\(\(40\+2\)\)\r\n42\r\n\/ # exit\r\nSession ended, resume using 'kubectl attach sh -c sh -i -t' command when the pod is running\n$/);
    expect(r.exitCode).toBe(0);
    expect((await runKubectl(['attach', 'nope'], { client: cluster.client, clock, stdout: () => undefined, stderr: () => undefined }))).toBe(1);
  }, 60_000);

  it('run --rm -it --restart=Never -- sh: a shell, then the pod is deleted', async () => {
    const r = await terminal(['run', 'tmp', '--image=busybox', '--rm', '-it', '--restart=Never', '--', 'sh'], [{ after: 'pressing enter', type: '\r' }, { after: '/ # ', type: 'hostname\r' }, { after: 'tmp\r\n', type: 'exit\r' }]);
    expect(r.stderr).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(r.stdout).toContain('/ # hostname\r\ntmp\r\n/ # exit\r\n');
    expect(r.stdout.endsWith('pod "tmp" deleted\n')).toBe(true);
    expect(r.exitCode).toBe(0);
  }, 60_000);

  it('debug -it POD --image=busybox --target=c: names the container, attaches, and the ephemeral resume hint', async () => {
    await cluster.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', args: ['-text=hi from web'] }] } });
    await running('web');
    const r = await terminal(['debug', '-it', 'web', '--image=busybox', '--target=echo', '-c', 'dbg'], [
      { after: 'pressing enter', type: '\r' },
      { after: '/ # ', type: 'until wget -qO- http://127.0.0.1:5678/; do sleep 1; done\r' },
      { after: 'hi from web\r\n', type: 'exit\r' },
    ]);
    expect(r.stderr).toBe('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\nIf you don\'t see a command prompt, try pressing enter.\n');
    expect(r.stdout.startsWith('Targeting container "echo". If you don\'t see processes from this container it may be because the container runtime doesn\'t support this feature.\n')).toBe(true);
    expect(r.stdout).toContain('hi from web\r\n');
    expect(r.stdout.endsWith("Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach web -c dbg -i -t' if it is still running\n")).toBe(true);
    const pod = await cluster.client.get<Pod>(Pods, 'web', 'default');
    expect(pod.spec?.ephemeralContainers?.[0]).toMatchObject({ name: 'dbg', image: 'busybox', stdin: true, tty: true, targetContainerName: 'echo' });
    const d = await runKubectl(['debug', 'web', '--image=busybox', '--attach=false', '-q'], { client: cluster.client, clock, stdout: () => undefined, stderr: () => undefined });
    expect(d).toBe(0);
    const names = (await cluster.client.get<Pod>(Pods, 'web', 'default')).spec?.ephemeralContainers?.map((c) => c.name);
    expect(names).toEqual(['dbg', expect.stringMatching(/^debugger-[bcdfghjklmnpqrstvwxz2456789]{5}$/)]);
    let out = '';
    const copy = await runKubectl(['debug', 'web', '--copy-to=web-copy', '--image=busybox', '-c', 'dbg', '--', 'sleep', '3600'], { client: cluster.client, clock, stdout: (t) => (out += t), stderr: () => undefined });
    expect({ copy, out }).toEqual({ copy: 0, out: '' });
    const copied = await cluster.client.get<Pod>(Pods, 'web-copy', 'default');
    expect(copied.spec?.containers.map((c) => [c.name, c.image, c.command])).toEqual([['echo', 'hashicorp/http-echo', undefined], ['dbg', 'busybox', ['sleep', '3600']]]);
    expect(copied.spec?.ephemeralContainers).toBeUndefined();
  }, 60_000);
});
