import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

type WithHandle = { tabernetes: { setSpeed(n: number): Promise<void> } };

// Volumes and probes in the tab: container Workers reach the kubelet's host filesystem through the
// SharedArrayBuffer volume channel; probes exec in the containers.
describe('volumes and probes in the tab', () => {
  const cluster = clusterPageFixture();

  it('an emptyDir shared by two containers of a pod: one writes, the other reads it while both run', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  volumes: [{name: scratch, emptyDir: {}}]
  containers:
  - name: writer
    image: busybox
    command: [sh, -c, 'echo hello-from-writer > /scratch/msg; sleep 3600']
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  - name: reader
    image: busybox
    command: [sh, -c, 'while [ ! -f /scratch/msg ]; do sleep 1; done; cat /scratch/msg; sleep 3600']
    volumeMounts: [{name: scratch, mountPath: /scratch}]
`;
    expect((await kubectl(cluster.page, 'apply -f -', pod)).stdout).toBe('pod/shared created\n');
    const logs = await waitForKubectl(cluster.page, 'logs shared -c reader', (r) => r.stdout.includes('hello-from-writer'), 30000);
    expect(logs.stdout).toBe('hello-from-writer\n');
    const get = await waitForKubectl(cluster.page, 'get pod shared', (r) => /shared\s+2\/2\s+Running/.test(r.stdout));
    expect(get.exitCode).toBe(0);
  });

  it('a configMap mounted as files, read-only', async () => {
    const docs = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {greeting: hello-from-configmap}
---
apiVersion: v1
kind: Pod
metadata: {name: cm}
spec:
  volumes: [{name: cfg, configMap: {name: web-config}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'cat /etc/cfg/greeting; echo; ls /etc/cfg; echo x > /etc/cfg/new || echo read-only; sleep 3600']
    volumeMounts: [{name: cfg, mountPath: /etc/cfg}]
`;
    const applied = await kubectl(cluster.page, 'apply -f -', docs);
    expect(applied.stdout).toBe('configmap/web-config created\npod/cm created\n');
    const logs = await waitForKubectl(cluster.page, 'logs cm', (r) => r.stdout.includes('read-only'), 30000);
    expect(logs.stdout).toBe("hello-from-configmap\ngreeting\nsh: can't create /etc/cfg/new: Read-only file system\nread-only\n");
  });

  it('a failing liveness exec probe restarts the container (60× clock)', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: liveness}
spec:
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 5
      failureThreshold: 2
`;
    expect((await kubectl(cluster.page, 'apply -f -', pod)).stdout).toBe('pod/liveness created\n');
    await waitForKubectl(cluster.page, 'get pod liveness', (r) => /Running/.test(r.stdout));
    await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(60));
    try {
      const r = await waitForKubectl(cluster.page, 'get pod liveness -o json', (x) => (JSON.parse(x.stdout).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30000);
      expect(JSON.parse(r.stdout).status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(1);
    } finally {
      await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(1));
    }
    const events = await kubectl(cluster.page, 'get events --field-selector involvedObject.name=liveness');
    expect(events.stdout).toContain("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(events.stdout).toContain('Container app failed liveness probe, will be restarted');
  });

  it('passing exec probes keep a pod Ready and unrestarted, even at 60×', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: healthy}
spec:
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    readinessProbe: {exec: {command: ['true']}, periodSeconds: 2}
    livenessProbe: {exec: {command: ['true']}, periodSeconds: 2, failureThreshold: 1}
`;
    expect((await kubectl(cluster.page, 'apply -f -', pod)).stdout).toBe('pod/healthy created\n');
    await waitForKubectl(cluster.page, 'get pod healthy', (r) => /healthy\s+1\/1\s+Running/.test(r.stdout));
    await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(60));
    try {
      await new Promise((r) => setTimeout(r, 3000)); // 3 minutes of cluster time: 90 probes of each kind
    } finally {
      await cluster.page.evaluate(() => (window as unknown as WithHandle).tabernetes.setSpeed(1));
    }
    const st = JSON.parse((await kubectl(cluster.page, 'get pod healthy -o json')).stdout).status;
    expect(st.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0 });
    const events = await kubectl(cluster.page, 'get events --field-selector involvedObject.name=healthy');
    expect(events.stdout).not.toContain('Unhealthy');
  });
});
