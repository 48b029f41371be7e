import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../../api';
import type { LocalCluster } from '../../cluster';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { startThreadedTestCluster } from '../../node/threaded-test-cluster';
import type { KubectlIO } from '../kubectl-io';
import { runKubectl } from '../run-kubectl';
import { nodeDebugPod, nodeTarget } from './debug-node';

const base = { container: 'debugger', image: 'busybox', env: [], pullPolicy: '', stdin: true, tty: true, command: [], argsOnly: false, quiet: false };

describe('nodeDebugPod: the pod kubectl 1.32 creates for debug node/NAME, per profile', () => {
  it('legacy: host namespaces, / at /host, pinned, tolerating everything, never restarted', () => {
    expect(nodeDebugPod('w1', 'node-debugger-w1-abcde', { ...base, profile: 'legacy' })).toEqual({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'node-debugger-w1-abcde' },
      spec: {
        containers: [{ name: 'debugger', image: 'busybox', stdin: true, terminationMessagePolicy: 'File', tty: true, volumeMounts: [{ mountPath: '/host', name: 'host-root' }] }],
        nodeName: 'w1', restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }],
        volumes: [{ name: 'host-root', hostPath: { path: '/' } }], hostNetwork: true, hostPID: true, hostIPC: true,
      },
    });
  });

  it('the other profiles', () => {
    const spec = (profile: string) => nodeDebugPod('w1', 'p', { ...base, profile }).spec!;
    const flags = (profile: string) => { const s = spec(profile); return [!!s.hostNetwork, !!s.hostPID, !!s.hostIPC, !!s.volumes?.length, s.containers[0].securityContext]; };
    expect(flags('general')).toEqual([true, true, true, true, undefined]);
    expect(flags('baseline')).toEqual([false, false, false, false, undefined]);
    expect(flags('restricted')).toEqual([false, false, false, false, { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }]);
    expect(flags('netadmin')).toEqual([true, true, true, false, { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } }]);
    expect(flags('sysadmin')).toEqual([true, true, true, true, { privileged: true }]);
    expect(nodeDebugPod('w1', 'p', { ...base, profile: 'general', command: ['sleep', '1'], argsOnly: true }).spec!.containers[0].args).toEqual(['sleep', '1']);
  });

  it('recognises node targets', () => {
    expect(['node/a', 'nodes/b', 'NO/c', 'node.v1/d', 'pod/x', 'x'].map(nodeTarget)).toEqual(['a', 'b', 'c', 'd', undefined, undefined]);
  });
});

let cluster: LocalCluster;
let clock: FakeClock;

describe('kubectl debug node/NAME -it on a real node', () => {
  beforeAll(async () => {
    await ensureImagesBuilt();
    ({ cluster, clock } = await startThreadedTestCluster(`kubectl-debug-node-${process.pid}`, 83));
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('creates node-debugger-<node>-xxxxx on the node, attaches a shell with the host at /host', async () => {
    let stdout = '';
    let stderr = '';
    const listeners = new Set<(d: string) => void>();
    const stdinStream: NonNullable<KubectlIO['stdinStream']> = {
      onData: (cb) => (listeners.add(cb), { dispose: () => listeners.delete(cb) }),
      size: () => ({ width: 100, height: 30 }),
    };
    const script = [
      { after: 'pressing enter', type: '\r' },
      { after: '/ # ', type: 'ls /host; ls /host/var/lib/kubelet/pods >/dev/null && echo HOST-OK; echo NODE=$(hostname).\r' },
      { after: 'NODE=', type: 'exit\r' },
    ];
    const feed = () => {
      while (script.length && (stdout + stderr).includes(script[0].after)) {
        const { type } = script.shift()!;
        queueMicrotask(() => listeners.forEach((l) => l(type)));
      }
    };
    const code = await runKubectl(['debug', 'node/tabernetes-worker', '-it', '--image=busybox'], {
      client: cluster.client, clock, tty: true, stdinStream,
      stdout: (s) => ((stdout += s), feed()),
      stderr: (s) => ((stderr += s), feed()),
    });
    const m = /^Creating debugging pod (node-debugger-tabernetes-worker-[bcdfghjklmnpqrstvwxz2456789]{5}) with container debugger on node tabernetes-worker\.\n/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    const podName = m![1];
    expect(stderr).toBe('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\nIf you don\'t see a command prompt, try pressing enter.\n');
    expect(stdout).toContain('HOST-OK\r\n');
    // restartPolicy Never: kubectl prints no "Session ended" hint.
    expect(stdout.endsWith('/ # exit\r\n')).toBe(true);
    expect(code).toBe(0);
    const pod = await cluster.client.get<Pod>(Pods, podName, 'default');
    expect(pod.spec).toMatchObject({ nodeName: 'tabernetes-worker', hostNetwork: true, hostPID: true, hostIPC: true, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] });
    expect(pod.spec?.volumes?.[0]).toMatchObject({ name: 'host-root', hostPath: { path: '/' } });
    // Recorded for the report: whether the node's host filesystem shows at /host.
    console.log('debug node /host probe:', JSON.stringify(stdout.slice(stdout.indexOf('/ # '))));
  }, 90_000);

  it('errors as kubectl does for a missing node, and -q prints nothing', async () => {
    let out = '';
    let err = '';
    const io = { client: cluster.client, clock, stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
    expect(await runKubectl(['debug', 'node/nope', '--image=busybox', '--profile=general'], io)).toBe(1);
    expect({ out, err }).toEqual({ out: '', err: 'Error from server (NotFound): nodes "nope" not found\n' });
    out = '';
    err = '';
    expect(await runKubectl(['debug', 'node/tabernetes-worker2', '--image=busybox', '--profile=baseline', '-q', '--', 'true'], io)).toBe(0);
    expect({ out, err }).toEqual({ out: '', err: '' });
    const pods = await cluster.client.list<Pod>(Pods, 'default');
    const made = pods.items.find((p) => p.metadata?.name?.startsWith('node-debugger-tabernetes-worker2-'));
    expect(made?.spec).toMatchObject({ nodeName: 'tabernetes-worker2', containers: [{ name: 'debugger', command: ['true'] }] });
    expect(made?.spec?.hostPID).toBeUndefined();
  }, 30_000);
});
