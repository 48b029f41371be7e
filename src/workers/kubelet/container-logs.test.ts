import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock } from '../../api';
import { CONTAINER_GC_MS, DeletedPodLogs, podLogDir } from './container-logs';
import { memoryDisk } from './testing/fake-runtime';

const pod = (name: string, uid = `uid-${name}`): Pod => ({ metadata: { name, namespace: 'default', uid } });

async function setUp(names: Pod[]) {
  const disk = memoryDisk();
  for (const p of names) await disk.appendLog(`${podLogDir(p)}/app/0.log`, ['2026-01-01T00:00:00.000000000Z stdout F hi']);
  const present = async (p: Pod) => (await disk.readLog(`${podLogDir(p)}/app/0.log`)) !== undefined;
  return { disk, present };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('DeletedPodLogs', () => {
  it('keeps at most max deleted pods, removing the longest-deleted pod\'s logs first', async () => {
    const [a, b, c] = [pod('a'), pod('b'), pod('c')];
    const { disk, present } = await setUp([a, b, c]);
    const kept = new DeletedPodLogs(new FakeClock(), disk, 2);
    kept.keep(a, { phase: 'Succeeded' });
    kept.keep(b, undefined);
    kept.keep(c, undefined);
    await settle();
    expect([await present(a), await present(b), await present(c)]).toEqual([false, true, true]);
    expect(kept.find('default', 'a')).toBeUndefined();
    expect(kept.find('default', 'b')).toBe(b);
    expect(kept.statusOf('uid-a')).toBeUndefined();
    kept.dispose();
    await settle();
    expect([await present(b), await present(c)]).toEqual([false, false]);
  });

  it('answers a name with the most recently deleted pod, and drops each pod on the second GC sweep after its delete', async () => {
    const [old, newer] = [pod('web', 'uid-1'), pod('web', 'uid-2')];
    const { disk, present } = await setUp([old, newer]);
    const clock = new FakeClock();
    const kept = new DeletedPodLogs(clock, disk);
    kept.keep(old, { phase: 'Failed' });
    await clock.advance(CONTAINER_GC_MS / 2);
    kept.keep(newer, { phase: 'Succeeded' });
    expect(kept.find('default', 'web')).toBe(newer);
    expect(kept.statusOf('uid-1')).toEqual({ phase: 'Failed' });
    await clock.advance(CONTAINER_GC_MS / 2); // first sweep
    await settle();
    expect([await present(old), await present(newer)]).toEqual([true, true]);
    await clock.advance(CONTAINER_GC_MS); // second sweep: both (the newer one was kept 1.5 periods)
    await settle();
    expect([await present(old), await present(newer)]).toEqual([false, false]);
    expect(kept.find('default', 'web')).toBeUndefined();
    kept.dispose();
  });
});
