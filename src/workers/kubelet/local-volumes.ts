import type { FsNode, MemFs } from '../runtime/wasi/mem-fs';
import { mkdirp, stat } from './atomic-writer';
import { restoreTree, unchangedSince, type PvStore } from './pv-store';

/**
 * Node-local volume data that outlives a page reload, as it outlives a kubelet restart on a real node:
 * disk-medium emptyDir (`emptyDir:<node>:<pod uid>/<volume>`, deleted with its pod) and hostPath
 * (`hostPath:<node>:<path>`, the node's disk: kept while its Node object lives) in the PV store's IndexedDB,
 * which every kubelet of the cluster shares (so each only ever touches records of its own node).
 * Memory-medium emptyDir is tmpfs and is never saved here (a node reboot loses it).
 *
 * Contracts:
 * - emptyDir/hostPath restore the saved tree before first use by this kubelet, only into what is not on the
 *   host filesystem yet (entries the node already has are kept); later calls only create the directory.
 * - persist() saves every tracked volume whose tree changed since its last save; one save at a time.
 * - tearDown(uid) forgets the pod's emptyDirs and deletes their records after any save in flight, so a
 *   removed pod's data is never written back. collectOrphans(live) deletes this node's emptyDir records of
 *   pods that are neither live nor known here (pods deleted while the page was closed), and records of the
 *   old node-less key format `emptyDir:<uid>/<volume>` (nothing reads them).
 * - nodeDeleted() (the Node object is gone) deletes this node's hostPath records after any save in flight and
 *   stops saving hostPaths for the rest of this kubelet's life (as kubelet, it does not re-register until it
 *   restarts: a reload then registers a new Node with an empty disk).
 */
export class LocalVolumes {
  private readonly emptyDirs = new Map<string, Map<string, string>>(); // uid → volume → host dir
  private readonly hostPaths = new Set<string>();
  private readonly saved = new Map<string, FsNode | undefined>(); // key → tree last saved or restored
  private inFlight: Promise<void> = Promise.resolve();
  private nodeGone = false;

  constructor(
    private readonly fs: MemFs,
    private readonly store: PvStore,
    private readonly nodeName: string,
  ) {}

  emptyDirKey(uid: string, volume: string): string {
    return `emptyDir:${this.nodeName}:${uid}/${volume}`;
  }

  hostPathKey(path: string): string {
    return `hostPath:${this.nodeName}:${path}`;
  }

  async emptyDir(uid: string, volume: string, dir: string): Promise<void> {
    const vols = this.emptyDirs.get(uid) ?? new Map<string, string>();
    if (vols.has(volume)) return void mkdirp(this.fs, dir);
    const key = this.emptyDirKey(uid, volume);
    const saved = stat(this.fs, dir) ? undefined : await this.store.load(key);
    const node = mkdirp(this.fs, dir);
    if (saved) restoreTree(this.fs, node, saved);
    this.saved.set(key, saved);
    this.emptyDirs.set(uid, vols.set(volume, dir));
  }

  /** Restores a hostPath's saved data (before the type check, which may need it) and tracks it. */
  async hostPath(path: string): Promise<void> {
    if (this.hostPaths.has(path) || this.nodeGone) return;
    const key = this.hostPathKey(path);
    const saved = await this.store.load(key);
    if (this.hostPaths.has(path) || this.nodeGone) return;
    this.hostPaths.add(path);
    this.saved.set(key, saved);
    if (!saved) return;
    if (saved.kind === 'dir') return restoreTree(this.fs, mkdirp(this.fs, path), saved);
    if (saved.kind !== 'file' || stat(this.fs, path)) return;
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop()!;
    const n = this.fs.create('file', mkdirp(this.fs, parts.join('/')), name);
    n.write(0, saved.data);
    n.mode = saved.mode;
  }

  persist(): Promise<void> {
    const run = this.inFlight.then(async () => {
      const tracked: Array<[string, string, () => boolean]> = [...this.hostPaths].map((p) => [this.hostPathKey(p), p, () => this.hostPaths.has(p)]);
      for (const [uid, vols] of this.emptyDirs) for (const [v, dir] of vols) tracked.push([this.emptyDirKey(uid, v), dir, () => this.emptyDirs.has(uid)]);
      for (const [key, path, stillTracked] of tracked) {
        const node = stat(this.fs, path);
        if (!node) continue;
        if (unchangedSince(node, this.saved.get(key)) || !stillTracked()) continue;
        const snap = this.fs.snapshot(node);
        await this.store.save(key, snap);
        this.saved.set(key, snap);
      }
    });
    this.inFlight = run.catch(() => undefined);
    return run;
  }

  async tearDown(uid: string): Promise<void> {
    this.emptyDirs.delete(uid);
    await this.inFlight;
    for (const key of await this.store.keys(`emptyDir:${this.nodeName}:${uid}/`)) {
      await this.store.remove(key);
      this.saved.delete(key);
    }
  }

  async collectOrphans(live: Set<string>): Promise<void> {
    const mine = `emptyDir:${this.nodeName}:`;
    for (const key of await this.store.keys('emptyDir:')) {
      const legacy = !key.slice(9, key.indexOf('/')).includes(':');
      const uid = key.startsWith(mine) ? key.slice(mine.length, key.indexOf('/')) : undefined;
      if (legacy || (uid !== undefined && !live.has(uid) && !this.emptyDirs.has(uid))) await this.store.remove(key);
    }
  }

  async nodeDeleted(): Promise<void> {
    this.nodeGone = true;
    this.hostPaths.clear();
    await this.inFlight;
    for (const key of await this.store.keys(`hostPath:${this.nodeName}:`)) {
      await this.store.remove(key);
      this.saved.delete(key);
    }
  }
}
