import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

type WithHandle = { tabernetes: { setSpeed(n: number): Promise<void> } };

const LOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: load}
spec:
  replicas: 1
  selector: {matchLabels: {app: load}}
  template:
    metadata: {labels: {app: load}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: stress
        image: polinux/stress
        command: [stress]
        args: [--cpu, "1"]
        resources: {requests: {cpu: 200m}}
`;

// The autoscaling pipeline in the tab: container Workers' measured CPU → kubelet stats → metrics.k8s.io →
// HPA → Deployment scale, at 60× so the 5-minute scale-down stabilization takes seconds.
describe('HorizontalPodAutoscaler in the tab', () => {
  const cluster = clusterPageFixture();

  it('kubectl top shows a stress pod’s CPU; the HPA scales 1 → 2 under load and back to 1 when it stops', async () => {
    const page = cluster.page;
    await page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(60));
    expect((await kubectl(page, 'apply -f -', LOAD)).stdout).toBe('deployment.apps/load created\n');
    expect((await kubectl(page, 'autoscale deployment load --cpu-percent=50 --min=1 --max=2')).stdout).toBe('horizontalpodautoscaler.autoscaling/load autoscaled\n');
    // The first window may include the container Worker's start (no CPU yet): wait for a full window of load.
    const cpuOf = (out: string) => Number(/^load-\S+\s+(\d+)m\s+\d+Mi\s+$/m.exec(out)?.[1] ?? 0);
    const top = await waitForKubectl(page, 'top pod', (r) => cpuOf(r.stdout) > 500, 60000);
    const cpu = cpuOf(top.stdout);
    expect(cpu).toBeLessThan(1100);
    expect((await kubectl(page, 'top node')).stdout).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    await waitForKubectl(page, 'get deploy load', (r) => /^load\s+2\/2\s+2\s+2\s/m.test(r.stdout), 60000);
    const up = await kubectl(page, 'get events --field-selector involvedObject.kind=HorizontalPodAutoscaler -o custom-columns=MSG:.message --no-headers');
    expect(up.stdout).toContain('New size: 2; reason: cpu resource utilization (percentage of request) above target');
    // Load off: a rollout to idle stress pods; after the downscale stabilization window the HPA goes back to 1.
    const patched = await kubectl(page, `patch deployment load -p '{"spec":{"template":{"spec":{"containers":[{"name":"stress","args":["--cpu","0"]}]}}}}'`);
    expect(patched.stdout).toBe('deployment.apps/load patched\n');
    await waitForKubectl(page, 'get hpa load -o jsonpath={.status.desiredReplicas}', (r) => r.stdout === '1', 90000).catch(async (err) => {
      throw new Error(`${(err as Error).message}\n${(await kubectl(page, 'describe hpa load')).stdout}\n${(await kubectl(page, 'top pod')).stdout}`);
    });
    const down = await kubectl(page, 'get events --field-selector involvedObject.kind=HorizontalPodAutoscaler -o custom-columns=MSG:.message --no-headers');
    expect(down.stdout).toContain('New size: 1; reason: All metrics below target');
    await page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(1));
  }, 240000);
});
