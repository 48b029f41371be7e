import type { NodeDisk } from '../runtime/cri';

const STATE_KEY = 'kubelet/pod-ips';

/**
 * Pod IPs from the node's podCIDR (a /24 such as 10.244.1.0/24): .1 is the bridge, pods get .2–.254,
 * lowest free first. An allocation is stable for the pod's life and survives a kubelet reload (it is kept
 * in the node disk's state area). Rejects when the range is exhausted.
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
    const saved = await disk.getState<Record<string, string>>(STATE_KEY);
    for (const [uid, ip] of Object.entries(saved ?? {})) ips.byUid.set(uid, ip);
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
      await this.save();
      return ip;
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${this.prefix}.1-${this.prefix}.254`);
  }

  async release(uid: string): Promise<void> {
    if (!this.byUid.delete(uid)) return;
    await this.save();
  }

  private save(): Promise<void> {
    return this.disk.putState(STATE_KEY, Object.fromEntries(this.byUid));
  }
}
