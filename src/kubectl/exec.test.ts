import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../api';
import type { LocalCluster } from '../cluster';
import { ensureImagesBuilt } from '../node/ensure-images-built';
import { startThreadedTestCluster } from '../node/threaded-test-cluster';
import { runKubectl } from './run-kubectl';
import { captureKubectl } from './testing/capture-kubectl';

// kubectl exec end to end in one process: kubectl → apiserver pods/exec → kubelet → a busybox container thread.
let cluster: LocalCluster;
let clock: FakeClock;

beforeAll(async () => {
  await ensureImagesBuilt();
  ({ cluster, clock } = await startThreadedTestCluster(`kubectl-exec-${process.pid}`, 77));
  const pod = (name: string, containers: Array<{ name: string; image: string; command: string[] }>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers } });
  await cluster.client.create(Pods, pod('bb', [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'] }]), 'default');
  await cluster.client.create(Pods, pod('two', [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }, { name: 'b', image: 'busybox', command: ['sleep', '3600'] }]), 'default');
  // `done` exits at once while `main` keeps the pod Running: the kubelet refuses exec/attach into `done`.
  await cluster.client.create(Pods, { ...pod('half', [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }, { name: 'done', image: 'busybox', command: ['true'] }]), spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }, { name: 'done', image: 'busybox', command: ['true'] }] } }, 'default');
  const end = Date.now() + 30_000;
  for (;;) {
    const pods = await Promise.all(['bb', 'two', 'half'].map((n) => cluster.client.get<Pod>(Pods, n, 'default')));
    const doneExited = !!pods[2].status?.containerStatuses?.find((c) => c.name === 'done')?.state?.terminated;
    const phases = pods.map((p) => p.status?.phase);
    if (phases.every((p) => p === 'Running') && doneExited) break;
    if (Date.now() > end) throw new Error(`pods not Running: ${phases}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}, 120_000);
afterAll(() => cluster?.stop());

async function kubectl(line: string[], stdin?: string) {
  const { code: exitCode, stdout, stderr } = await captureKubectl(line, { client: cluster.client, clock, stdin });
  return { stdout, stderr, exitCode };
}

describe('kubectl exec', () => {
  it('runs a pipeline and prints its output', async () => {
    expect(await kubectl(['exec', 'bb', '--', 'sh', '-c', 'echo hi | wc -c'])).toEqual({ stdout: '3\n', stderr: '', exitCode: 0 });
  }, 30_000);

  it('relays stderr and the exit code', async () => {
    expect(await kubectl(['exec', 'bb', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7'])).toEqual({ stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 7\n', exitCode: 7 });
  }, 30_000);

  it('-i sends stdin then EOF; -it without a terminal falls back to no TTY with kubectl\'s notice', async () => {
    expect(await kubectl(['exec', '-i', 'bb', '--', 'wc', '-l'], 'a\nb\n')).toEqual({ stdout: '2\n', stderr: '', exitCode: 0 });
    expect(await kubectl(['exec', '-it', 'bb', '--', 'sh', '-c', 'printenv TERM; cat'], 'x\n')).toEqual({
      stdout: 'x\n',
      stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\n',
      exitCode: 0,
    });
  }, 30_000);

  it('-it with a terminal (io.stdinStream): keystrokes reach an interactive sh that echoes them', async () => {
    let stdout = '';
    let feed: (d: string) => void = () => undefined;
    const done = runKubectl(['exec', '-it', 'bb', '--', 'sh'], {
      client: cluster.client,
      clock,
      stdout: (s) => (stdout += s),
      stderr: () => undefined,
      stdinStream: { onData: (cb) => ((feed = cb), { dispose: () => undefined }), size: () => ({ width: 80, height: 24 }) },
    });
    for (let i = 0; i < 500 && !stdout.includes('/ # '); i++) await new Promise((r) => setTimeout(r, 10));
    feed('echo $HOSTNAME\r');
    feed('exit 4\r');
    expect(await done).toBe(4);
    expect(stdout).toBe('/ # echo $HOSTNAME\r\nbb\r\n/ # exit 4\r\n');
  }, 30_000);

  it('defaults the container of a multi-container pod with a notice; -c picks one; a bad -c fails to upgrade', async () => {
    expect(await kubectl(['exec', 'two', '--', 'hostname'])).toEqual({ stdout: 'two\n', stderr: 'Defaulted container "a" out of: a, b\n', exitCode: 0 });
    expect(await kubectl(['exec', 'two', '-c', 'b', '--', 'true'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await kubectl(['exec', 'two', '-c', 'zz', '--', 'true'])).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): container zz is not valid for pod two\n', exitCode: 1 });
  }, 30_000);

  it('a kubelet refusal prints what kubectl 1.32 prints after the StreamTranslator\'s channel-3 Status', async () => {
    expect(await kubectl(['exec', 'half', '-c', 'done', '--', 'true'])).toEqual({ stdout: '', stderr: 'error: Internal error occurred: unable to upgrade connection: container not found ("done")\n', exitCode: 1 });
    expect(await kubectl(['attach', 'half', '-c', 'done'])).toEqual({
      stdout: '',
      stderr: "If you don't see a command prompt, try pressing enter.\nerror: Internal error occurred: unable to upgrade connection: container done not found in pod half_default\n",
      exitCode: 1,
    });
  }, 30_000);

  it('usage errors as kubectl 1.32 prints them', async () => {
    expect(await kubectl(['exec'])).toMatchObject({ stderr: 'error: pod, type/name or --filename must be specified\n', exitCode: 1 });
    expect(await kubectl(['exec', 'bb'])).toMatchObject({ stderr: 'error: you must specify at least one command for the container\n', exitCode: 1 });
    expect(await kubectl(['exec', 'bb', 'ls'])).toMatchObject({ stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", exitCode: 1 });
    expect(await kubectl(['exec', 'nope', '--', 'ls'])).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
  }, 30_000);
});
