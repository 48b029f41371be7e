import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { RuntimeError, type ContainerConfig, type NodeDisk, type PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createInProcessLauncher, IN_PROCESS_SLEEP_BUDGET_ERROR, KILLED_EXIT_CODE, type ProcessExit, type ProcessLauncher } from './process-launcher';
import { createWasmRuntime, TAB_MEMORY_LIMIT_NOTE, type WasmRuntime } from './wasm-runtime';

beforeAll(() => ensureImagesBuilt(), 60_000);

let diskSeq = 0;
async function setup(opts: { disk?: NodeDisk; launcher?: ProcessLauncher; clock?: FakeClock } = {}) {
  const clock = opts.clock ?? new FakeClock();
  const ids = seededIds(diskSeq + 1);
  const disk = opts.disk ?? (await openNodeDisk(`test-${++diskSeq}`));
  const runtime = createWasmRuntime({
    nodeName: 'node-1',
    disk,
    clock,
    ids,
    images: createFsImageSource(),
    launcher: opts.launcher ?? createInProcessLauncher({ clock, ids }),
  });
  return { clock, disk, runtime };
}

const sandboxConfig = (name = 'web'): PodSandboxConfig => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
  logDirectory: `/var/log/pods/default_${name}_uid-${name}`,
});

const containerConfig = (image: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  metadata: { name: 'main', attempt: 0 },
  image: { image },
  logPath: 'main/0.log',
  ...extra,
});

/** Creates a sandbox and a container, starts it and waits until it has exited. */
async function runToExit(runtime: WasmRuntime, image: string, extra: Partial<ContainerConfig> = {}) {
  await runtime.pullImage({ image });
  const sb = sandboxConfig();
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, containerConfig(image, extra), sb);
  let { seq } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id);
  for (;;) {
    const res = await runtime.getContainerEvents(seq);
    seq = res.seq;
    if (res.events.some((e) => e.containerId === id && e.type === 'CONTAINER_STOPPED_EVENT')) break;
  }
  return { id, sandboxId, status: await runtime.containerStatus(id) };
}

it('runPodSandbox tells the launcher a launch is coming (prepare), before the sandbox is saved', async () => {
  let prepared = 0;
  const launcher = createInProcessLauncher({ clock: new FakeClock(), ids: seededIds(1) });
  const { runtime } = await setup({ launcher: { launch: launcher.launch, prepare: () => void prepared++ } });
  const pending = runtime.runPodSandbox(sandboxConfig('prep'));
  expect(prepared).toBe(1);
  await pending;
  runtime.dispose();
});

const logText = (lines: string[] | undefined) => (lines ?? []).map((l) => l.replace(/^\S+ /, ''));

/** A launcher whose processes run until killed. */
const foreverLauncher = (): ProcessLauncher => ({
  launch() {
    let settle!: (e: ProcessExit) => void;
    const noop = () => undefined;
    return { exited: new Promise((r) => (settle = r)), kill: () => settle({ exitCode: KILLED_EXIT_CODE, killed: true }), writeStdin: noop, closeStdin: noop, signal: noop };
  },
});

