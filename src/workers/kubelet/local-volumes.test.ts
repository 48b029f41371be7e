import 'fake-indexeddb/auto';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import type { ApiClient } from '../../client/api-client';
import { createHostFs } from '../runtime/volume-mounts';
import type { MemFs } from '../runtime/wasi/mem-fs';
import { mkdirp, stat } from './atomic-writer';
import { openPvStore, type PvStore } from './pv-store';
import { VolumeManager } from './volume-manager';

const dec = new TextDecoder();
let dbs = 0;

/** A kubelet's volume manager on a fresh host filesystem (what a page reload gives) over a shared IDB. */
function boot(store: PvStore, nodeName = 'node-1') {
  const hostFs = createHostFs(() => 0);
  const vm = new VolumeManager({ client: {} as ApiClient, hostFs, clock: new FakeClock(), hostIP: '172.18.0.2', nodeName, pvStore: store });
  return { hostFs, vm };
}

function pod(uid: string, volumes: Pod['spec'] extends infer S ? (S extends { volumes?: infer V } ? V : never) : never): Pod {
  return { metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [], volumes } } as Pod;
}

/** Writes a file as a container does through its VolumeServer (which bumps hostFs.changes). */
function write(fs: MemFs, path: string, text: string): void {
  const parts = path.split('/').filter(Boolean);
  const name = parts.pop()!;
  const dir = mkdirp(fs, parts.join('/'));
  const n = dir.children.get(name) ?? fs.create('file', dir, name);
  n.truncate(0);
  n.write(0, new TextEncoder().encode(text));
  fs.changes++;
}

const read = (fs: MemFs, path: string) => {
  const n = stat(fs, path);
  return n ? dec.decode(n.bytes()) : undefined;
};
const edDir = (uid: string, v: string) => `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/${v}`;

