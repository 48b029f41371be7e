import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createInProcessLauncher, type LaunchSpec, type ProcessExit, type ProcessLauncher, type RunningProcess } from './process-launcher';
import { createWasmRuntime } from './wasm-runtime';

// stopContainer's SIGTERM reaching a busybox sh with a TERM trap, through the real image. The in-process
// launcher runs a program to its end in one go, so this one holds the program back until stopContainer
// signals it, then delivers the signal once the program printed `started` (the trap is set): a SIGTERM
// arriving while `while true; do sleep 1; done` runs.
beforeAll(() => ensureImagesBuilt(), 180_000);

function termAfterStarted(clock: FakeClock): ProcessLauncher {
  const inner = createInProcessLauncher({ clock, ids: seededIds(7) });
  return {
    launch(spec: LaunchSpec): RunningProcess {
      let proc: RunningProcess | undefined;
      let pending = 0;
      let settle!: (e: ProcessExit) => void;
      const exited = new Promise<ProcessExit>((r) => (settle = r));
      const run = () => {
        proc = inner.launch({
          ...spec,
          stdout: (chunk) => {
            spec.stdout(chunk);
            if (pending && new TextDecoder().decode(chunk).includes('started')) proc!.signal(pending);
          },
        });
        void proc.exited.then(settle);
      };
      const noop = () => undefined;
      return {
        exited,
        kill: () => (proc ? proc.kill() : settle({ exitCode: 137, killed: true })),
        writeStdin: noop,
        closeStdin: noop,
        signal(sig) {
          pending = sig;
          if (!proc) run();
        },
      };
    },
  };
}

const sb: PodSandboxConfig = { metadata: { name: 'g', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_g_u' };
let seq = 0;

async function stopTrapped(trap: string) {
  const clock = new FakeClock();
  // A slow disk: a log append still in flight when the exit is reported would show in logAtExit.
  const disk = await openNodeDisk(`runtime-stop-${++seq}`);
  const appendLog = disk.appendLog.bind(disk);
  disk.appendLog = async (path, lines) => {
    await new Promise((r) => setTimeout(r, 30));
    return appendLog(path, lines);
  };
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids: seededIds(seq), images: createFsImageSource(), launcher: termAfterStarted(clock) });
  await runtime.pullImage({ image: 'busybox' });
  const sandboxId = await runtime.runPodSandbox(sb);
  const script = `trap "${trap}" TERM; echo started; while true; do sleep 1; done`;
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'app', attempt: 0 }, image: { image: 'busybox' }, command: ['sh', '-c', script], logPath: 'app/0.log' }, sb);
  let { seq: s } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id);
  const stopping = runtime.stopContainer(id, 30);
  // The log as it is when the exit is reported (CONTAINER_STOPPED_EVENT), before anything else runs.
  let logAtExit: string[] | undefined;
  for (;;) {
    const res = await runtime.getContainerEvents(s);
    s = res.seq;
    if (res.events.some((e) => e.containerId === id && e.type === 'CONTAINER_STOPPED_EVENT')) {
      logAtExit = await disk.readLog('/var/log/pods/default_g_u/app/0.log');
      break;
    }
  }
  await stopping;
  const status = await runtime.containerStatus(id);
  runtime.dispose();
  return { status, log: (logAtExit ?? []).map((l) => l.replace(/^\S+ /, '')) };
}

describe('stopContainer and a TERM trap (busybox sh)', () => {
  it('the line a trap echoes just before `exit 0` is in the log when the exit is reported', async () => {
    const { status, log } = await stopTrapped('echo got TERM; exit 0');
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    expect(log).toEqual(['stdout F started', 'stdout F got TERM']);
  }, 60_000);

  it('so is the last of several lines with a sleep between them', async () => {
    const { status, log } = await stopTrapped('echo got TERM; sleep 1; echo bye; exit 0');
    expect(status).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(log).toEqual(['stdout F started', 'stdout F got TERM', 'stdout F bye']);
  }, 60_000);
});
