import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

/**
 * The controller-manager's promises, end to end in the tab (issue 6): rolling update without losing
 * capacity, rollback, node failure → eviction → rescheduling, Job backoff, CronJob, StatefulSet PVCs.
 * Tests run in order on one cluster; the later ones switch the cluster clock to 60×.
 */

type Handle = {
  tabernetes: {
    client: { raw(req: { method: string; path: string }): Promise<{ body: unknown }> };
    setSpeed(n: number): Promise<void>;
    stopNode(n: string): Promise<void>;
    startNode(n: string): Promise<void>;
  };
  __readySamples?: number[];
  __stopSampling?: boolean;
};

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 10
  selector:
    matchLabels: { app: web }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 2 }
  template:
    metadata:
      labels: { app: web }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: ${image}
        command: ["sleep", "3600"]
`;

/** Samples, every 25 ms in the page, how many non-terminating app=web pods are Ready. */
async function startReadySampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Handle;
    w.__readySamples = [];
    w.__stopSampling = false;
    void (async () => {
      while (!w.__stopSampling) {
        const res = await w.tabernetes.client.raw({ method: 'GET', path: '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb' });
        const items = ((res.body as { items?: unknown[] }).items ?? []) as Array<{ metadata: { deletionTimestamp?: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
        const ready = items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
        w.__readySamples!.push(ready);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
  });
}

async function stopReadySampler(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as Handle;
    w.__stopSampling = true;
    return w.__readySamples ?? [];
  });
}

const podsJson = async (page: Page, selector: string) => JSON.parse((await kubectl(page, `get pods -l ${selector} -o json`)).stdout).items as any[];

describe('controllers in the tab', () => {
  const cluster = clusterPageFixture();

  it('rolls 10 replicas to a new image with maxUnavailable 0, never dropping below 10 Ready', async () => {
    const { page } = cluster;
    expect((await kubectl(page, 'apply -f -', deployment('busybox:1.36'))).stdout).toBe('deployment.apps/web created\n');
    const first = await kubectl(page, 'rollout status deployment/web --timeout=60s');
    expect(first.stdout).toContain('deployment "web" successfully rolled out');
    await startReadySampler(page);
    expect((await kubectl(page, 'set image deployment/web c=busybox:latest')).stdout).toBe('deployment.apps/web image updated\n');
    const rolled = await kubectl(page, 'rollout status deployment/web --timeout=90s');
    expect(rolled.exitCode).toBe(0);
    const samples = await stopReadySampler(page);
    expect(samples.length).toBeGreaterThan(10);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(10);
    const pods = await waitForKubectl(page, 'get pods -l app=web -o json', (r) => {
      const items = JSON.parse(r.stdout).items as any[];
      return items.length === 10 && items.every((p) => p.spec.containers[0].image === 'busybox:latest');
    }, 30000);
    expect(JSON.parse(pods.stdout).items).toHaveLength(10);
  }, 180_000);

  it('rolls back with rollout undo and keeps the history', async () => {
    const { page } = cluster;
    expect((await kubectl(page, 'rollout undo deployment/web')).stdout).toBe('deployment.apps/web rolled back\n');
    expect((await kubectl(page, 'rollout status deployment/web --timeout=90s')).exitCode).toBe(0);
    await waitForKubectl(page, 'get deployment web -o jsonpath={.spec.template.spec.containers[0].image}', (r) => r.stdout === 'busybox:1.36');
    const history = await kubectl(page, 'rollout history deployment/web');
    expect(history.stdout).toMatch(/^deployment\.apps\/web \nREVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n\n$/);
    expect((await kubectl(page, 'scale deployment/web --replicas=4')).exitCode).toBe(0);
    await waitForKubectl(page, 'get pods -l app=web --no-headers', (r) => r.stdout.trim().split('\n').filter((l) => / Running /.test(l)).length === 4 && !/Terminating/.test(r.stdout), 60000);
  }, 180_000);

  it('a failed node goes NotReady, gets the unreachable taint, and its pods are evicted and rescheduled', async () => {
    const { page } = cluster;
    await page.evaluate(() => (window as unknown as Handle).tabernetes.setSpeed(60));
    // The default spread (maxSkew 3, ScheduleAnyway, as kube's) may put all 4 pods on one worker: fail that one.
    const pods = await podsJson(page, 'app=web');
    const on = (n: string) => pods.filter((p) => p.spec.nodeName === n).length;
    const [victim, healthy] = on('tabernetes-worker2') >= on('tabernetes-worker') ? ['tabernetes-worker2', 'tabernetes-worker'] : ['tabernetes-worker', 'tabernetes-worker2'];
    const before = pods.filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);
    expect(before.length).toBeGreaterThan(0);
    await page.evaluate((n) => (window as unknown as Handle).tabernetes.stopNode(n), victim);
    // 40 s grace period of cluster time → Unknown, with the NoExecute unreachable taint.
    const node = await waitForKubectl(page, `get node ${victim} -o json`, (r) => JSON.parse(r.stdout).status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'Unknown'), 20000);
    expect(JSON.parse(node.stdout).spec.taints).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' })]));
    expect((await kubectl(page, `get node ${victim}`)).stdout).toMatch(new RegExp(`^${victim}\\s+NotReady\\s`, 'm'));
    // tolerationSeconds 300 (DefaultTolerationSeconds) → evicted; the ReplicaSet replaces them on the healthy worker.
    await waitForKubectl(page, 'get pods -l app=web -o json', (r) => {
      const items = JSON.parse(r.stdout).items as any[];
      const live = items.filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 4 && live.every((p) => p.spec.nodeName === healthy && p.status.phase === 'Running') && !items.some((p) => before.includes(p.metadata.name) && !p.metadata.deletionTimestamp);
    }, 30000);
    await page.evaluate((n) => (window as unknown as Handle).tabernetes.startNode(n), victim);
    await waitForKubectl(page, `get node ${victim}`, (r) => new RegExp(`^${victim}\\s+Ready\\s`, 'm').test(r.stdout), 30000);
    await waitForKubectl(page, `get node ${victim} -o jsonpath={.spec.taints}`, (r) => !r.stdout.includes('unreachable'), 30000);
  }, 120_000);

  it('a failing Job backs off and fails with BackoffLimitExceeded', async () => {
    const { page } = cluster;
    await page.evaluate(() => (window as unknown as Handle).tabernetes.setSpeed(60));
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: flaky\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: docker.io/tabernetes/fail\n';
    expect((await kubectl(page, 'apply -f -', job)).stdout).toBe('job.batch/flaky created\n');
    const done = await waitForKubectl(page, 'get job flaky -o json', (r) => (JSON.parse(r.stdout).status.conditions ?? []).some((c: any) => c.type === 'Failed' && c.status === 'True'), 60000);
    const status = JSON.parse(done.stdout).status;
    expect(status.conditions.find((c: any) => c.type === 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(status.failed).toBe(3);
    const events = await kubectl(page, 'get events --field-selector involvedObject.name=flaky -o json');
    expect(JSON.parse(events.stdout).items.map((e: any) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'BackoffLimitExceeded']));
  }, 90_000);

  it('a CronJob fires on the cluster clock', async () => {
    const { page } = cluster;
    expect((await kubectl(page, 'create cronjob tick --image=busybox --schedule="*/1 * * * *" -- echo hi')).exitCode).toBe(0);
    const jobs = await waitForKubectl(page, 'get jobs -o json', (r) => (JSON.parse(r.stdout).items as any[]).some((j) => j.metadata.ownerReferences?.[0]?.name === 'tick' && j.status.succeeded === 1), 30000);
    const job = (JSON.parse(jobs.stdout).items as any[]).find((j) => j.metadata.ownerReferences?.[0]?.name === 'tick');
    expect(job.metadata.name).toMatch(/^tick-\d+$/);
    const logs = await kubectl(page, `logs job/${job.metadata.name}`);
    expect(logs.stdout).toBe('hi\n');
    await waitForKubectl(page, 'get cronjob tick -o json', (r) => !!JSON.parse(r.stdout).status.lastSuccessfulTime, 20000);
    expect((await kubectl(page, 'delete cronjob tick')).exitCode).toBe(0);
  }, 90_000);

  it('a StatefulSet keeps its PVC when a pod is deleted and recreated', async () => {
    const { page } = cluster;
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: { app: db }
  template:
    metadata:
      labels: { app: db }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox
        command: ["sleep", "3600"]
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
`;
    expect((await kubectl(page, 'apply -f -', sts)).stdout).toBe('statefulset.apps/db created\n');
    await waitForKubectl(page, 'get pods -l app=db --no-headers', (r) => /^db-0\s+1\/1\s+Running/m.test(r.stdout) && /^db-1\s+1\/1\s+Running/m.test(r.stdout), 40000);
    const pvc = await waitForKubectl(page, 'get pvc data-db-0 -o json', (r) => JSON.parse(r.stdout).status?.phase === 'Bound', 20000);
    const uid = JSON.parse(pvc.stdout).metadata.uid;
    const oldPod = JSON.parse((await kubectl(page, 'get pod db-0 -o json')).stdout).metadata.uid;
    expect((await kubectl(page, 'delete pod db-0')).stdout).toBe('pod "db-0" deleted\n');
    const back = await waitForKubectl(page, 'get pod db-0 -o json', (r) => {
      const p = r.exitCode === 0 ? JSON.parse(r.stdout) : undefined;
      return !!p && p.metadata.uid !== oldPod && p.status.phase === 'Running';
    }, 40000);
    const pod = JSON.parse(back.stdout);
    expect(pod.spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName).toBe('data-db-0');
    expect(JSON.parse((await kubectl(page, 'get pvc data-db-0 -o json')).stdout).metadata.uid).toBe(uid);
  }, 120_000);
});