describe('createWasmRuntime: images', () => {
  it('pulls a known image by short name and reports it', async () => {
    const { runtime } = await setup();
    const ref = await runtime.pullImage({ image: 'hello-world' });
    expect(ref).toMatch(/^docker\.io\/library\/hello-world@sha256:[0-9a-f]{64}$/);
    const img = await runtime.imageStatus({ image: 'docker.io/library/hello-world:latest' });
    expect(img?.repoTags).toEqual(['docker.io/library/hello-world:latest']);
    expect(img?.repoDigests).toEqual([ref]);
    expect(img?.id).toMatch(/^sha256:/);
    expect(img?.size).toBeGreaterThan(1000);
    expect(await runtime.imageStatus({ image: ref })).toEqual(img);
    expect(await runtime.imageStatus({ image: 'busybox' })).toBeUndefined();
    expect((await runtime.listImages()).map((i) => i.repoTags[0])).toEqual(['docker.io/library/hello-world:latest']);
    await runtime.removeImage({ image: 'hello-world' });
    expect(await runtime.listImages()).toEqual([]);
  });

  it('concurrent pulls of one reference share one fetch (each gets the digest); a later pull fetches again', async () => {
    const source = createFsImageSource();
    let indexReads = 0;
    let blobReads = 0;
    const counting = { readIndex: () => (indexReads++, source.readIndex()), readBlob: (d: string) => (blobReads++, source.readBlob(d)) };
    const disk = await openNodeDisk(`test-${++diskSeq}`);
    const clock = new FakeClock();
    const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids: seededIds(9), images: counting, launcher: createInProcessLauncher({ clock, ids: seededIds(9) }) });
    const refs = await Promise.all(Array.from({ length: 5 }, () => runtime.pullImage({ image: 'registry.k8s.io/pause:3.10' })));
    expect(new Set(refs).size).toBe(1);
    expect(indexReads).toBe(1);
    const once = blobReads; // manifest, config, the layers: once for all five
    await runtime.pullImage({ image: 'registry.k8s.io/pause:3.10' });
    expect(indexReads).toBe(2);
    expect(blobReads - once).toBe(2); // manifest and config again; the layers come from the node disk now
    const errs = await Promise.all([runtime.pullImage({ image: 'nope' }).catch((e: Error) => e.message), runtime.pullImage({ image: 'nope' }).catch((e: Error) => e.message)]);
    expect(errs[0]).toBe(errs[1]);
    expect(errs[0]).toMatch(/not found$/);
  });

  it('rejects an unknown image with containerd\'s not found error', async () => {
    const { runtime } = await setup();
    const err = await runtime.pullImage({ image: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe('ErrImagePull');
    expect((err as RuntimeError).message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nope:latest": failed to resolve reference "docker.io/library/nope:latest": docker.io/library/nope:latest: not found',
    );
  });
});

