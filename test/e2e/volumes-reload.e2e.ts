import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl, waitForReady, type KubectlResult } from './page-helpers';

// Node-local volume data across a page reload, through the real tab: PV data (default StorageClass), disk-medium
// emptyDir and hostPath are saved to IndexedDB `tabernetes-volumes` and restored by the kubelets of the reloaded
// page; a Memory-medium emptyDir is tmpfs and comes back empty. Deleting the pod frees its emptyDir, not the PV.
const manifest = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: vr-data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: vr}
spec:
  terminationGracePeriodSeconds: 0
  volumes:
  - {name: pvc, persistentVolumeClaim: {claimName: vr-data}}
  - {name: disk, emptyDir: {}}
  - {name: mem, emptyDir: {medium: Memory}}
  - {name: host, hostPath: {path: /data/vr-host, type: DirectoryOrCreate}}
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    volumeMounts:
    - {name: pvc, mountPath: /pvc}
    - {name: disk, mountPath: /disk}
    - {name: mem, mountPath: /mem}
    - {name: host, mountPath: /host}
`;

const LIST = "exec vr -- sh -c 'cat /pvc/f /disk/f /host/f; ls -A /mem; echo end'";
const podOf = (r: KubectlResult) => JSON.parse(r.stdout) as { metadata: { uid: string }; spec: { nodeName?: string }; status?: { phase?: string } };

describe('volumes across a reload in the tab', () => {
  const cluster = clusterPageFixture();
  let uid = '';
  let nodeName = '';

  it('a pod with a PVC, a disk emptyDir, a Memory emptyDir and a hostPath writes to all four', async () => {
    const applied = await kubectl(cluster.page, 'apply -f -', manifest);
    expect(applied.stdout).toBe('persistentvolumeclaim/vr-data created\npod/vr created\n');
    const running = await waitForKubectl(cluster.page, 'get pod vr -o json', (r) => r.exitCode === 0 && podOf(r).status?.phase === 'Running', 60000);
    ({ metadata: { uid }, spec: { nodeName = '' } } = podOf(running));
    const w = await kubectl(cluster.page, "exec vr -- sh -c 'echo pv-data > /pvc/f; echo disk-data > /disk/f; echo host-data > /host/f; echo mem-data > /mem/f'");
    expect(w).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect((await kubectl(cluster.page, LIST)).stdout).toBe('pv-data\ndisk-data\nhost-data\nf\nend\n');
    expect((await kubectl(cluster.page, 'get pvc vr-data')).stdout).toMatch(/vr-data\s+Bound/);
    await new Promise((r) => setTimeout(r, 3000)); // the kubelet saves changed volumes every second of cluster time
  });

  it('after page.reload() the same pod sees its PVC, disk emptyDir and hostPath files; the Memory emptyDir is empty', async () => {
    await cluster.page.reload();
    await waitForReady(cluster.page);
    const r = await waitForKubectl(cluster.page, LIST, (x) => x.exitCode === 0 && x.stdout.endsWith('end\n'), 90000);
    expect(r).toEqual({ stdout: 'pv-data\ndisk-data\nhost-data\nend\n', stderr: '', exitCode: 0 });
    const pod = podOf(await kubectl(cluster.page, 'get pod vr -o json'));
    expect(pod.metadata.uid).toBe(uid);
    expect(pod.spec.nodeName).toBe(nodeName);
  });

  it('a re-created pod gets the PVC data back and a fresh emptyDir', async () => {
    const del = await kubectl(cluster.page, 'delete pod vr');
    expect(del.stdout).toBe('pod "vr" deleted\n');
    expect((await kubectl(cluster.page, 'apply -f -', manifest)).stdout).toBe('persistentvolumeclaim/vr-data unchanged\npod/vr created\n');
    const running = await waitForKubectl(cluster.page, 'get pod vr -o json', (x) => x.exitCode === 0 && podOf(x).status?.phase === 'Running', 60000);
    expect(podOf(running).metadata.uid).not.toBe(uid);
    expect(podOf(running).spec.nodeName).toBe(nodeName); // the local-path PV's node affinity
    const r = await kubectl(cluster.page, "exec vr -- sh -c 'cat /pvc/f /host/f; ls -A /disk /mem; echo end'");
    expect(r).toEqual({ stdout: 'pv-data\nhost-data\n/disk:\n/mem:\nend\n', stderr: '', exitCode: 0 });
  });

  it('no page errors', () => {
    expect(cluster.errors).toEqual([]);
  });
});
