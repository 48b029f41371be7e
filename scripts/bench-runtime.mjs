#!/usr/bin/env node
// npm run bench:runtime [-- --json FILE] [--dist DIR] [--only start,run,exec,http,capacity] [--starts N] [--execs N] [--requests N] [--max-containers N]
// npm run bench:runtime -- --worker-floor [--floor-n 1,10,100] [--floor-hosts page,worker] [--floor-kinds echo,container,containerTimed,containerEager,instantiate]: only the Worker start-up floor (bench-worker-floor.mjs), no cluster.
// The container runtime in headless Chromium on the real Workers (3 nodes, real WASM containers). Figures:
//   start — ms from creating a pod (registry.k8s.io/pause:3.10, image already pulled, spec.nodeName set so
//     the scheduler is not measured) to a watch seeing containerStatuses[0].state.running; pods one at a time
//     on one node; p50/p99 over --starts (default 50).
//   run — create → Completed of a hello-world pod (restartPolicy Never): includes the container Worker's
//     start-up, which `start` does not (the runtime reports running when it launches the Worker); p50/p99 over --starts.
//   exec — round trip of tabernetes.kubectl('exec POD -- true') on a busybox pod; p50/p99 over --execs.
//   http — loopback HTTP GETs per second from one pod to a server pod over the in-tab network: nginx if the
//     image exists in public/images, else agnhost netexec; driven by agnhost's /dial (sequential GETs, one
//     connection each, one process) with the exec overhead taken off; the median of 5 rounds of --requests
//     (default 200); wgetLoopPerSecond is a busybox
//     `sh -c 'for …; do wget …; done'` loop (a process per GET).
//   capacity — busybox `sleep 3600` pods created 10 at a time (across the 3 nodes) until one fails to start
//     or --max-containers (default 200); the count running and the first failure's reason/message from the
//     pod status; memory per container from the renderer's RSS (/proc, Chromium processes under this one)
//     and performance.measureUserAgentSpecificMemory() when the page is cross-origin isolated.
// Expects dist/ (the npm script builds first). Prints JSON; --json FILE also writes it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { preview } from 'vite';
import { benchSteps, launchBenchChromium, loadAverage, machine, openClusterPage } from './bench-common.mjs';
import { workerFloor } from './bench-worker-floor.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const jsonFile = opt('--json');
const starts = Number(opt('--starts', 50));
const execs = Number(opt('--execs', 50));
const requests = Number(opt('--requests', 200));
const maxContainers = Number(opt('--max-containers', 200));
// --dist DIR: serve another build; --only: run just these phases (default all).
const distDir = opt('--dist', 'dist');
const only = opt('--only')?.split(',');
const floorOnly = args.includes('--worker-floor');
const wanted = (phase) => !floorOnly && (!only || only.includes(phase));