describe('createWasmRuntime: containers', () => {
  it('runs hello-world to Completed and writes CRI-format logs', async () => {
    const { runtime, disk } = await setup();
    const { status } = await runToExit(runtime, 'hello-world');
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', image: { image: 'docker.io/library/hello-world:latest' } });
    expect(status.imageRef).toMatch(/^docker\.io\/library\/hello-world@sha256:/);
    expect(status.logPath).toBe('/var/log/pods/default_web_uid-web/main/0.log');
    const lines = (await disk.readLog(status.logPath)) ?? [];
    expect(lines[0]).toBe('2026-01-01T00:00:00Z stdout F Hello from Tabernetes!');
    const text = logText(lines);
    expect(text).toContain('stdout F /hello');
    expect(text).toContain('stdout F HOSTNAME=web');
    expect(text).toContain('stdout F PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(text).toContain('stdout F HOME=/root');
    expect(text[text.length - 1]).toBe('stderr F hello-world: done');
  });

  it('reports a non-zero exit as Error, with stderr in the log', async () => {
    const { runtime, disk } = await setup();
    const { status } = await runToExit(runtime, 'docker.io/tabernetes/fail');
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 3, reason: 'Error' });
    expect(logText(await disk.readLog(status.logPath))).toEqual(['stdout F fail: about to exit with code 3', 'stderr F fail: something went wrong (exit 3)']);
    const args = await runToExit((await setup()).runtime, 'tabernetes/fail:latest', { args: ['7'] });
    expect(args.status.exitCode).toBe(7);
  });

  it('applies command/args over the image Entrypoint/Cmd and envs over the image Env', async () => {
    const argvOf = async (extra: Partial<ContainerConfig>) => {
      const { runtime, disk } = await setup();
      const { status } = await runToExit(runtime, 'hello-world', extra);
      const text = logText(await disk.readLog(status.logPath)).map((l) => l.slice('stdout F '.length));
      return { argv: text.slice(text.indexOf('Arguments:') + 1, text.indexOf('Environment:') - 1), env: text.slice(text.indexOf('Environment:') + 1, -1) };
    };
    expect((await argvOf({ args: ['a', 'b c'] })).argv).toEqual(['/hello', 'a', 'b c']);
    expect((await argvOf({ command: ['/hello', 'x'] })).argv).toEqual(['/hello', 'x']);
    expect((await argvOf({ command: ['/hello'], args: ['y'] })).argv).toEqual(['/hello', 'y']);
    expect((await argvOf({ command: ['./hello'], workingDir: '/' })).argv).toEqual(['./hello']);
    const { env } = await argvOf({ envs: [{ key: 'PATH', value: '/' }, { key: 'FOO', value: 'bar' }, { key: 'HOME', value: '/home' }] });
    expect(env).toEqual(['PATH=/', 'HOSTNAME=web', 'FOO=bar', 'HOME=/home']);
  });

  it('runs a long-running program to its count with the clock advancing across its sleeps', async () => {
    const { runtime, disk } = await setup();
    const { status } = await runToExit(runtime, 'docker.io/tabernetes/ticker:latest', { args: ['0.5', '3'] });
    expect(status).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(logText(await disk.readLog(status.logPath))).toEqual([
      'stdout F tick 1 2026-01-01T00:00:00Z',
      'stdout F tick 2 2026-01-01T00:00:00Z',
      'stdout F tick 3 2026-01-01T00:00:01Z',
    ]);
  });

  it('kills an in-process program that sleeps past the launcher budget', async () => {
    const clock = new FakeClock();
    const launcher = createInProcessLauncher({ clock, ids: seededIds(3), sleepBudgetMs: 5_000 });
    const { runtime, disk } = await setup({ clock, launcher });
    const { status } = await runToExit(runtime, 'docker.io/tabernetes/ticker:latest');
    expect(status).toMatchObject({ exitCode: 137, reason: 'Error', message: IN_PROCESS_SLEEP_BUDGET_ERROR });
    expect(await disk.readLog(status.logPath)).toHaveLength(6);
  });

  it('reports a trap as Error with its message', async () => {
    const trap: ProcessLauncher = { launch: () => ({ exited: Promise.resolve({ exitCode: 134, error: 'wasm trap: unreachable' }), kill() {}, writeStdin() {}, closeStdin() {}, signal() {} }) };
    const { status } = await runToExit((await setup({ launcher: trap })).runtime, 'hello-world');
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 134, reason: 'Error', message: 'wasm trap: unreachable' });
  });

  it('fails to start a missing program with StartError', async () => {
    const { runtime } = await setup();
    await runtime.pullImage({ image: 'hello-world' });
    const sb = sandboxConfig();
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(sandboxId, containerConfig('hello-world', { command: ['nope'] }), sb);
    const err = (await runtime.startContainer(id).catch((e: unknown) => e)) as RuntimeError;
    expect(err.code).toBe('RunContainerError');
    expect(err.message).toContain('exec: "nope": executable file not found in $PATH');
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message: err.message });
  });

  it('stops a running container (exit 137) and reports lifecycle events in order', async () => {
    const { runtime } = await setup({ launcher: foreverLauncher() });
    await runtime.pullImage({ image: 'hello-world' });
    const sb = sandboxConfig();
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(sandboxId, containerConfig('hello-world'), sb);
    await runtime.startContainer(id);
    expect((await runtime.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    const { seq } = await runtime.getContainerEvents(0);
    const pending = runtime.getContainerEvents(seq);
    let resolved = false;
    void pending.then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    await runtime.stopContainer(id, 0);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' });
    expect((await pending).events.map((e) => e.type)).toEqual(['CONTAINER_STOPPED_EVENT']);
    await runtime.removePodSandbox(sandboxId);
    expect(await runtime.listContainers()).toEqual([]);
    const all = await runtime.getContainerEvents(0);
    expect(all.events.map((e) => e.type)).toEqual(['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT', 'CONTAINER_DELETED_EVENT']);
    const closed = runtime.getContainerEvents(all.seq);
    runtime.dispose();
    expect(await closed).toEqual({ seq: all.seq, events: [] });
  });

  it('keeps containers and logs across a re-created runtime on the same disk', async () => {
    const first = await setup();
    const done = await runToExit(first.runtime, 'hello-world');
    first.runtime.dispose();
    // A second runtime on the same disk whose process never ends, then "the tab dies".
    const second = await setup({ disk: first.disk, launcher: foreverLauncher(), clock: first.clock });
    expect((await second.runtime.containerStatus(done.id)).reason).toBe('Completed');
    const sb = sandboxConfig('api');
    const sandboxId = await second.runtime.runPodSandbox(sb);
    const live = await second.runtime.createContainer(sandboxId, containerConfig('hello-world'), sb);
    await second.runtime.startContainer(live);
    second.runtime.dispose();
    const third = await setup({ disk: first.disk, clock: first.clock });
    const list = await third.runtime.listContainers();
    expect(list.map((c) => [c.id, c.state, c.exitCode, c.reason])).toEqual(
      expect.arrayContaining([
        [done.id, 'CONTAINER_EXITED', 0, 'Completed'],
        [live, 'CONTAINER_EXITED', 255, 'Unknown'],
      ]),
    );
    expect((await third.runtime.listPodSandbox()).find((s) => s.id === sandboxId)?.state).toBe('SANDBOX_NOTREADY');
    expect((await third.disk.readLog(done.status.logPath))?.[0]).toContain('Hello from Tabernetes!');
    expect(await third.runtime.imageStatus({ image: 'hello-world' })).toBeDefined();
    // The image's layers came from the disk, not the source: a new container still runs.
    const again = await runToExit(third.runtime, 'hello-world');
    expect(again.status.reason).toBe('Completed');
  });

  it('a container the browser cannot give a WebAssembly memory ends as StartError saying why', async () => {
    const noMemory: ProcessLauncher = {
      launch: () => ({
        exited: Promise.resolve({ exitCode: 128, error: 'container worker failed: WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance' }),
        kill() {},
        writeStdin() {},
        closeStdin() {},
        signal() {},
      }),
    };
    const { runtime } = await setup({ launcher: noMemory });
    const { status } = await runToExit(runtime, 'hello-world');
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError' });
    expect(status.message).toBe(`container worker failed: WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance: ${TAB_MEMORY_LIMIT_NOTE}`);
  });
});

