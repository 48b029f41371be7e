import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openNodeDisk } from '../runtime';
import { PodIps } from './pod-ips';

describe('PodIps', () => {
  it('allocates lowest free first, one record per pod, kept across a reload', async () => {
    const disk = await openNodeDisk('pod-ips-a');
    const ips = await PodIps.open(disk, '10.244.1.0/24');
    expect(await ips.allocate('u1')).toBe('10.244.1.2');
    expect(await ips.allocate('u2')).toBe('10.244.1.3');
    expect(await ips.allocate('u1')).toBe('10.244.1.2');
    await ips.release('u1');
    expect(await disk.listState('kubelet/')).toEqual([{ key: 'kubelet/pod-ip/u2', value: '10.244.1.3' }]);
    const again = await PodIps.open(disk, '10.244.1.0/24');
    expect(again.get('u2')).toBe('10.244.1.3');
    expect(await again.allocate('u3')).toBe('10.244.1.2');
    await disk.close();
  });

  it('moves the single map earlier versions saved to per-pod records', async () => {
    const disk = await openNodeDisk('pod-ips-b');
    await disk.putState('kubelet/pod-ips', { old1: '10.244.2.2', old2: '10.244.2.4' });
    const ips = await PodIps.open(disk, '10.244.2.0/24');
    expect(ips.get('old2')).toBe('10.244.2.4');
    expect(await ips.allocate('new')).toBe('10.244.2.3');
    expect((await disk.listState('kubelet/')).map((r) => r.key)).toEqual(['kubelet/pod-ip/new', 'kubelet/pod-ip/old1', 'kubelet/pod-ip/old2']);
    await disk.close();
  });

  it('rejects when the range is exhausted', async () => {
    const disk = await openNodeDisk('pod-ips-c');
    const ips = await PodIps.open(disk, '10.244.3.0/24');
    for (let i = 0; i < 253; i++) await ips.allocate(`u${i}`);
    await expect(ips.allocate('one-more')).rejects.toThrow('no IP addresses available in range set: 10.244.3.1-10.244.3.254');
    await disk.close();
  });
});
