import 'fake-indexeddb/auto';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import type { ContainerStatus, NodeDisk } from '../runtime/cri';
import { CriLogWriter } from '../runtime/cri-log-writer';
import { openNodeDisk } from '../runtime/node-disk';
import { rotationStamp, startContainerLogManager } from './container-log-manager';
import { containerLogs } from './container-logs';
import { memoryDisk } from './testing/fake-runtime';

const DIR = '/var/log/pods/default_web_u1/app';
const CUR = `${DIR}/1.log`;
const PREV = `${DIR}/0.log`;

let seq = 0;
async function setup(disk: NodeDisk, policy = { maxSize: 200, maxFiles: 3, monitorMs: 10_000 }) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const containers: Array<Pick<ContainerStatus, 'id' | 'logPath' | 'state'>> = [
    { id: 'c1', logPath: CUR, state: 'CONTAINER_RUNNING' },
    { id: 'c0', logPath: PREV, state: 'CONTAINER_EXITED' },
  ];
  const runtime = {
    async listContainers(filter?: { state?: string }) {
      return containers.filter((c) => !filter?.state || c.state === filter.state) as ContainerStatus[];
    },
  };
  const manager = startContainerLogManager({ runtime, disk, clock }, policy);
  const writer = new CriLogWriter(disk, CUR, () => clock.now());
  const write = async (...lines: string[]) => {
    for (const l of lines) writer.write('stdout', new TextEncoder().encode(`${l}\n`));
    await writer.close();
  };
  const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
  const status = {
    containerStatuses: [
      {
        name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 1, containerID: 'wasm://c1',
        state: { running: { startedAt: '2026-01-01T12:00:00Z' } },
        lastState: { terminated: { exitCode: 1, containerID: 'wasm://c0' } },
      },
    ],
  };
  const logs = (opts: Parameters<typeof containerLogs>[4] = {}) =>
    containerLogs(
      {
        findPod: () => pod,
        statusOf: () => status,
        runtime: { containerStatus: async (id) => ({ logPath: id === 'c1' ? CUR : PREV }) as ContainerStatus },
        disk,
        now: () => clock.now(),
      },
      'default', 'web', 'app', opts,
    );
  return { clock, manager, write, logs, paths: async () => (await disk.listLogs(DIR)).map((f) => f.path) };
}

const line = (i: number) => `line ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`; // 79 bytes as a CRI record ("<20-char time> stdout F <48 chars>\n")

describe('container log manager (kubelet containerLogMaxSize / containerLogMaxFiles)', () => {
  it('renames a running container log past maxSize to <path>.<YYYYMMDD-hhmmss>; kubectl logs then reads only the new file', async () => {
    const disk = await openNodeDisk(`rotation-${++seq}`);
    const { clock, manager, write, logs, paths } = await setup(disk);
    await write(line(1), line(2));
    await manager.rotateLogs();
    expect(await paths()).toEqual([CUR]); // 158 bytes < 200: untouched
    await write(line(3));
    expect((await disk.listLogs(CUR))[0]?.bytes).toBe(3 * 79);
    await clock.advance(10_000); // the monitor tick rotates
    await manager.rotateLogs(); // joins the tick's pass (IndexedDB work outlives advance's microtask flush)
    const stamp = rotationStamp(clock.now());
    expect(stamp).toBe('20260101-120010');
    expect(await paths()).toEqual([`${CUR}.${stamp}`]);
    expect(await disk.readLog(`${CUR}.${stamp}`)).toHaveLength(3);
    expect(await logs()).toBe('');
    await clock.advance(5_000);
    await write(line(4), line(5));
    expect(await paths()).toEqual([CUR, `${CUR}.${stamp}`]);
    expect(await logs()).toBe(`${line(4)}\n${line(5)}\n`);
    expect(await logs({ tailLines: 1 })).toBe(`${line(5)}\n`);
    expect(await logs({ timestamps: true, tailLines: 1 })).toBe(`2026-01-01T12:00:15Z ${line(5)}\n`);
    await clock.advance(30_000); // rotates nothing: 158 bytes
    await manager.rotateLogs();
    expect(await paths()).toEqual([CUR, `${CUR}.${stamp}`]);
    await write(line(6));
    expect(await logs({ sinceSeconds: 10 })).toBe(`${line(6)}\n`);
    await disk.close();
  });

  it('keeps at most maxFiles files per container, removing the oldest rotated ones, and never rotates exited containers', async () => {
    const disk = memoryDisk();
    await disk.appendLog(PREV, Array.from({ length: 20 }, (_, i) => `2026-01-01T11:00:00Z stdout F ${line(i)}`));
    const { clock, write, logs, paths } = await setup(disk);
    const rotations: string[] = [];
    for (let r = 0; r < 4; r++) {
      await write(`round ${r}`, line(1), line(2), line(3));
      await clock.advance(10_000);
      rotations.push(`${CUR}.${rotationStamp(clock.now())}`);
    }
    // maxFiles 3: the current file (absent until the next write) plus the two newest rotated ones
    expect(await paths()).toEqual([PREV, ...rotations.slice(-2)]);
    expect((await disk.readLog(rotations[3]!))?.[0]).toContain('round 3');
    await write('after');
    expect(await paths()).toEqual([PREV, CUR, ...rotations.slice(-2)]);
    expect(await logs()).toBe('after\n');
    expect((await logs({ previous: true, tailLines: 1 }))).toBe(`${line(19)}\n`);
    expect((await disk.readLog(PREV))?.length).toBe(20);
  });

  it('gives a second rotation within one second its own name instead of replacing the first', async () => {
    const disk = memoryDisk();
    const { manager, write, paths } = await setup(disk, { maxSize: 50, maxFiles: 4, monitorMs: 10_000 });
    await write(line(1));
    await manager.rotateLogs();
    await write(line(2));
    await manager.rotateLogs();
    const stamp = rotationStamp(Date.UTC(2026, 0, 1, 12, 0, 0));
    expect(await paths()).toEqual([`${CUR}.${stamp}`, `${CUR}.${stamp}.1`]);
    expect(await disk.readLog(`${CUR}.${stamp}.1`)).toEqual([expect.stringContaining(line(2))]);
  });

  it('rejects a policy kubelet would reject', () => {
    const deps = { runtime: { listContainers: async () => [] }, disk: memoryDisk(), clock: new FakeClock() };
    expect(() => startContainerLogManager(deps, { maxSize: 10, maxFiles: 1, monitorMs: 1000 })).toThrow(
      'invalid configuration: containerLogMaxFiles (--container-log-max-files) 1 must be equal to or greater than 2',
    );
  });
});
