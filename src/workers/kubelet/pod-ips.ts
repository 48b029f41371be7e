import type { NodeDisk } from '../runtime/cri';

/** One state key per allocation: `kubelet/pod-ip/<uid>` → ip. */
const KEY_PREFIX = 'kubelet/pod-ip/';
/** Where earlier versions kept the whole uid → ip map in one record (read once and moved to per-pod keys). */
const LEGACY_KEY = 'kubelet/pod-ips';

/**
 * Pod IPs from the node's podCIDR (a /24 such as 10.244.1.0/24): .1 is the bridge, pods get .2–.254,
 * lowest free first. An allocation is stable for the pod's life and survives a kubelet reload (it is kept
 * in the node disk's state area, one record per pod, so allocating or releasing writes only that pod's).
 * allocate/release resolve once the record is written. Rejects when the range is exhausted.
 */
export class PodIps {
  private byUid = new Map<string, string>();

  private constructor(
    private readonly disk: NodeDisk,
    private readonly prefix: string,
  ) {}

  static async open(disk: NodeDisk, podCIDR: string): Promise<PodIps> {
    const prefix = podCIDR.split('/')[0].split('.').slice(0, 3).join('.');
    const ips = new PodIps(disk, prefix);
    for (const { key, value } of await disk.listState<string>(KEY_PREFIX)) ips.byUid.set(key.slice(KEY_PREFIX.length), value);
    const legacy = await disk.getState<Record<string, string>>(LEGACY_KEY);
    if (legacy) {
      const moved = Object.entries(legacy).filter(([uid]) => !ips.byUid.has(uid));
      for (const [uid, ip] of moved) ips.byUid.set(uid, ip);
      await Promise.all([...moved.map(([uid, ip]) => disk.putState(KEY_PREFIX + uid, ip)), disk.deleteState(LEGACY_KEY)]);
    }
    return ips;
  }

  get(uid: string): string | undefined {
    return this.byUid.get(uid);
  }

  async allocate(uid: string): Promise<string> {
    const have = this.byUid.get(uid);
    if (have) return have;
    const used = new Set(this.byUid.values());
    for (let host = 2; host < 255; host++) {
      const ip = `${this.prefix}.${host}`;
      if (used.has(ip)) continue;
      this.byUid.set(uid, ip);
      await this.disk.putState(KEY_PREFIX + uid, ip);
      return ip;
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${this.prefix}.1-${this.prefix}.254`);
  }

  async release(uid: string): Promise<void> {
    if (!this.byUid.delete(uid)) return;
    await this.disk.deleteState(KEY_PREFIX + uid);
  }
}