describe('createWasmRuntime: a container is running once its program is', () => {
  /** A launcher whose processes start (`started` true) or end only when the test says so. */
  const controlled = () => {
    const procs: Array<{ start(): void; exit(e: ProcessExit): void }> = [];
    const launcher: ProcessLauncher = {
      launch() {
        let settle!: (e: ProcessExit) => void;
        let begin!: (v: boolean) => void;
        const started = new Promise<boolean>((r) => (begin = r));
        const exited = new Promise<ProcessExit>((r) => (settle = r));
        const exit = (e: ProcessExit) => {
          begin(false);
          settle(e);
        };
        procs.push({ start: () => begin(true), exit });
        const noop = () => undefined;
        return { started, exited, kill: () => exit({ exitCode: KILLED_EXIT_CODE, killed: true }), writeStdin: noop, closeStdin: noop, signal: noop };
      },
    };
    return { launcher, procs };
  };
  const created = async (runtime: WasmRuntime) => {
    await runtime.pullImage({ image: 'hello-world' });
    const sb = sandboxConfig();
    const sandboxId = await runtime.runPodSandbox(sb);
    return runtime.createContainer(sandboxId, containerConfig('hello-world'), sb);
  };
  const tick = () => new Promise((r) => setTimeout(r, 20));

  it('stays CREATED until the program has started, then is RUNNING with startedAt that moment and counts as an instance', async () => {
    const { launcher, procs } = controlled();
    const { runtime, clock } = await setup({ launcher });
    const id = await created(runtime);
    let resolved = false;
    const start = runtime.startContainer(id).then(() => (resolved = true));
    await tick();
    expect(procs).toHaveLength(1);
    expect(resolved).toBe(false);
    expect((await runtime.containerStatus(id)).state).toBe('CONTAINER_CREATED');
    expect(runtime.instances).toBe(0);
    await expect(runtime.execSync(id, ['true'], 1)).rejects.toThrow(/not running/);
    await clock.advance(1500);
    procs[0].start();
    await start;
    const status = await runtime.containerStatus(id);
    expect(status.state).toBe('CONTAINER_RUNNING');
    expect(status.startedAt).toBe(clock.now());
    expect(status.startedAt! - status.createdAt).toBe(1500);
    expect(runtime.instances).toBe(1);
    const { events } = await runtime.getContainerEvents(0);
    expect(events.filter((e) => e.containerId === id).map((e) => e.type)).toEqual(['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT']);
    procs[0].exit({ exitCode: 0 });
    await tick();
    expect(runtime.instances).toBe(0);
    expect((await runtime.containerStatus(id)).state).toBe('CONTAINER_EXITED');
  });

  it('a program that ends before it starts is never RUNNING: it is a StartError and startContainer rejects RunContainerError', async () => {
    const { launcher, procs } = controlled();
    const { runtime } = await setup({ launcher });
    const id = await created(runtime);
    const start = runtime.startContainer(id).catch((e: unknown) => e);
    await tick();
    procs[0].exit({ exitCode: 128, error: 'failed to instantiate module: boom' });
    const err = await start;
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ code: 'RunContainerError', message: 'failed to instantiate module: boom' });
    const status = await runtime.containerStatus(id);
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message: 'failed to instantiate module: boom' });
    expect(status.startedAt).toBeUndefined();
    const { events } = await runtime.getContainerEvents(0);
    expect(events.filter((e) => e.containerId === id).map((e) => e.type)).toEqual(['CONTAINER_CREATED_EVENT', 'CONTAINER_STOPPED_EVENT']);
    expect(runtime.instances).toBe(0);

    // the tab out of WebAssembly memories before the instance exists says so
    const id2 = await created(runtime);
    const start2 = runtime.startContainer(id2).catch((e: Error) => e.message);
    await tick();
    procs[1].exit({ exitCode: 128, error: 'container worker failed: WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance' });
    expect(await start2).toBe(`container worker failed: WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance: ${TAB_MEMORY_LIMIT_NOTE}`);
  });

  it('stopping a container whose program has not started yet kills it (exit 137) and never reports it RUNNING', async () => {
    const { launcher } = controlled();
    const { runtime } = await setup({ launcher });
    const id = await created(runtime);
    const start = runtime.startContainer(id);
    await tick();
    await runtime.stopContainer(id, 0);
    await start;
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137 });
    await expect(runtime.startContainer(id)).rejects.toThrow(/container is in CONTAINER_EXITED state/);
  });

  it('the in-process launcher reports hello-world started before it exits', async () => {
    const { runtime } = await setup();
    const { id, status } = await runToExit(runtime, 'hello-world');
    expect(status.reason).toBe('Completed');
    const { events } = await runtime.getContainerEvents(0);
    expect(events.filter((e) => e.containerId === id).map((e) => e.type)).toEqual(['CONTAINER_CREATED_EVENT', 'CONTAINER_STARTED_EVENT', 'CONTAINER_STOPPED_EVENT']);
    expect(status.startedAt).toBeDefined();
  });

  it('listPodSandbox filters by id, state and labels (CRI PodSandboxFilter)', async () => {
    const { runtime } = await setup();
    const a = await runtime.runPodSandbox({ ...sandboxConfig('a'), labels: { 'io.kubernetes.pod.uid': 'uid-a', app: 'x' } });
    const b = await runtime.runPodSandbox({ ...sandboxConfig('b'), labels: { 'io.kubernetes.pod.uid': 'uid-b', app: 'x' } });
    await runtime.stopPodSandbox(b);
    const ids = async (f?: Parameters<WasmRuntime['listPodSandbox']>[0]) => (await runtime.listPodSandbox(f)).map((s) => s.id).sort();
    expect(await ids()).toEqual([a, b].sort());
    expect(await ids({ labelSelector: { 'io.kubernetes.pod.uid': 'uid-a' } })).toEqual([a]);
    expect(await ids({ labelSelector: { app: 'x' } })).toEqual([a, b].sort());
    expect(await ids({ labelSelector: { app: 'x', 'io.kubernetes.pod.uid': 'uid-c' } })).toEqual([]);
    expect(await ids({ state: 'SANDBOX_NOTREADY' })).toEqual([b]);
    expect(await ids({ id: a })).toEqual([a]);
  });
});