describe('node-local volumes across a page reload (LocalVolumes in IndexedDB)', () => {
  it('disk emptyDir and hostPath survive a reload; Memory emptyDir does not; deleting the pod frees its emptyDir', async () => {
    const store = await openPvStore(`local-volumes-${++dbs}`);
    const p = pod('u1', [{ name: 'scratch', emptyDir: {} }, { name: 'ram', emptyDir: { medium: 'Memory' } }, { name: 'host', hostPath: { path: '/data/app' } }]);
    const a = boot(store);
    expect(await a.vm.setUp(p, undefined)).toEqual([]);
    write(a.hostFs, `${edDir('u1', 'scratch')}/sub/msg`, 'kept');
    write(a.hostFs, `${edDir('u1', 'ram')}/tmp`, 'lost');
    write(a.hostFs, '/data/app/state', 'node disk');
    await a.vm.persist();
    expect((await store.keys('')).sort()).toEqual(['emptyDir:node-1:u1/scratch', 'hostPath:node-1:/data/app']);

    // "Reload": a new host filesystem and volume manager on the same IndexedDB.
    const b = boot(store);
    expect(read(b.hostFs, `${edDir('u1', 'scratch')}/sub/msg`)).toBeUndefined();
    expect(await b.vm.setUp(p, undefined)).toEqual([]);
    expect(read(b.hostFs, `${edDir('u1', 'scratch')}/sub/msg`)).toBe('kept');
    expect(read(b.hostFs, `${edDir('u1', 'ram')}/tmp`)).toBeUndefined();
    expect(stat(b.hostFs, edDir('u1', 'ram'))?.kind).toBe('dir');
    expect(read(b.hostFs, '/data/app/state')).toBe('node disk');

    // Changes after the reload are saved too; then the pod is deleted: its emptyDir record goes, hostPath stays.
    write(b.hostFs, `${edDir('u1', 'scratch')}/sub/msg`, 'changed');
    await b.vm.persist();
    expect(dec.decode(((await store.load('emptyDir:node-1:u1/scratch')) as { entries: Record<string, { entries: Record<string, { data: Uint8Array }> }> }).entries.sub.entries.msg.data)).toBe('changed');
    await b.vm.tearDown('u1');
    expect(await store.keys('')).toEqual(['hostPath:node-1:/data/app']);
    expect(stat(b.hostFs, '/var/lib/kubelet/pods/u1')).toBeUndefined();
    b.hostFs.changes++;
    await b.vm.persist();
    expect(await store.load('emptyDir:node-1:u1/scratch')).toBeUndefined();

    // A new pod with the same volume names starts empty; hostPath type Directory is satisfied from the saved data.
    const c = boot(store);
    expect(await c.vm.setUp(pod('u2', [{ name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: '/data/app', type: 'Directory' } }]), undefined)).toEqual([]);
    expect(stat(c.hostFs, edDir('u2', 'scratch'))?.children.size).toBe(0);
    expect(read(c.hostFs, '/data/app/state')).toBe('node disk');
    // hostPath records are per node.
    const other = boot(store, 'node-2');
    expect(await other.vm.setUp(pod('u3', [{ name: 'host', hostPath: { path: '/data/app', type: 'Directory' } }]), undefined)).toEqual([
      { volume: 'host', message: 'hostPath type check failed: /data/app is not a directory' },
    ]);
    store.close();
  });

  it('a pod deleted while no kubelet ran: collectOrphans frees its saved emptyDir, keeps live pods', async () => {
    const store = await openPvStore(`local-volumes-${++dbs}`);
    const a = boot(store);
    for (const uid of ['gone', 'live']) {
      await a.vm.setUp(pod(uid, [{ name: 'v', emptyDir: {} }]), undefined);
      write(a.hostFs, `${edDir(uid, 'v')}/f`, uid);
    }
    await a.vm.persist();
    expect((await store.keys('emptyDir:')).sort()).toEqual(['emptyDir:node-1:gone/v', 'emptyDir:node-1:live/v']);
    const b = boot(store);
    await b.vm.collectOrphans(new Set(['live']));
    expect(await store.keys('emptyDir:')).toEqual(['emptyDir:node-1:live/v']);
    await b.vm.setUp(pod('live', [{ name: 'v', emptyDir: {} }]), undefined);
    expect(read(b.hostFs, `${edDir('live', 'v')}/f`)).toBe('live');
    store.close();
  });

  it('kubelets share the store: collectOrphans on one node never frees another node\'s emptyDir; old node-less keys go', async () => {
    const store = await openPvStore(`local-volumes-${++dbs}`);
    const a = boot(store, 'node-a');
    await a.vm.setUp(pod('on-a', [{ name: 'v', emptyDir: {} }]), undefined);
    write(a.hostFs, `${edDir('on-a', 'v')}/f`, 'a');
    await a.vm.persist();
    await store.save('emptyDir:old-uid/v', { kind: 'dir', mode: 0o755, entries: {} } as never);
    const b = boot(store, 'node-b'); // node-b's kubelet has no pods: on-a is not live there
    await b.vm.collectOrphans(new Set());
    expect(await store.keys('emptyDir:')).toEqual(['emptyDir:node-a:on-a/v']);
    const reloaded = boot(store, 'node-a');
    await reloaded.vm.setUp(pod('on-a', [{ name: 'v', emptyDir: {} }]), undefined);
    expect(read(reloaded.hostFs, `${edDir('on-a', 'v')}/f`)).toBe('a');
    store.close();
  });

  it('nodeDeleted deletes that node\'s hostPath records (not other nodes\') and saves no hostPath after', async () => {
    const store = await openPvStore(`local-volumes-${++dbs}`);
    const a = boot(store, 'node-a');
    const b = boot(store, 'node-b');
    const p = pod('u', [{ name: 'host', hostPath: { path: '/data/h' } }, { name: 'e', emptyDir: {} }]);
    for (const n of [a, b]) {
      await n.vm.setUp(p, undefined);
      write(n.hostFs, '/data/h/f', 'x');
      await n.vm.persist();
    }
    expect((await store.keys('hostPath:')).sort()).toEqual(['hostPath:node-a:/data/h', 'hostPath:node-b:/data/h']);
    write(a.hostFs, '/data/h/f', 'changed');
    const saving = a.vm.persist();
    await a.vm.nodeDeleted();
    await saving;
    expect(await store.keys('hostPath:')).toEqual(['hostPath:node-b:/data/h']);
    // Pods still running on the deleted node are resynced: their hostPaths are not tracked or saved again.
    await a.vm.setUp(p, undefined);
    write(a.hostFs, '/data/h/f', 'again');
    await a.vm.persist();
    expect(await store.keys('hostPath:')).toEqual(['hostPath:node-b:/data/h']);
    expect(await store.keys('emptyDir:node-a:')).toEqual(['emptyDir:node-a:u/e']);
    store.close();
  });

  it('a save in flight when the pod is torn down does not write its data back', async () => {
    const store = await openPvStore(`local-volumes-${++dbs}`);
    const a = boot(store);
    await a.vm.setUp(pod('u', [{ name: 'v', emptyDir: {} }]), undefined);
    write(a.hostFs, `${edDir('u', 'v')}/f`, 'x');
    const saving = a.vm.persist();
    await a.vm.tearDown('u');
    await saving;
    expect(await store.keys('')).toEqual([]);
    store.close();
  });
});

describe('unchangedSince', () => {
  it('matches a snapshot of the live tree until a byte, a file mode or an entry changes; mtimes do not count', async () => {
    const { unchangedSince } = await import('./pv-store');
    const fs = createHostFs();
    const dir = mkdirp(fs, '/v/data');
    const f = fs.create('file', dir, 'a');
    f.write(0, new TextEncoder().encode('hello'));
    const saved = fs.snapshot(dir);
    expect(unchangedSince(dir, saved)).toBe(true);
    expect(unchangedSince(dir, undefined)).toBe(false);
    f.mtime += 1000;
    expect(unchangedSince(dir, saved)).toBe(true);
    f.write(0, new TextEncoder().encode('j'));
    expect(unchangedSince(dir, saved)).toBe(false);
    const again = fs.snapshot(dir);
    f.mode = 0o600;
    expect(unchangedSince(dir, again)).toBe(false);
    f.mode = again.kind === 'dir' && again.entries.a.kind === 'file' ? again.entries.a.mode : 0;
    expect(unchangedSince(dir, again)).toBe(true);
    fs.create('file', dir, 'b');
    expect(unchangedSince(dir, again)).toBe(false);
  });
});
