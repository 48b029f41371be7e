import type { Container, PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { PersistentVolumeClaims } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import type { Mount } from '../runtime/cri';
import type { MemFs } from '../runtime/wasi/mem-fs';
import type { Disposable } from '../../api/disposable';
import type { FsNode } from '../runtime/wasi/mem-fs';
import { mkdirp, removePath, stat, writeAtomically, type Payload } from './atomic-writer';
import { restoreTree, unchangedSince, type PvStore } from './pv-store';
import { LocalVolumes } from './local-volumes';
import { quantityBytes } from './quantity-bytes';
import { volumePayload, VolumeSetUpError } from './volume-payload';
import type { ObjectReader } from './pod-object-cache';

export interface VolumeManagerDeps {
  client: ApiClient;
  /** The node's host filesystem, shared with the runtime (WasmRuntime.hostFs). */
  hostFs: MemFs;
  clock: Clock;
  hostIP: string;
  /** Where PV data persists, and disk-medium emptyDir and hostPath data across reloads (absent: only in this node's memory). */
  pvStore?: PvStore;
  /** Names this node's hostPath records in pvStore (default: hostIP). */
  nodeName?: string;
  waits?: VolumeWaits;
  /** Where ConfigMaps and Secrets are read (the kubelet's PodObjectCache); default: a GET per object. */
  objects?: ObjectReader;
}

/** How often PV data in use is saved when it changed (cluster time). */
const PV_SAVE_MS = 1_000;

export interface VolumeFailure {
  volume: string;
  /** The plugin's words, e.g. `configmap "x" not found`. */
  message: string;
}

/** Told which API objects a pod's failed volumes wait for (VolumeSourceWatch). */
export interface VolumeWaits {
  wait(uid: string, keys: string[]): void;
  forget(uid: string): void;
}

/** The volume manager's retry of a failed mount: 500 ms doubling to 2m2s (exponentialbackoff). */
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 122_000;

/** Where the kubelet keeps a PersistentVolume's data on this node (node-local, kept after its pods are gone). */
export const PV_DATA_DIR = '/var/lib/tabernetes/pv';

const PLUGIN_DIR: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};
const API_DATA = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

function pluginOf(v: Volume): string {
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected', 'hostPath', 'persistentVolumeClaim'] as const) if (v[k]) return k;
  return 'emptyDir'; // emptyDir, and volume types Tabernetes has no plugin for (node-local scratch space)
}

/**
 * The kubelet's volume manager on the node's host filesystem. Layout as the kubelet's:
 * /var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>; hostPath volumes are the path itself;
 * a bound PVC's volume is PV_DATA_DIR/<pv name>.
 *
 * Contracts:
 * - setUp(pod) mounts every volume (idempotent) and rewrites API-data volumes (configMap, secret,
 *   downwardAPI, projected) whose contents changed, with the AtomicWriter layout; resolves with the volumes
 *   that failed (the pod's containers must not start) — each failure is retried by the caller after
 *   retryAfter(uid).
 * - mounts(pod, c) are the CRI mounts of c's volumeMounts; API-data volumes are always read-only; subPath
 *   selects a path inside the volume (created for writable volumes; not updated live, as in Kubernetes).
 * - tearDown(uid) removes the pod's directory (emptyDir data); hostPath data stays. A PV is restored from
 *   pvStore when first mounted on the node, saved every PV_SAVE_MS while in use if it changed (start()),
 *   and saved and dropped from the node when its last pod here is torn down.
 * - With pvStore, disk-medium emptyDir and hostPath data also survive a reload (LocalVolumes, same cadence);
 *   tearDown deletes the pod's saved emptyDirs, collectOrphans(liveUids) those of pods gone meanwhile.
 */
export class VolumeManager {
  private readonly written = new Map<string, Payload>();
  private readonly retries = new Map<string, number>();
  private readonly pvUsers = new Map<string, Set<string>>();
  private readonly pvSaved = new Map<string, FsNode | undefined>();
  private readonly pvRestoring = new Map<string, Promise<void>>();
  private seenChanges = -1;
  private stamps = 0;

  private readonly local: LocalVolumes | undefined;

  constructor(private readonly d: VolumeManagerDeps) {
    this.local = d.pvStore ? new LocalVolumes(d.hostFs, d.pvStore, d.nodeName ?? d.hostIP) : undefined;
  }

  static podDir(uid: string): string {
    return `/var/lib/kubelet/pods/${uid}`;
  }

