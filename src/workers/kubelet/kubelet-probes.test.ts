import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { Events, Pods } from '../../api';
import { dialTcp } from '../../network';
import { startThreadedTestCluster } from '../../node/threaded-test-cluster';
import { until, wasmNodes } from '../../../test/wasm-node-fixture';
import { messages, pod, podOf, sleepForeverLauncher, type WasmNode } from './testing/wasm-node';

// Probes against real busybox exec (in-process) in long-running containers, on a FakeClock.
const node = wasmNodes({ diskName: 'kubelet-probes', launcher: (clock) => sleepForeverLauncher(clock) });

/** Advances the clock in steps, letting probe execs and syncs settle after each. */
async function advance(n: WasmNode, ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await n.clock.advance(Math.min(step, ms - t));
    await new Promise((r) => setTimeout(r, 5));
    await n.kubelet.idle();
  }
}

const app = (extra: Record<string, unknown>) => ({ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }], ...extra });
const withData = (name: string, container: Record<string, unknown>, more: Record<string, unknown> = {}): Pod => pod(name, { volumes: [{ name: 'data', emptyDir: {} }], containers: [container], ...more });
const cs = (n: WasmNode, name: string) => podOf(n.api, name)?.status?.containerStatuses?.[0];
const cond = (n: WasmNode, name: string, type: string) => podOf(n.api, name)?.status?.conditions?.find((c) => c.type === type);
const touch = (n: WasmNode, uid: string, file: string) => {
  const fs = n.runtime.hostFs;
  fs.create('file', fs.resolve(fs.root, `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/data`), file);
};