/** RSS in MiB of the Chromium processes descended from this process: renderers and all of them. */
function chromiumRss() {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const rss = Number(readFileSync(`/proc/${d}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      procs.set(Number(d), { ppid, rss, renderer: cmd.includes('--type=renderer') });
    } catch {
      /* exited */
    }
  }
  const mine = (pid) => {
    for (let p = procs.get(pid)?.ppid; p; p = procs.get(p)?.ppid) if (p === process.pid) return true;
    return false;
  };
  let renderer = 0;
  let total = 0;
  for (const [pid, p] of procs) {
    if (!mine(pid)) continue;
    total += p.rss;
    if (p.renderer) renderer += p.rss;
  }
  return { rendererMiB: Math.round(renderer), allMiB: Math.round(total) };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10 : null;
};

/** In the page: the bench's helpers on window.__rb (pods by name, create and wait, delete all). */
function installHelpers() {
  const t = window.tabernetes;
  const client = t.client;
  const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const waiters = new Map();
  const seen = new Map();
  const settled = (p) => {
    const cs = p.status?.containerStatuses?.[0];
    // A run-to-completion pod (restartPolicy Never) settles at its end, not when it starts running.
    if (cs?.state?.running && p.spec?.restartPolicy !== 'Never') return 'running';
    const w = cs?.state?.waiting?.reason;
    if (cs?.state?.terminated?.exitCode === 0 && cs.state.terminated.reason === 'Completed') return 'completed';
    if (cs?.state?.terminated || (w && w !== 'ContainerCreating' && w !== 'PodInitializing') || p.status?.phase === 'Failed') return 'failed';
    return undefined;
  };
  client.watch(Pods, 'default', {}, {
    onEvent(ev) {
      const p = ev.object;
      const name = p.metadata.name;
      seen.set(name, p);
      const s = settled(p);
      if (s && waiters.has(name)) {
        waiters.get(name)({ state: s, at: performance.now(), pod: p });
        waiters.delete(name);
      }
    },
  });
  const waitFor = (name, ms) =>
    new Promise((resolve) => {
      const p = seen.get(name);
      if (p && settled(p)) return resolve({ state: settled(p), at: performance.now(), pod: p });
      waiters.set(name, resolve);
      setTimeout(() => waiters.has(name) && (waiters.delete(name), resolve({ state: 'timeout', at: performance.now(), pod: seen.get(name) })), ms);
    });
  const pod = (name, spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { bench: 'runtime' } }, spec: { terminationGracePeriodSeconds: 0, ...spec } });
  const create = async (name, spec, ms = 60_000) => {
    const t0 = performance.now();
    const w = waitFor(name, ms);
    await client.create(Pods, pod(name, spec), 'default');
    const r = await w;
    return { ...r, ms: r.at - t0 };
  };
  const deleteAll = async () => {
    const items = (await client.list(Pods, 'default', { labelSelector: 'bench=runtime' })).items;
    await Promise.all(items.map((p) => client.delete(Pods, p.metadata.name, 'default', { gracePeriodSeconds: 0 }).catch(() => undefined)));
    for (let i = 0; i < 600; i++) {
      if ((await client.list(Pods, 'default', { labelSelector: 'bench=runtime' })).items.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const tolerate = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
  window.__rb = { create, deleteAll, tolerate, client, Pods };
}

async function startPhase({ n }) {
  const { create } = window.__rb;
  const spec = { nodeName: 'tabernetes-worker', containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }] };
  const warm = await create('start-warm', spec);
  if (warm.state !== 'running') return { error: `warm-up pod ${warm.state}: ${JSON.stringify(warm.pod?.status?.containerStatuses?.[0]?.state)}` };
  const ms = [];
  for (let i = 0; i < n; i++) {
    const r = await create(`start-${i}`, spec);
    if (r.state !== 'running') return { error: `start-${i} ${r.state}: ${JSON.stringify(r.pod?.status?.containerStatuses?.[0]?.state)}`, ms };
    ms.push(r.ms);
  }
  return { ms };
}

/** create → the program has run to exit 0 (a Completed hello-world pod): the container Worker's start is on this path, not on `start`'s. */
async function runPhase({ n }) {
  const { create } = window.__rb;
  const spec = { nodeName: 'tabernetes-worker', restartPolicy: 'Never', containers: [{ name: 'hello', image: 'hello-world' }] };
  const warm = await create('run-warm', spec);
  if (warm.state !== 'completed') return { error: `warm-up pod ${warm.state}: ${JSON.stringify(warm.pod?.status?.containerStatuses?.[0]?.state)}` };
  const ms = [];
  for (let i = 0; i < n; i++) {
    const r = await create(`run-${i}`, spec);
    if (r.state !== 'completed') return { error: `run-${i} ${r.state}: ${JSON.stringify(r.pod?.status?.containerStatuses?.[0]?.state)}`, ms };
    ms.push(r.ms);
  }
  return { ms };
}

async function execPhase({ n }) {
  const { create } = window.__rb;
  const r = await create('exec-target', { nodeName: 'tabernetes-worker', containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] });
  if (r.state !== 'running') return { error: `exec-target ${r.state}` };
  const ms = [];
  for (let i = 0; i < n + 3; i++) {
    const t0 = performance.now();
    const x = await window.tabernetes.kubectl('exec exec-target -- true');
    if (x.exitCode !== 0) return { error: `exec exited ${x.exitCode}: ${x.stderr}`, ms };
    if (i >= 3) ms.push(performance.now() - t0);
  }
  return { ms };
}

async function httpPhase({ n, nginx }) {
  const { create } = window.__rb;
  const kubectl = window.tabernetes.kubectl;
  const server = nginx
    ? { nodeName: 'tabernetes-worker2', containers: [{ name: 's', image: 'docker.io/library/nginx' }] }
    : { nodeName: 'tabernetes-worker2', containers: [{ name: 's', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['netexec', '--http-port=8080'] }] };
  const port = nginx ? 80 : 8080;
  const path = nginx ? '/' : '/hostname';
  const [s, c] = await Promise.all([
    create('http-server', server),
    create('http-client', { nodeName: 'tabernetes-worker', containers: [{ name: 'c', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['netexec', '--http-port=8080'] }] }),
  ]);
  if (s.state !== 'running' || c.state !== 'running') return { error: `server ${s.state}, client ${c.state}` };
  const ip = s.pod.status.podIP;
  const dial = (tries) => kubectl(`exec http-client -- wget -q -O - 'http://127.0.0.1:8080/dial?host=${ip}&port=${port}&request=${path}&tries=${tries}'`);
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    const r = await dial(1);
    ok = r.exitCode === 0 && r.stdout.includes('"responses"') && !r.stdout.includes('"errors"');
    if (!ok) await new Promise((res) => setTimeout(res, 100));
  }
  if (!ok) return { error: 'server never answered' };
  const execMs = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await kubectl('exec http-client -- true');
    execMs.push(performance.now() - t0);
  }
  execMs.sort((a, b) => a - b);
  const rates = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const r = await dial(n);
    const dialMs = performance.now() - t0 - execMs[2];
    if (r.exitCode !== 0 || r.stdout.includes('"errors"')) return { error: `dial: ${r.stdout.slice(0, 300)} ${r.stderr}` };
    rates.push(Math.round(n / (dialMs / 1000)));
  }
  const loop = 100;
  const t1 = performance.now();
  const w = await kubectl(`exec http-client -- sh -c 'for i in ${Array.from({ length: loop }, (_, i) => i + 1).join(' ')}; do wget -q -O /dev/null http://${ip}:${port}${path} || exit 1; echo .; done'`);
  const done = (w.stdout.match(/\./g) ?? []).length;
  const loopMs = performance.now() - t1 - execMs[2];
  return {
    server: nginx ? 'docker.io/library/nginx' : 'registry.k8s.io/e2e-test-images/agnhost:2.40 netexec',
    requests: n,
    requestsPerSecond: [...rates].sort((a, b) => a - b)[2],
    rounds: rates,
    execOverheadMs: Math.round(execMs[2] * 10) / 10,
    wgetLoopPerSecond: w.exitCode === 0 && done === loop ? Math.round((loop / (loopMs / 1000)) * 10) / 10 : null,
    wgetLoopError: w.exitCode === 0 && done === loop ? undefined : `exit ${w.exitCode}, ${done}/${loop} GETs: ${w.stderr.slice(0, 300)}`,
  };
}

async function capacityBatch({ from, to }) {
  const { create, tolerate } = window.__rb;
  const rs = await Promise.all(
    Array.from({ length: to - from }, (_, k) => create(`cap-${from + k}`, { tolerations: tolerate, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }, 120_000)),
  );
  const failed = rs.filter((r) => r.state !== 'running').map((r) => ({ pod: r.pod?.metadata?.name, state: r.state, status: r.pod?.status?.containerStatuses?.[0]?.state ?? r.pod?.status }));
  return { running: rs.length - failed.length, failed };
}

async function uaMemory() {
  if (!window.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
  const m = await Promise.race([performance.measureUserAgentSpecificMemory(), new Promise((r) => setTimeout(() => r(null), 90_000))]);
  return m ? Math.round(m.bytes / 2 ** 20) : null;
}

if (!existsSync(`${distDir}/index.html`)) throw new Error(`${distDir}/ is missing: run \`npm run build\` first (npm run bench:runtime does)`);
const nginx = readFileSync('public/images/index.json', 'utf8').includes('docker.io/library/nginx');
const server = await preview({ build: { outDir: distDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
const browser = await launchBenchChromium();
const out = { machine: machine(), browser: browser.version(), targets: { startP50Ms: 50, containers: 100, overheadPerContainerMiB: 3 } };
const step = benchSteps(out);
try {
  if (floorOnly) {
    const ns = opt('--floor-n', '1,10,100').split(',').map(Number);
    out.loadAverage = loadAverage();
    const hosts = opt('--floor-hosts', 'page,worker').split(',');
    const kinds = opt('--floor-kinds')?.split(',');
    await step('workerFloor', () => workerFloor(browser, server.resolvedUrls.local[0].replace(/\/$/, ''), distDir, ns, hosts, kinds));
    out.loadAverageAfter = loadAverage();
  }
  const page = floorOnly ? undefined : await openClusterPage(browser, server.resolvedUrls.local[0]);
  if (page) await page.evaluate(installHelpers);
  const summary = (r) => (r.ms ? { n: r.ms.length, p50Ms: pct(r.ms, 50), p99Ms: pct(r.ms, 99), maxMs: pct(r.ms, 100), error: r.error } : r);
  if (wanted('start')) await step('start', async () => summary(await page.evaluate(startPhase, { n: starts })));
  if (wanted('run')) await step('run', async () => summary(await page.evaluate(runPhase, { n: starts })));
  if (wanted('exec')) await step('exec', async () => summary(await page.evaluate(execPhase, { n: execs })));
  if (wanted('http')) await step('http', () => page.evaluate(httpPhase, { n: requests, nginx }));
  if (page) await page.evaluate(() => window.__rb.deleteAll());
  if (wanted('capacity')) await step('capacity', async () => {
    await new Promise((r) => setTimeout(r, 3000));
    const before = { rss: chromiumRss(), uaMiB: await page.evaluate(uaMemory) };
    let running = 0;
    let failure;
    const ramp = [];
    while (running < maxContainers && !failure) {
      const t0 = Date.now();
      const r = await page.evaluate(capacityBatch, { from: running, to: Math.min(maxContainers, running + 10) });
      running += r.running;
      failure = r.failed[0];
      ramp.push({ running, batchMs: Date.now() - t0, rendererMiB: chromiumRss().rendererMiB });
      console.error(`capacity: ${running} running${failure ? `, failed: ${JSON.stringify(failure)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const after = { rss: chromiumRss(), uaMiB: await page.evaluate(uaMemory) };
    const per = (a, b) => (a === null || b === null || !running ? null : Math.round(((b - a) / running) * 100) / 100);
    return {
      containers: running,
      failure,
      memory: {
        before,
        after,
        rssPerContainerMiB: per(before.rss.rendererMiB, after.rss.rendererMiB),
        uaPerContainerMiB: per(before.uaMiB, after.uaMiB),
      },
      ramp,
    };
  });
} finally {
  await browser.close();
  await server.close();
}
const json = JSON.stringify(out, null, 2);
console.log(json);
if (jsonFile) writeFileSync(jsonFile, json);
