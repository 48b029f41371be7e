import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

type Terminated = { exitCode?: number; reason?: string; finishedAt?: string };
type PodJson = { status?: { phase?: string; containerStatuses?: Array<{ ready?: boolean; restartCount?: number; state?: { terminated?: Terminated } }> } };
type Handle = {
  tabernetes: {
    setSpeed(n: number): Promise<void>;
    kubectl(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
    client: { watch(ref: object, ns: string, opts: object, h: { onEvent(ev: { type: string; object: PodJson & { metadata: { name: string } } }): void }): { dispose(): void } };
  };
  __e2e?: Record<string, { terminated: Terminated[]; deleted: boolean; stop(): void; logs?: Promise<{ stdout: string }> }>;
};
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.40';

const podJson = (text: string): PodJson | undefined => {
  try {
    return JSON.parse(text) as PodJson;
  } catch {
    return undefined;
  }
};
const restarts = (text: string) => podJson(text)?.status?.containerStatuses?.[0]?.restartCount ?? 0;
const events = async (page: Page, name: string) => (await kubectl(page, `get events --field-selector involvedObject.name=${name}`)).stdout;

/** Runs body with cluster time at `speed`, restoring 1× afterwards. */
async function atSpeed<T>(page: Page, speed: number, body: () => Promise<T>): Promise<T> {
  await page.evaluate((s) => (window as unknown as Handle).tabernetes.setSpeed(s), speed);
  try {
    return await body();
  } finally {
    await page.evaluate(() => (window as unknown as Handle).tabernetes.setSpeed(1));
  }
}

/**
 * Starts, in the page, `kubectl logs -f <name>` and a watch on the pod that records every terminated
 * container state it sees (the kubelet reports it before the pod object goes away).
 */
async function observe(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => {
    const w = window as unknown as Handle;
    const rec = { terminated: [] as Terminated[], deleted: false, stop: () => undefined as void, logs: w.tabernetes.kubectl(`logs -f ${n}`) };
    const sub = w.tabernetes.client.watch({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, 'default', { fieldSelector: `metadata.name=${n}` }, {
      onEvent(ev) {
        if (ev.type === 'DELETED') rec.deleted = true;
        const t = ev.object.status?.containerStatuses?.[0]?.state?.terminated;
        if (t) rec.terminated.push(t);
      },
    });
    rec.stop = () => sub.dispose();
    (w.__e2e ??= {})[n] = rec;
  }, name);
}

async function observed(page: Page, name: string): Promise<{ logs: string; terminated: Terminated[]; deleted: boolean }> {
  return page.evaluate(async (n) => {
    const rec = (window as unknown as Handle).__e2e![n]!;
    const logs = await Promise.race([rec.logs!.then((r) => r.stdout), new Promise<string>((r) => setTimeout(() => r('<logs -f still running>'), 20000))]);
    rec.stop();
    return { logs, terminated: rec.terminated, deleted: rec.deleted };
  }, name);
}

// Whole-pod behaviour in the tab: HTTP/TCP/gRPC probes, graceful termination, init containers.
describe('pod lifecycle in the tab', () => {
  const cluster = clusterPageFixture();

  it('an httpGet liveness probe against agnhost liveness (500 after 10 s) restarts the container (60× clock)', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: liveness-http}
spec:
  containers:
  - name: app
    image: ${AGNHOST}
    args: [liveness]
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      initialDelaySeconds: 3
      periodSeconds: 3
`;
    expect((await kubectl(cluster.page, 'apply -f -', pod)).stdout).toBe('pod/liveness-http created\n');
    await waitForKubectl(cluster.page, 'get pod liveness-http', (r) => /1\/1\s+Running/.test(r.stdout), 60000);
    await atSpeed(cluster.page, 60, () => waitForKubectl(cluster.page, 'get pod liveness-http -o json', (r) => restarts(r.stdout) >= 1, 60000));
    const ev = await events(cluster.page, 'liveness-http');
    expect(ev).toContain('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(ev).toContain('Container app failed liveness probe, will be restarted');
  }, 150_000);

  it('a tcpSocket readiness probe: Ready only while something listens on the port', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: ready-tcp}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'while true; do if [ -f /tmp/listen ]; then nc -l -p 8080 </dev/null; else sleep 1; fi; done']
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
      failureThreshold: 2
`;
    const p = cluster.page;
    expect((await kubectl(p, 'apply -f -', pod)).stdout).toBe('pod/ready-tcp created\n');
    await waitForKubectl(p, 'get pod ready-tcp', (r) => /0\/1\s+Running/.test(r.stdout), 60000);
    await new Promise((r) => setTimeout(r, 3000)); // several failed probes: still not Ready
    expect((await kubectl(p, 'get pod ready-tcp')).stdout).toMatch(/ready-tcp\s+0\/1\s+Running/);
    expect(await events(p, 'ready-tcp')).toContain('Readiness probe failed: dial tcp');
    expect((await kubectl(p, 'exec ready-tcp -- touch /tmp/listen')).exitCode).toBe(0);
    await waitForKubectl(p, 'get pod ready-tcp', (r) => /1\/1\s+Running/.test(r.stdout), 30000);
    expect((await kubectl(p, 'exec ready-tcp -- rm /tmp/listen')).exitCode).toBe(0);
    await waitForKubectl(p, 'get pod ready-tcp', (r) => /0\/1\s+Running/.test(r.stdout), 30000);
    expect(restarts((await kubectl(p, 'get pod ready-tcp -o json')).stdout)).toBe(0);
  }, 150_000);

  it('a gRPC liveness probe: /make-not-serving → NOT_SERVING → restart', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: liveness-grpc}
spec:
  containers:
  - name: app
    image: ${AGNHOST}
    args: [grpc-health-checking]
    livenessProbe:
      grpc: {port: 5000}
      initialDelaySeconds: 3
      periodSeconds: 2
      failureThreshold: 1
`;
    const p = cluster.page;
    expect((await kubectl(p, 'apply -f -', pod)).stdout).toBe('pod/liveness-grpc created\n');
    await waitForKubectl(p, 'get pod liveness-grpc', (r) => /1\/1\s+Running/.test(r.stdout), 60000);
    await new Promise((r) => setTimeout(r, 5000)); // two passing probes
    expect(await events(p, 'liveness-grpc')).not.toContain('Unhealthy');
    expect(restarts((await kubectl(p, 'get pod liveness-grpc -o json')).stdout)).toBe(0);
    const made = await kubectl(p, 'exec liveness-grpc -- wget -qO- localhost:8080/make-not-serving');
    expect(made.exitCode).toBe(0);
    await waitForKubectl(p, 'get pod liveness-grpc -o json', (r) => restarts(r.stdout) >= 1, 60000);
    const ev = await events(p, 'liveness-grpc');
    expect(ev).toContain('Liveness probe failed: service unhealthy (responded with "NOT_SERVING")');
    expect(ev).toContain('Container app failed liveness probe, will be restarted');
  }, 150_000);

  /** Deletes a running busybox pod (optional grace period) whose TERM trap is `trap`; returns what observe() saw and how long `kubectl delete` took. */
  async function deleteTrapped(name: string, trap: string, graceSeconds?: number) {
    const p = cluster.page;
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:${graceSeconds === undefined ? '' : `\n  terminationGracePeriodSeconds: ${graceSeconds}`}
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'trap "${trap}" TERM; echo started; while true; do sleep 1; done']
`;
    expect((await kubectl(p, 'apply -f -', pod)).stdout).toBe(`pod/${name} created\n`);
    await waitForKubectl(p, `logs ${name}`, (r) => r.stdout.includes('started'), 60000);
    await observe(p, name);
    const started = Date.now();
    expect(await kubectl(p, `delete pod ${name}`)).toMatchObject({ stdout: `pod "${name}" deleted\n`, exitCode: 0 });
    const took = Date.now() - started;
    return { took, ...(await observed(p, name)) };
  }

  it('graceful termination: a TERM trap runs, logs "got TERM" and exits 0 long before the 30 s grace period', async () => {
    const o = await deleteTrapped('graceful', 'echo got TERM; sleep 1; exit 0');
    expect(o.logs).toBe('started\ngot TERM\n');
    expect(o.terminated.at(-1)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(o.deleted).toBe(true);
    expect(o.took).toBeLessThan(15000); // 30 s grace at 1×: the trap, not the kill, ended it
  }, 120_000);

  // The kubelet keeps a deleted pod's logs until container GC, so the follow's last poll still reads this line.
  it('graceful termination: output written just before the trap exits reaches the log', async () => {
    const o = await deleteTrapped('graceful-now', 'echo got TERM; exit 0');
    expect(o.terminated.at(-1)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(o.logs).toBe('started\ngot TERM\n');
  }, 120_000);

  it('a container ignoring TERM is killed (137) once its 2 s grace period ends', async () => {
    const o = await deleteTrapped('stubborn', 'echo ignoring TERM', 2);
    expect(o.logs).toBe('started\nignoring TERM\n');
    expect(o.terminated.at(-1)).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(o.took).toBeGreaterThanOrEqual(1800);
    expect(o.took).toBeLessThan(20000);
  }, 120_000);

  it('init containers run in order before the app; a failing one shows Init:Error / Init:CrashLoopBackOff', async () => {
    const p = cluster.page;
    const docs = `apiVersion: v1
kind: Pod
metadata: {name: init-order}
spec:
  volumes: [{name: work, emptyDir: {}}]
  initContainers:
  - {name: first, image: busybox, command: [sh, -c, 'echo first >> /work/order'], volumeMounts: [{name: work, mountPath: /work}]}
  - {name: second, image: busybox, command: [sh, -c, 'echo second >> /work/order'], volumeMounts: [{name: work, mountPath: /work}]}
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'echo app >> /work/order; cat /work/order; sleep 3600'], volumeMounts: [{name: work, mountPath: /work}]}
---
apiVersion: v1
kind: Pod
metadata: {name: init-fail-never}
spec:
  restartPolicy: Never
  initContainers: [{name: boom, image: busybox, command: [sh, -c, 'exit 3']}]
  containers: [{name: app, image: busybox, command: [sleep, '3600']}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-crash}
spec:
  initContainers: [{name: boom, image: busybox, command: [sh, -c, 'exit 3']}]
  containers: [{name: app, image: busybox, command: [sleep, '3600']}]
`;
    expect((await kubectl(p, 'apply -f -', docs)).stdout).toBe('pod/init-order created\npod/init-fail-never created\npod/init-crash created\n');
    const logs = await waitForKubectl(p, 'logs init-order', (r) => r.stdout.includes('app'), 60000);
    expect(logs.stdout).toBe('first\nsecond\napp\n');
    expect((await kubectl(p, 'get pod init-order')).stdout).toMatch(/init-order\s+1\/1\s+Running\s+0/);
    const never = await waitForKubectl(p, 'get pod init-fail-never', (r) => /Init:Error/.test(r.stdout), 60000);
    expect(never.stdout).toMatch(/init-fail-never\s+0\/1\s+Init:Error\s+0\s/);
    const crash = await waitForKubectl(p, 'get pod init-crash', (r) => /Init:CrashLoopBackOff/.test(r.stdout), 90000);
    expect(crash.stdout).toMatch(/init-crash\s+0\/1\s+Init:CrashLoopBackOff\s+[1-9]/);
  }, 180_000);
});