describe('kubelet probes (exec)', () => {
  it('readiness: not ready while the exec fails (Unhealthy event with its output), Ready once it passes', async () => {
    const n = await node();
    n.api.put('pods', withData('rd', app({ readinessProbe: { exec: { command: ['cat', '/data/ready'] }, periodSeconds: 5 } })) as never);
    await until(() => cs(n, 'rd')?.state?.running !== undefined, 'running');
    await advance(n, 1000);
    expect(cs(n, 'rd')).toMatchObject({ ready: false, started: true });
    expect(cond(n, 'rd', 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(messages(n.api, 'Unhealthy')).toEqual(["Readiness probe failed: cat: can't open '/data/ready': No such file or directory\n"]);
    touch(n, 'uid-rd', 'ready');
    await advance(n, 5000);
    await until(() => cs(n, 'rd')?.ready === true, 'ready');
    expect(cond(n, 'rd', 'Ready')?.status).toBe('True');
    expect(cond(n, 'rd', 'ContainersReady')?.status).toBe('True');
  });

  it('liveness: failureThreshold failures kill the container with the kubelet words; it restarts', async () => {
    const n = await node();
    n.api.put('pods', withData('lv', app({ livenessProbe: { exec: { command: ['sh', '-c', 'echo unhealthy; exit 1'] }, initialDelaySeconds: 3, periodSeconds: 5, failureThreshold: 2 } })) as never);
    await until(() => cs(n, 'lv')?.state?.running !== undefined, 'running');
    await advance(n, 2000);
    expect(messages(n.api, 'Unhealthy')).toEqual([]); // initialDelaySeconds
    await advance(n, 2000);
    expect(messages(n.api, 'Unhealthy')).toEqual(['Liveness probe failed: unhealthy\n']);
    expect(messages(n.api, 'Killing')).toEqual([]);
    await advance(n, 5000);
    expect(messages(n.api, 'Killing')).toEqual(['Container app failed liveness probe, will be restarted']);
    await until(() => (cs(n, 'lv')?.restartCount ?? 0) === 1 && cs(n, 'lv')?.state?.running !== undefined, 'restarted');
    expect(cs(n, 'lv')?.lastState?.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
  });

  it('startup: liveness and readiness wait for it; its failure kills with the startup words; success sets started', async () => {
    const n = await node();
    n.api.put('pods', withData('st', app({
      startupProbe: { exec: { command: ['cat', '/data/up'] }, periodSeconds: 2, failureThreshold: 3 },
      livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
    })) as never);
    await until(() => cs(n, 'st')?.state?.running !== undefined, 'running');
    await advance(n, 1000);
    expect(cs(n, 'st')).toMatchObject({ started: false, ready: false });
    await advance(n, 4000);
    expect(messages(n.api, 'Unhealthy').every((m) => m!.startsWith('Startup probe failed: '))).toBe(true);
    expect(messages(n.api, 'Killing')).toEqual(['Container st failed startup probe, will be restarted'.replace('st', 'app')]);

    const m = await node();
    m.api.put('pods', withData('ok', app({ startupProbe: { exec: { command: ['true'] }, periodSeconds: 2 }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 } })) as never);
    await until(() => cs(m, 'ok')?.state?.running !== undefined, 'running');
    await advance(m, 3000);
    await until(() => cs(m, 'ok')?.started === true && cs(m, 'ok')?.ready === true, 'started and ready');
  });

  it('timeoutSeconds: a probe command that runs too long fails with "timed out"', async () => {
    const n = await node();
    n.api.put('pods', withData('to', app({ readinessProbe: { exec: { command: ['sleep', '10'] }, timeoutSeconds: 2, periodSeconds: 5 } })) as never);
    await until(() => cs(n, 'to')?.state?.running !== undefined, 'running');
    await advance(n, 3000);
    expect(messages(n.api, 'Unhealthy')).toEqual(['Readiness probe failed: command "sleep 10" timed out']);
  });

  it('httpGet and tcpSocket without a cluster network: a ProbeWarning, counted as success', async () => {
    const n = await node();
    n.api.put('pods', withData('hg', app({ readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } })) as never);
    await until(() => cs(n, 'hg')?.state?.running !== undefined, 'running');
    await advance(n, 1000);
    expect(messages(n.api, 'ProbeWarning')).toEqual(['Readiness probe warning: httpGet probes are not yet supported by Tabernetes (no cluster network)']);
    expect(cs(n, 'hg')?.ready).toBe(true);
  });
});

describe('kubelet probes (grpc, whole cluster)', () => {
  it('a grpc liveness probe passes against agnhost grpc-health-checking, then fails after /make-not-serving with the kubelet words', async () => {
    const { cluster: c, clock } = await startThreadedTestCluster(`grpcprobe-${process.pid}`, 95);
    // The cluster runs on a fake clock: tick it so the probe periods come round.
    const ticker = setInterval(() => void clock.advance(250), 50);
    try {
      await c.client.create(Pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'grpc', namespace: 'default' },
        spec: {
          containers: [
            {
              name: 'agnhost',
              image: 'registry.k8s.io/e2e-test-images/agnhost:2.40',
              args: ['grpc-health-checking', '--service=liveness'],
              livenessProbe: { grpc: { port: 5000, service: 'liveness' }, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 2 },
            },
          ],
        },
      });
      const events = async (reason: string) =>
        (await c.client.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject?.name === 'grpc' && e.reason === reason).map((e) => e.message);
      const get = () => c.client.get<Pod>(Pods, 'grpc', 'default');
      await until(async () => !!(await get()).status?.containerStatuses?.[0]?.state?.running, 'grpc running', 60_000);
      const startedAt = clock.now();
      await until(() => clock.now() - startedAt > 5_000, 'five probe periods', 30_000);
      expect(await events('Unhealthy')).toEqual([]);
      expect(await events('ProbeWarning')).toEqual([]);
      const podIP = (await get()).status?.podIP ?? '';
      const conn = await dialTcp(c.network, podIP, 8080, { fromIp: '172.18.0.2' });
      await conn.write(new TextEncoder().encode(`GET /make-not-serving HTTP/1.1\r\nHost: ${podIP}\r\nConnection: close\r\n\r\n`));
      expect(new TextDecoder().decode(await conn.readAll())).toMatch(/^HTTP\/1\.1 200 OK/);
      conn.close();
      await until(async () => (await events('Killing')).length > 0, 'the liveness kill', 60_000);
      expect((await events('Unhealthy'))[0]).toBe('Liveness probe failed: service unhealthy (responded with "NOT_SERVING")');
      expect(await events('Killing')).toEqual(['Container agnhost failed liveness probe, will be restarted']);
      // the restarted container serves again
      await until(async () => ((await get()).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && !!(await get()).status?.containerStatuses?.[0]?.state?.running, 'restarted', 60_000);
    } finally {
      clearInterval(ticker);
      await c.stop();
    }
  }, 180_000);
});
