import { describe, expect, it } from 'vitest';
import { containerStatsFixture, sleep } from '../../../test/container-stats-fixture';

// `kill 1` from inside a container reaches its main process as Linux signals the init of a pid namespace from
// inside it: only the signals it handles, never SIGKILL. Exec'd processes have their own pids.
const { start } = containerStatsFixture('pid1-signals');
const dec = new TextDecoder();

async function execOut(c: Awaited<ReturnType<typeof start>>, cmd: string[]) {
  const r = await c.runtime.execSync(c.id, cmd, 30);
  return { out: dec.decode(r.stdout) + dec.decode(r.stderr), exitCode: r.exitCode };
}

describe('signals to pid 1 from kubectl exec', () => {
  it('a main process that traps TERM runs its handler on `kill 1` from an exec, then exits', async () => {
    const c = await start('busybox', ['sh', '-c', 'trap "echo got TERM; sleep 0.3; exit 3" TERM; echo ready; while :; do sleep 1; done']);
    await sleep(300);
    const r = await execOut(c, ['sh', '-c', 'echo pid=$$; kill 1; echo rc=$?']);
    expect(r).toEqual({ out: expect.stringMatching(/^pid=\d+\nrc=0\n$/), exitCode: 0 });
    expect(Number(/pid=(\d+)/.exec(r.out)![1])).toBeGreaterThan(1);
    const { st, log } = await c.exited();
    expect(st.exitCode).toBe(3);
    expect(log).toEqual(['ready', 'got TERM']);
    c.dispose();
  }, 60_000);

  it('the kill applet signals pid 1 too: a USR1 trap runs and the main process goes on', async () => {
    const c = await start('busybox', ['sh', '-c', 'trap "echo got USR1" USR1; trap "exit 0" TERM; while :; do sleep 0.05; done']);
    await sleep(300);
    expect(await execOut(c, ['kill', '-USR1', '1'])).toEqual({ out: '', exitCode: 0 });
    await sleep(500);
    expect((await c.runtime.containerStatus(c.id)).state).toBe('CONTAINER_RUNNING');
    // pid 1 exits at once, which kills the namespace's other processes: the kill itself may be reported 137,
    // as `kubectl exec … -- kill 1` sometimes is.
    expect([0, 137]).toContain((await execOut(c, ['kill', '1'])).exitCode);
    const { st, log } = await c.exited();
    expect({ exitCode: st.exitCode, log }).toEqual({ exitCode: 0, log: ['got USR1'] });
    c.dispose();
  }, 60_000);

  it('a main process without a handler ignores TERM, and KILL from inside the container, as pid 1 does', async () => {
    // sh without traps: TERM and USR1 keep their default action, which pid 1 does not get.
    const c = await start('busybox', ['sh', '-c', 'echo up; while :; do sleep 1; done']);
    await sleep(300);
    expect(await execOut(c, ['kill', '1'])).toEqual({ out: '', exitCode: 0 });
    expect(await execOut(c, ['sh', '-c', 'kill -9 1; echo rc=$?; kill -USR1 1; kill -STOP 1; echo rc=$?'])).toEqual({ out: 'rc=0\nrc=0\n', exitCode: 0 });
    await sleep(1500);
    expect((await c.runtime.containerStatus(c.id)).state).toBe('CONTAINER_RUNNING');
    // The runtime's stop, from outside the namespace, still kills it (SIGKILL after the grace period).
    await c.runtime.stopContainer(c.id, 0);
    expect(await c.runtime.containerStatus(c.id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137 });
    c.dispose();
  }, 60_000);

  it('exec\'d processes get their own pids from the container\'s counter; kill $$ ends an exec\'d shell with 143', async () => {
    // The main shell's children take pids 2 and 3 first.
    const c = await start('busybox', ['sh', '-c', 'sleep 0 & wait; sleep 3600']);
    await sleep(1000);
    const first = await execOut(c, ['sh', '-c', 'echo $$; sh -c \'echo $$\'']);
    const [a, b] = first.out.trim().split('\n').map(Number);
    expect(a).toBe(4);
    expect(b).toBe(a + 1);
    expect(await execOut(c, ['sh', '-c', 'echo $$; kill $$; echo never'])).toEqual({ out: `${b + 1}\n`, exitCode: 143 });
    expect((await c.runtime.containerStatus(c.id)).state).toBe('CONTAINER_RUNNING');
    c.dispose();
  }, 60_000);
});

describe('the end of pid 1', () => {
  it('kills the container\'s exec\'d processes (137), as the kernel ends a pid namespace whose init exits', async () => {
    const c = await start('busybox', ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.05; done']);
    await sleep(300);
    const session = await c.runtime.exec({ containerId: c.id, cmd: ['sleep', '30'] });
    await sleep(300);
    await c.runtime.execSync(c.id, ['kill', '1'], 30);
    const chunks = [];
    for (let batch = await c.runtime.execRead(session); batch; batch = await c.runtime.execRead(session)) chunks.push(...batch);
    expect(chunks).toEqual([{ exitCode: 137 }]);
    expect((await c.exited()).st.exitCode).toBe(0);
    c.dispose();
  }, 60_000);
});
