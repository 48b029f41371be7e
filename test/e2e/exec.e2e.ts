import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

type PodJson = { status?: { phase?: string; containerStatuses?: Array<{ state?: { terminated?: { reason?: string; exitCode?: number } } }> } };
const podJson = (text: string): PodJson | undefined => {
  try {
    return JSON.parse(text) as PodJson;
  } catch {
    return undefined;
  }
};

// kubectl exec through the apiserver's pods/exec and the kubelet, into busybox containers in their Workers.
describe('kubectl exec in the tab', () => {
  const cluster = clusterPageFixture();
  let page: Page;

  beforeAll(async () => {
    page = cluster.page;
    const manifest = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: spin}\nspec:\n  containers: [{name: spin, image: busybox, command: [sh, -c, "while true; do :; done"]}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: oom}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: oom\n    image: busybox\n    command: [sh, -c, "x=a; while true; do x=\\"$x$x\\"; done"]\n    resources: {limits: {memory: 16Mi}}\n',
    ].join('---\n');
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    for (const name of ['bb', 'spin']) await waitForKubectl(page, `get pod ${name} -o json`, (r) => podJson(r.stdout)?.status?.phase === 'Running', 60000);
  }, 120_000);

  it("kubectl exec bb -- sh -c 'echo hi | wc -c'", async () => {
    const r = await kubectl(page, "exec bb -- sh -c 'echo hi | wc -c'");
    expect(r).toEqual({ stdout: '3\n', stderr: '', exitCode: 0 });
  });

  it('a non-zero exit: "command terminated with exit code N"', async () => {
    const r = await kubectl(page, "exec bb -- sh -c 'echo out; echo err >&2; exit 7'");
    expect(r).toEqual({ stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 7\n', exitCode: 7 });
  });

  it('-i feeds stdin; an unknown program exits 126', async () => {
    expect(await kubectl(page, 'exec -i bb -- wc -l', 'a\nb\nc\n')).toEqual({ stdout: '3\n', stderr: '', exitCode: 0 });
    const r = await kubectl(page, 'exec bb -- bash');
    expect(r.exitCode).toBe(126);
    expect(r.stdout).toContain('exec: "bash": executable file not found in $PATH');
  });

  it('usage errors as kubectl prints them', async () => {
    expect(await kubectl(page, 'exec bb ls')).toEqual({ stdout: '', stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", exitCode: 1 });
    expect((await kubectl(page, 'exec nope -- ls')).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  it('a while(1) container keeps the kubelet responsive; OOM is reported as OOMKilled', async () => {
    const started = Date.now();
    expect((await kubectl(page, 'exec spin -- echo alive')).stdout).toBe('alive\n');
    expect(Date.now() - started).toBeLessThan(5000);
    const r = await waitForKubectl(page, 'get pod oom -o json', (x) => !!podJson(x.stdout)?.status?.containerStatuses?.[0]?.state?.terminated, 60000);
    expect(podJson(r.stdout)?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  }, 90_000);
});
