import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSh } from './busybox-sh-fixture';
import type { FakeClock } from '../src/api';
import type { Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../src/api';
import type { LocalCluster } from '../src/cluster';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';
import { runKubectl } from '../src/kubectl';
import { openWorkspace, workspaceKubectlIO, type Workspace } from '../src/workspace';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';

// busybox's tar applet in a container, then kubectl cp both ways between the tab's workspace and a busybox pod.
// Each exec gets its own copy of the container's writable layer (docs/images.md), so the copies go through
// an emptyDir volume, which every process of the pod shares.
let cluster: LocalCluster;
let clusterClock: FakeClock;
let ws: Workspace;
beforeAll(async () => {
  await ensureImagesBuilt();
  ({ cluster, clock: clusterClock } = await startThreadedTestCluster(`kubectl-cp-${process.pid}`, 91));
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { volumes: [{ name: 'data', emptyDir: {} }], containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } };
  await cluster.client.create(Pods, pod, 'default');
  const end = Date.now() + 30_000;
  while ((await cluster.client.get<Pod>(Pods, 'bb', 'default')).status?.phase !== 'Running') {
    if (Date.now() > end) throw new Error('pod bb not Running');
    await new Promise((r) => setTimeout(r, 20));
  }
  ws = await openWorkspace({ name: `kubectl-cp-ws-${process.pid}` });
}, 180_000);
afterAll(() => cluster?.stop());

async function kubectl(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runKubectl(argv, { client: cluster.client, clock: clusterClock, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), ...workspaceKubectlIO(ws, () => '') });
  return { stdout, stderr, exitCode };
}

const sh = runSh;

describe('busybox tar', () => {
  it('round-trips files and folders through an archive', async () => {
    const r = await sh('mkdir -p /tmp/src/sub && echo one > /tmp/src/a.txt && echo two > /tmp/src/sub/b.txt && tar cf /tmp/x.tar /tmp/src 2>&1; tar tf /tmp/x.tar; mkdir /tmp/dst && tar -xmf - -C /tmp/dst < /tmp/x.tar && cat /tmp/dst/tmp/src/a.txt /tmp/dst/tmp/src/sub/b.txt');
    expect(r).toEqual({ out: "tar: removing leading '/' from member names\ntmp/src/\ntmp/src/a.txt\ntmp/src/sub/\ntmp/src/sub/b.txt\none\ntwo", exitCode: 0 });
  });

  it('reports a missing member and exits 1', async () => {
    expect(await sh('cd /tmp && tar cf - nope > /dev/null')).toEqual({ out: 'tar: nope: No such file or directory', exitCode: 1 });
  });
});

describe('kubectl cp with the workspace', () => {
  it('copies a folder into the pod and back out, contents intact', async () => {
    await ws.write('site/index.html', '<h1>héllo</h1>\n');
    await ws.write('site/css/app.css', 'body{}\n');
    expect(await kubectl('cp', 'site', 'bb:/data/site')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect((await kubectl('exec', 'bb', '--', 'cat', '/data/site/index.html', '/data/site/css/app.css')).stdout).toBe('<h1>héllo</h1>\nbody{}\n');
    // Into an existing folder: the source's base name is kept.
    expect((await kubectl('cp', 'site/index.html', 'bb:/data')).exitCode).toBe(0);
    expect((await kubectl('exec', 'bb', '--', 'cat', '/data/index.html')).stdout).toBe('<h1>héllo</h1>\n');

    const back = await kubectl('cp', 'bb:/data/site', 'copy');
    expect(back).toEqual({ stdout: "tar: removing leading '/' from member names\n", stderr: '', exitCode: 0 });
    expect(ws.readText('copy/index.html')).toBe('<h1>héllo</h1>\n');
    expect(ws.readText('copy/css/app.css')).toBe('body{}\n');
    expect((await kubectl('cp', 'default/bb:data/index.html', 'one.html')).exitCode).toBe(0);
    expect(ws.readText('one.html')).toBe('<h1>héllo</h1>\n');
  }, 60_000);

  it("gives kubectl's errors", async () => {
    expect(await kubectl('cp', 'nope.txt', 'bb:/tmp/x')).toEqual({ stdout: '', stderr: "error: nope.txt doesn't exist in local filesystem\n", exitCode: 1 });
    expect((await kubectl('cp', 'a', 'b')).stderr).toBe('error: one of src or dest must be a remote file specification\n');
    expect((await kubectl('cp', 'a:x', 'b:y')).stderr).toBe('error: one of src or dest must be a local file specification\n');
    expect((await kubectl('cp', ':x', 'y')).stderr).toBe('error: filespec must match the canonical format: [[namespace/]pod:]file/path\n');
    expect((await kubectl('cp', 'x')).stderr).toBe('error: source and destination are required\n');
    expect(await kubectl('cp', 'bb:/data/missing', 'm')).toEqual({
      stdout: "tar: removing leading '/' from member names\ntar: /data/missing: No such file or directory\n",
      stderr: '',
      exitCode: 0,
    });
    await ws.mkdir('adir');
    expect((await kubectl('cp', 'bb:/data/index.html', 'adir')).stderr).toBe('error: open adir: is a directory\n');
  }, 60_000);
});