  private dirOf(pod: Pod, v: Volume, pvName?: string): string {
    const plugin = pluginOf(v);
    if (plugin === 'hostPath') return v.hostPath!.path;
    if (plugin === 'persistentVolumeClaim') return `${PV_DATA_DIR}/${pvName ?? v.persistentVolumeClaim!.claimName}`;
    return `${VolumeManager.podDir(pod.metadata?.uid ?? '')}/volumes/${PLUGIN_DIR[plugin]}/${v.name}`;
  }

  private stamp(): string {
    const iso = new Date(this.d.clock.now()).toISOString(); // 2026-01-01T00:00:00.000Z
    const seq = String(++this.stamps).padStart(6, '0');
    return `${iso.slice(0, 19).replace(/[-T:]/g, '_')}.${iso.slice(20, 23)}${seq}`;
  }

  async setUp(pod: Pod, podIP: string | undefined): Promise<VolumeFailure[]> {
    const uid = pod.metadata?.uid ?? '';
    const failures: VolumeFailure[] = [];
    const waitsFor: string[] = [];
    const ctx = { client: this.d.client, ...(this.d.objects ? { objects: this.d.objects } : {}), pod, hostIP: this.d.hostIP, podIP, nowSeconds: Math.floor(this.d.clock.now() / 1000) };
    for (const v of pod.spec?.volumes ?? []) {
      try {
        await this.setUpOne(pod, v, ctx);
      } catch (err) {
        if (!(err instanceof VolumeSetUpError)) throw err;
        failures.push({ volume: v.name, message: err.message });
        if (err.waitsFor) waitsFor.push(err.waitsFor);
      }
    }
    if (!failures.length) this.retries.delete(uid);
    if (failures.length) this.d.waits?.wait(uid, waitsFor);
    else this.d.waits?.forget(uid);
    return failures;
  }

  private async setUpOne(pod: Pod, v: Volume, ctx: Parameters<typeof volumePayload>[0]): Promise<void> {
    const fs = this.d.hostFs;
    const plugin = pluginOf(v);
    if (plugin === 'hostPath') {
      await this.local?.hostPath(v.hostPath!.path);
      return this.hostPath(v);
    }
    if (plugin === 'persistentVolumeClaim') {
      const pv = await this.boundPv(pod, v);
      const dir = this.dirOf(pod, v, pv);
      if (!this.pvRestoring.has(pv)) this.pvRestoring.set(pv, this.restorePv(pv, dir));
      await this.pvRestoring.get(pv);
      const users = this.pvUsers.get(pv) ?? new Set<string>();
      this.pvUsers.set(pv, users.add(pod.metadata?.uid ?? ''));
      return;
    }
    const dir = this.dirOf(pod, v);
    if (!API_DATA.has(plugin)) {
      if (this.local && v.emptyDir?.medium !== 'Memory') await this.local.emptyDir(pod.metadata?.uid ?? '', v.name, dir);
      else mkdirp(fs, dir);
      return;
    }
    const payload = (await volumePayload(ctx, v))!;
    const key = `${pod.metadata?.uid}/${v.name}`;
    if (writeAtomically(fs, dir, payload, this.written.get(key), this.stamp())) this.written.set(key, payload);
  }

  private async restorePv(pv: string, dir: string): Promise<void> {
    if (stat(this.d.hostFs, dir)) return;
    const saved = await this.d.pvStore?.load(pv);
    const node = mkdirp(this.d.hostFs, dir);
    if (saved) restoreTree(this.d.hostFs, node, saved);
    this.pvSaved.set(pv, saved);
  }

  /** Saves every PV in use, emptyDir and hostPath whose data changed since it was last saved. */
  async persist(): Promise<void> {
    const store = this.d.pvStore;
    if (!store || this.d.hostFs.changes === this.seenChanges) return;
    this.seenChanges = this.d.hostFs.changes;
    for (const pv of this.pvUsers.keys()) await this.savePv(store, pv);
    await this.local?.persist();
  }

  /** The node's Node object was deleted: its saved hostPath data goes and is no longer saved (LocalVolumes.nodeDeleted). */
  async nodeDeleted(): Promise<void> {
    await this.local?.nodeDeleted();
  }

  /** Deletes saved emptyDir data of pods not in liveUids (call once the pod list is synced). */
  async collectOrphans(liveUids: Set<string>): Promise<void> {
    await this.local?.collectOrphans(liveUids);
  }

  private async savePv(store: PvStore, pv: string): Promise<void> {
    const node = stat(this.d.hostFs, `${PV_DATA_DIR}/${pv}`);
    if (!node) return;
    if (unchangedSince(node, this.pvSaved.get(pv))) return;
    const snap = this.d.hostFs.snapshot(node);
    await store.save(pv, snap);
    this.pvSaved.set(pv, snap);
  }

