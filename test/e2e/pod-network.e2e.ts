import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

// The pod network in the tab: containers in their Workers connect over the cluster's SharedArrayBuffer
// fabric (docs/sockets.md); an exec'd process shares its pod's network.
describe('pod network in the tab', () => {
  const fixture = clusterPageFixture();

  it('busybox wget (kubectl exec) reaches hashicorp/http-echo in another pod on its pod IP', async () => {
    const { page } = fixture;
    const manifest = [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=hello from the tab"]}]\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n',
    ].join('---\n');
    expect((await kubectl(page, 'apply -f -', manifest)).exitCode).toBe(0);
    const running = (r: { stdout: string }) => (JSON.parse(r.stdout || '{}') as { status?: { phase?: string } }).status?.phase === 'Running';
    const web = await waitForKubectl(page, 'get pod web -o json', running, 60_000);
    await waitForKubectl(page, 'get pod bb -o json', running, 60_000);
    const ip = (JSON.parse(web.stdout) as { status: { podIP: string } }).status.podIP;
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
    const r = await waitForKubectl(page, `exec bb -- wget -qO- http://${ip}:5678/`, (x) => x.exitCode === 0, 30_000);
    expect(r).toEqual({ stdout: 'hello from the tab\n', stderr: '', exitCode: 0 });
    const refused = await kubectl(page, `exec bb -- wget -qO- http://${ip}:80/`);
    expect(refused).toEqual({ stdout: '', stderr: `wget: can't connect to remote host (${ip}): Connection refused\ncommand terminated with exit code 1\n`, exitCode: 1 });
  }, 150_000);
});
