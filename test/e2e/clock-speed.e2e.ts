import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

type WithHandle = { tabernetes: { speed: number; setSpeed(n: number): Promise<void> } };

describe('the cluster clock runs faster on request', () => {
  const cluster = clusterPageFixture();

  it('at 60× a minute of cluster time passes in about a second, in the API and in every component', async () => {
    const created = await kubectl(cluster.page, 'apply -f -', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  restartPolicy: Always\n  containers:\n  - name: c\n    image: docker.io/tabernetes/fail\n');
    expect(created.stdout).toBe('pod/crash created\n');
    await cluster.page.selectOption('[data-testid=speed]', '60');
    expect(await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.speed)).toBe(60);
    // AGE comes from the apiserver's clock: after ~3 s of wall time the pod is minutes old.
    await waitForKubectl(cluster.page, 'get pod crash', (r) => /crash\s+\S+\s+\S+\s+\d+.*\s(2m|3m|4m)\d*s?\s*$/m.test(r.stdout), 15000);
    // The kubelet's CrashLoopBackOff (10 s, 20 s, 40 s … of cluster time) now restarts it several times quickly.
    const r = await waitForKubectl(cluster.page, 'get pod crash -o json', (x) => (JSON.parse(x.stdout).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3, 15000);
    expect(JSON.parse(r.stdout).status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(3);
    await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(1));
    expect(await cluster.page.locator('[data-testid=speed]').inputValue()).toBe('1');
  });
});