  /** Saves changed PV data every PV_SAVE_MS of cluster time. */
  start(): Disposable {
    let busy = false;
    return this.d.clock.every(PV_SAVE_MS, () => {
      if (busy) return;
      busy = true;
      void this.persist().finally(() => (busy = false));
    });
  }

  private hostPath(v: Volume): void {
    const { path, type } = v.hostPath!;
    const node = stat(this.d.hostFs, path);
    const kind = node?.kind;
    if (type === 'Directory' && kind !== 'dir') throw new VolumeSetUpError(`hostPath type check failed: ${path} is not a directory`);
    if (type === 'File' && kind !== 'file') throw new VolumeSetUpError(`hostPath type check failed: ${path} is not a file`);
    if (type === 'FileOrCreate') {
      if (!node) {
        const parts = path.split('/').filter(Boolean);
        const name = parts.pop()!;
        this.d.hostFs.create('file', mkdirp(this.d.hostFs, parts.join('/')), name);
      } else if (kind !== 'file') throw new VolumeSetUpError(`hostPath type check failed: ${path} is not a file`);
      return;
    }
    if (!node) mkdirp(this.d.hostFs, path); // unset type and DirectoryOrCreate: created like docker's bind mount source
  }

  /** The PV bound to the volume's claim; VolumeSetUpError while the claim is missing or unbound. */
  private async boundPv(pod: Pod, v: Volume): Promise<string> {
    const ns = pod.metadata?.namespace ?? '';
    const name = v.persistentVolumeClaim!.claimName;
    let pvc: PersistentVolumeClaim;
    try {
      pvc = await this.d.client.get<PersistentVolumeClaim>(PersistentVolumeClaims, name, ns);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) throw new VolumeSetUpError(`error processing PVC ${ns}/${name}: PVC is not found`, `persistentvolumeclaims/${ns}/${name}`);
      throw err;
    }
    const pv = pvc.spec?.volumeName;
    if (!pv || pvc.status?.phase !== 'Bound') throw new VolumeSetUpError(`error processing PVC ${ns}/${name}: PVC is not bound`, `persistentvolumeclaims/${ns}/${name}`);
    return pv;
  }

  /** ms until the next attempt for a pod whose setUp failed (doubles per call, from 500 ms to 2m2s). */
  retryAfter(uid: string): number {
    const next = Math.min((this.retries.get(uid) ?? RETRY_INITIAL_MS / 2) * 2, RETRY_MAX_MS);
    this.retries.set(uid, next);
    return next;
  }

  async mounts(pod: Pod, c: Container): Promise<Mount[]> {
    const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
    const out: Mount[] = [];
    for (const vm of c.volumeMounts ?? []) {
      const v = volumes.get(vm.name);
      if (!v) continue;
      const plugin = pluginOf(v);
      const base = this.dirOf(pod, v, plugin === 'persistentVolumeClaim' ? await this.boundPv(pod, v) : undefined);
      const readonly = !!vm.readOnly || API_DATA.has(plugin);
      const sub = (vm.subPath ?? '').replace(/^\/+|\/+$/g, '');
      if (sub && !readonly && !stat(this.d.hostFs, `${base}/${sub}`)) mkdirp(this.d.hostFs, `${base}/${sub}`);
      // Only tmpfs (medium Memory) stops writes at sizeLimit (ENOSPC); a disk emptyDir over it is evicted by the eviction manager.
      const limit = v.emptyDir?.medium === 'Memory' && v.emptyDir.sizeLimit !== undefined ? quantityBytes(String(v.emptyDir.sizeLimit)) : undefined;
      out.push({
        containerPath: vm.mountPath,
        hostPath: sub ? `${base}/${sub}` : base,
        ...(readonly ? { readonly: true } : {}),
        ...(limit !== undefined ? { sizeLimitBytes: limit } : {}),
      });
    }
    return out;
  }

  async tearDown(uid: string): Promise<void> {
    removePath(this.d.hostFs, VolumeManager.podDir(uid));
    await this.local?.tearDown(uid);
    for (const [pv, users] of this.pvUsers) {
      if (!users.delete(uid) || users.size) continue;
      this.pvUsers.delete(pv);
      if (this.d.pvStore) {
        await this.savePv(this.d.pvStore, pv);
        removePath(this.d.hostFs, `${PV_DATA_DIR}/${pv}`);
        this.pvSaved.delete(pv);
        this.pvRestoring.delete(pv);
      }
    }
    for (const k of [...this.written.keys()]) if (k.startsWith(`${uid}/`)) this.written.delete(k);
    this.retries.delete(uid);
    this.d.waits?.forget(uid);
  }
}
