#!/usr/bin/env node
// npm run bench:control-plane [-- --json FILE] [--dist DIR] [--quick] [--nodes 500,5000] [--pods N] [--deployments 100@3,…] [--hollow-deployments 1000@10,…] [--deployments-only] [--trace FILE] [--trace-no-cpu] [--page-profile FILE] [--settle MS] [--warm N]
// Scheduler throughput in headless Chromium on the real Workers, with hollow nodes (KWOK-style): Node
// objects registered Ready with allocatable by an in-page loop that re-posts their heartbeat every 30 s (grace is 40 s); no
// kubelet. For each node count: create the hollow nodes, then create the pods (nodeSelector to the hollow
// nodes, 10m cpu / 16Mi each) as fast as the apiserver takes them, and time until the scheduler has bound
// them all (binding persisted: POST pods/NAME/binding returned). Figures:
//   The pods are created while the scheduler holds its queue (debug.schedulerPause), then released.
//   podsPerSecond — pods bound and persisted per second, first bind to last bind (scheduler throughput);
//   endToEndPerSecond — from the release to the last bind; createPerSecond — the apiserver's create rate.
// Then, on real nodes (kubelets running real pause containers): the time from creating a Deployment of
// N replicas (tolerating the control-plane taint, so every node takes pods) to status.readyReplicas = N,
// for each "--deployments N@nodes" (default 100@3,1000@10; each boots a fresh cluster with ?nodes=),
// giving up after --deploy-timeout ms (default 120000) and reporting the pods' states instead; `timeline` gives
// first/median/last ms from the create at which the page's watch saw the pods created, bound, running and Ready;
// `page` the page's main-thread long tasks during the run and the longest gap between two of its watch events.
// Then, on hollow nodes (the issue's figure "1000 replicas on 10 nodes ≤ 3 s"): the same Deployment timing with
// the pods pinned (nodeSelector + toleration of kwok.x-k8s.io/node=fake:NoSchedule) to N hollow nodes run in the
// page by src/cluster/hollow-nodes.ts (debug.startHollowNodes: Nodes registered Ready with a status heartbeat; each
// bound pod's status patched Running/Ready as a kubelet would, KWOK-style), beside the tab's own 3 real nodes, for
// each "--hollow-deployments N@nodes" (default 1000@10; each in a fresh profile); the control plane (apiserver,
// scheduler, controller-manager Workers) is measured alone. Same figures (readyMs, timeline, page).
// Each Deployment also reports `procCpu` (Linux): the browser's real CPU ms during the run per process and per
// live thread (bench-proc-cpu.mjs; join thread ids with a --trace through bench-trace-summary.mjs), and `settle`
// the same for the --settle MS wait between the cluster's readiness and the create (default 0: created at once).
// --warm N opens the page with ?warm=N (container Workers each real node warms in idle time; default 16).
// Expects dist/ (the npm script builds first). Prints JSON; --json FILE also writes it.
import { existsSync, writeFileSync } from 'node:fs';
import { preview } from 'vite';
import { launchBenchChromium, loadAverage, machine } from './bench-common.mjs';
import { procCpuDiff, procCpuSnapshot } from './bench-proc-cpu.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const jsonFile = opt('--json');
// --trace FILE: a Chromium trace (every thread: page, Workers; with CPU profiles) of each scheduler phase to
// FILE.<nodes>.json and of each Deployment to FILE.deploy-<replicas>.json (FILE.hollow-deploy-<replicas>.json on hollow nodes); --trace-light records only devtools.timeline.
const traceFile = opt('--trace');
// --page-profile FILE: a V8 CPU profile of the page's main thread only (no Workers) during each Deployment, to
// FILE.[hollow-]deploy-<replicas>.cpuprofile (open in DevTools ▸ Performance), with its top self-time functions on stderr.
const pageProfileFile = opt('--page-profile');
// --trace-no-cpu: every thread's tasks (their thread CPU, tdur) and which Worker runs where, without V8's CPU profiler
// (which costs each of ~100 container Workers a sampler: about 2 s of CPU in a 100-pod run).
const traceCategories = args.includes('--trace-light')
  ? ['devtools.timeline']
  : args.includes('--trace-no-cpu')
    ? ['devtools.timeline', 'disabled-by-default-devtools.timeline']
    : ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];
const nodeCounts = (opt('--nodes') ?? (quick ? '100,500' : '500,5000')).split(',').map(Number);
const podCount = Number(opt('--pods') ?? (quick ? 500 : 2000));
// Deployment timings on real nodes: "<replicas>@<nodes>" each in a fresh profile (?nodes=N boots N kubelets).
const deployments = (opt('--deployments') ?? (quick ? '20@3' : '100@3,1000@10')).split(',').filter(Boolean).map((d) => d.split('@').map(Number));
const skipScheduler = args.includes('--deployments-only');
// Deployment timings on hollow nodes: "<replicas>@<hollow nodes>", each in a fresh profile of the default 3-node cluster.
const hollowDeployments = (opt('--hollow-deployments') ?? (quick ? '200@10' : '1000@10')).split(',').filter(Boolean).map((d) => d.split('@').map(Number));



/** Runs in the page: one phase (nodes hollow nodes, pods pods). Returns the figures. */
async function phase({ nodes, pods, tag }) {
  const t = window.tabernetes;
  const client = t.client;
  const Nodes = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
  const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const Namespaces = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
  const pool = async (n, width, fn) => {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await fn(next++);
    }));
  };
  const name = (i) => `hollow-${tag}-${String(i).padStart(5, '0')}`;
  const readyStatus = () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    };
  };
  const t0 = performance.now();
  await pool(nodes, 64, (i) =>
    client.create(Nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: name(i), labels: { 'kubernetes.io/hostname': name(i), 'bench.tabernetes.dev/hollow': tag } }, status: readyStatus() }),
  );
  const nodesMs = performance.now() - t0;
  // the KWOK-style heartbeat loop
  let beating = true;
  const beat = (async () => {
    while (beating) {
      await new Promise((r) => setTimeout(r, 30_000));
      if (!beating) break;
      await pool(nodes, 16, (i) => client.patch(Nodes, name(i), undefined, 'merge', { status: readyStatus() }, 'status').catch(() => undefined));
    }
  })();
  const ns = `bench-${tag}`;
  await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }).catch(() => undefined);
  // let the scheduler's informer see every node
  await new Promise((r) => setTimeout(r, 500));
  // Pods are created while the scheduler holds its queue, then released: the scheduler (and the binding
  // writes) are measured, not the apiserver's create rate.
  await t.debug.schedulerPause();
  const bound0 = (await t.debug.schedulerStats()).bound;
  let firstBindAt;
  let lastBindAt;
  let boundNow = 0;
  let c0 = performance.now();
  const createStart = c0;
  const startPoll = () => (async () => {
    for (;;) {
      const b = (await t.debug.schedulerStats()).bound - bound0;
      const now = performance.now();
      if (b > 0 && firstBindAt === undefined) firstBindAt = now;
      if (b > boundNow) lastBindAt = now;
      boundNow = b;
      if (b >= pods) return;
      if (now - c0 > 300_000) throw new Error(`only ${b}/${pods} pods bound after 300 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await pool(pods, 64, (i) =>
    client.create(Pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, namespace: ns },
      spec: { nodeSelector: { 'bench.tabernetes.dev/hollow': tag }, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    }, ns),
  );
  const createMs = performance.now() - createStart;
  // let the scheduler's informer see every pod, then release the queue
  await new Promise((r) => setTimeout(r, 1000));
  c0 = performance.now();
  const poll = startPoll();
  await t.debug.schedulerResume();
  await poll;
  const bindSpan = (lastBindAt - firstBindAt) / 1000;
  // verify persistence: every pod has spec.nodeName in the store
  const list = await client.list(Pods, ns);
  const persisted = list.items.filter((p) => p.spec?.nodeName).length;
  const spread = new Set(list.items.map((p) => p.spec?.nodeName)).size;
  beating = false;
  void beat;
  return {
    nodes,
    pods,
    nodesCreatedMs: Math.round(nodesMs),
    createPerSecond: Math.round(pods / (createMs / 1000)),
    podsPerSecond: Math.round(pods / Math.max(bindSpan, 0.001)),
    endToEndPerSecond: Math.round(pods / ((lastBindAt - c0) / 1000)),
    persisted,
    distinctNodesUsed: spread,
  };
}

/** Runs in the page: delete a phase's pods and nodes so the next phase sees only its own. */
async function cleanup({ nodes, tag }) {
  const client = window.tabernetes.client;
  const Nodes = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
  const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const ns = `bench-${tag}`;
  const items = (await client.list(Pods, ns)).items;
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < items.length) await client.delete(Pods, items[next++].metadata.name, ns, { gracePeriodSeconds: 0 }).catch(() => undefined);
  }));
  next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < nodes) await client.delete(Nodes, `hollow-${tag}-${String(next++).padStart(5, '0')}`).catch(() => undefined);
  }));
}

/** Runs in the page: one Deployment of `replicas` pause pods; ms from create to all Ready. */
async function deployPhase({ replicas, hollowNodes }) {
  const client = window.tabernetes.client;
  // hollowNodes: start that many hollow nodes in this page and pin the pods to them.
  const hollowTaint = { key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' };
  const hollow = hollowNodes
    ? window.tabernetes.debug.startHollowNodes(Array.from({ length: hollowNodes }, (_, i) => `hollow-${String(i).padStart(5, '0')}`), { labels: { 'bench.tabernetes.dev/hollow': 'deploy' }, taints: [hollowTaint] })
    : undefined;
  if (hollow) {
    await hollow.ready;
    // let the scheduler's informer see every node
    await new Promise((r) => setTimeout(r, 500));
  }
  const Deployments = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
  const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const ns = 'default';
  const name = `${hollow ? 'hollow' : 'pause'}-${replicas}`;
  // Per-pod timeline from a watch opened before the create: first seen (created), bound (spec.nodeName),
  // container running (state.running), Ready condition True — ms from the Deployment's create.
  const seen = new Map();
  // The page's own share: main-thread long tasks (>50 ms) and the longest gap between two watch events.
  const longTasks = [];
  const observer = typeof PerformanceObserver === 'function' && PerformanceObserver.supportedEntryTypes?.includes('longtask') ? new PerformanceObserver((l) => longTasks.push(...l.getEntries())) : undefined;
  observer?.observe({ type: 'longtask' });
  let lastEvent;
  let maxGap = { ms: 0, at: 0 };
  const watch = client.watch(Pods, ns, { labelSelector: `app=${name}` }, {
    onEvent(ev) {
      const p = ev.object;
      const uid = p.metadata?.uid;
      if (!uid) return;
      const now = performance.now();
      if (lastEvent !== undefined && now - lastEvent > maxGap.ms) maxGap = { ms: now - lastEvent, at: lastEvent };
      lastEvent = now;
      const r = seen.get(uid) ?? { created: now };
      seen.set(uid, r);
      if (p.spec?.nodeName) r.bound ??= now;
      if (p.status?.containerStatuses?.[0]?.state?.running) r.running ??= now;
      if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) r.ready ??= now;
    },
  });
  const t0 = performance.now();
  await client.create(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(hollow ? { nodeSelector: { 'bench.tabernetes.dev/hollow': 'deploy' } } : {}),
          tolerations: [hollow ? { key: hollowTaint.key, operator: 'Exists', effect: 'NoSchedule' } : { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }],
        },
      },
    },
  }, ns);
  // Ready from a watch on the Deployment (no polling on the page), or the timeout.
  let readyAt;
  let last = 0;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, Number(window.__deployTimeoutMs ?? 600_000));
    const dw = client.watch(Deployments, ns, { fieldSelector: `metadata.name=${name}` }, {
      onEvent(ev) {
        last = ev.object?.status?.readyReplicas ?? 0;
        if (last >= replicas && readyAt === undefined) {
          readyAt = performance.now();
          clearTimeout(timer);
          dw.dispose();
          resolve();
        }
      },
    });
  });
  watch.dispose();
  observer?.disconnect();
  const during = longTasks.filter((e) => e.startTime + e.duration >= t0 && e.startTime <= (readyAt ?? performance.now()));
  const page = {
    longTasks: during.length,
    longTaskMs: Math.round(during.reduce((a, e) => a + e.duration, 0)),
    maxLongTaskMs: Math.round(Math.max(0, ...during.map((e) => e.duration))),
    maxWatchGapMs: Math.round(maxGap.ms),
    maxWatchGapFromMs: Math.round(maxGap.at - t0),
  };
  // Each step's median and last time over the pods, ms from t0 (a step a pod never reached is left out).
  const timeline = {};
  for (const step of ['created', 'bound', 'running', 'ready']) {
    const ts = [...seen.values()].map((r) => r[step]).filter((x) => x !== undefined).map((x) => x - t0).sort((a, b) => a - b);
    timeline[step] = ts.length ? { first: Math.round(ts[0]), median: Math.round(ts[ts.length >> 1]), last: Math.round(ts[ts.length - 1]) } : null;
  }
  const pods = (await client.list(Pods, ns, { labelSelector: `app=${name}` })).items;
  const states = {};
  for (const p of pods) {
    const cs = p.status?.containerStatuses?.[0];
    const k = cs?.state?.waiting?.reason ?? (cs?.state?.terminated ? `terminated:${cs.state.terminated.reason}` : cs?.ready ? 'ready' : (p.status?.phase ?? 'none'));
    states[k] = (states[k] ?? 0) + 1;
  }
  const hollowStats = hollow?.stats();
  hollow?.dispose();
  return {
    replicas,
    ...(hollow ? { hollowNodes, hollowStats } : {}),
    states,
    nodes: new Set(pods.map((p) => p.spec?.nodeName)).size,
    readyMs: readyAt === undefined ? null : Math.round(readyAt - t0),
    readyReplicas: last,
    timeline,
    page,
  };
}

/** The `n` functions with the most self time in a V8 CPU profile, in ms (samples × their time deltas). */
function topSelfTime(profile, n) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const cf = byId.get(id).callFrame;
    const file = cf.url.split('/').pop() || cf.url;
    const key = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
}

// --dist DIR: serve another build (e.g. `npx vite build --minify false --outDir DIR` for readable profiles).
const distDir = opt('--dist') ?? 'dist';
if (!existsSync(`${distDir}/index.html`)) throw new Error(`${distDir}/ is missing: run \`npm run build\` first (npm run bench:control-plane does)`);
const server = await preview({ build: { outDir: distDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
const browser = await launchBenchChromium();
const out = { machine: machine(), browser: browser.version(), targets: { 500: 1000, 5000: 700, deploy100ReadyMs: 200, hollowDeploy1000On10ReadyMs: 3000 }, phases: [], hollowDeployments: [], deployments: [] };
try {
  const runs = [...hollowDeployments.map(([replicas, nodes]) => ({ replicas, nodes, hollow: true })), ...deployments.map(([replicas, nodes]) => ({ replicas, nodes, hollow: false }))];
  for (const { replicas, nodes, hollow } of runs) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(hollow ? server.resolvedUrls.local[0] : `${server.resolvedUrls.local[0]}?nodes=${nodes}${opt('--warm') !== undefined ? `&warm=${opt('--warm')}` : ''}`);
    await page.waitForFunction(() => !!window.tabernetes, undefined, { timeout: 60000 });
    await page.evaluate(() => window.tabernetes.ready);
    if (hollow) {
      await page.waitForFunction(() => !!window.tabernetes.debug?.startHollowNodes, undefined, { timeout: 60000 });
      // As in the scheduler phases: the control plane is measured, not the page drawing node cards.
      await page.addStyleTag({ content: '[data-testid="cluster"] { display: none !important; }' });
    }
    const what = hollow ? `hollow-deploy-${replicas}` : `deploy-${replicas}`;
    await page.evaluate((ms) => (window.__deployTimeoutMs = ms), Number(opt('--deploy-timeout') ?? 120_000));
    const settleMs = Number(opt('--settle') ?? 0);
    const settle0 = procCpuSnapshot();
    if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
    if (traceFile) await browser.startTracing(page, { path: `${traceFile}.${what}.json`, categories: traceCategories });
    const cdp = pageProfileFile ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const cpu0 = procCpuSnapshot();
    const r = await page.evaluate(deployPhase, { replicas, hollowNodes: hollow ? nodes : 0 });
    const cpu1 = procCpuSnapshot();
    if (traceFile) await browser.stopTracing();
    r.loadAverage = loadAverage();
    r.settle = { ms: settleMs, ...(procCpuDiff(settle0, cpu0) ?? {}) };
    // memory the wait added (idle container Workers warmed meanwhile): the renderer's resident set before and after
    const rss = (snap) => Math.round(snap?.processes.filter((p) => p.type === 'renderer').reduce((a, p) => Math.max(a, p.rssKiB), 0) / 1024);
    r.settle.rendererRssMiB = { before: rss(settle0), after: rss(cpu0) };
    r.settle.rendererThreads = { before: settle0?.processes.reduce((a, p) => Math.max(a, p.threads.length), 0), after: cpu0?.processes.reduce((a, p) => Math.max(a, p.threads.length), 0) };
    delete r.settle.processes;
    r.procCpu = procCpuDiff(cpu0, cpu1);
    if (r.procCpu) {
      const top = Object.entries(r.procCpu.byComm).sort((a, b) => b[1] - a[1]).slice(0, 12);
      console.error(`browser CPU during the Deployment: ${r.procCpu.totalCpuMs} ms in ${r.procCpu.wallMs} ms (${r.procCpu.processes.filter((p) => p.cpuMs).map((p) => `${p.type} ${p.cpuMs}`).join(', ')}; exited threads ${r.procCpu.processes.reduce((a, p) => a + p.exitedThreadsMs, 0)}); by thread name: ${top.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${pageProfileFile}.${what}.cpuprofile`, JSON.stringify(profile));
      r.pageProfileTop = topSelfTime(profile, 25);
      console.error(`page CPU profile, Deployment of ${replicas} (self ms, function):\n${r.pageProfileTop.map((x) => `  ${String(x.ms).padStart(7)}  ${x.fn}`).join('\n')}`);
    }
    r.nodesInCluster = hollow ? nodes + 3 : nodes;
    console.error(`Deployment of ${replicas} on ${nodes} ${hollow ? 'hollow' : 'real'} nodes: ${r.readyMs === null ? `only ${r.readyReplicas} Ready before the timeout (${JSON.stringify(r.states)})` : `${r.readyMs} ms to all Ready`} ${JSON.stringify(r.timeline)}`);
    (hollow ? out.hollowDeployments : out.deployments).push(r);
    await context.close();
  }
} catch (err) {
  console.error('deployment phase failed:', err);
  out.deploymentError = String(err);
}
try {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.resolvedUrls.local[0]);
  await page.waitForFunction(() => !!window.tabernetes, undefined, { timeout: 60000 });
  await page.evaluate(() => window.tabernetes.ready);
  await page.waitForFunction(() => !!window.tabernetes.debug?.schedulerStats, undefined, { timeout: 60000 });
  // Measure the control plane, not the page drawing thousands of node cards: the cluster view is hidden
  // (React still reconciles it; layout and paint are skipped).
  await page.addStyleTag({ content: '[data-testid="cluster"] { display: none !important; }' });
  for (const nodes of skipScheduler ? [] : nodeCounts) {
    const tag = String(nodes);
    if (traceFile) await browser.startTracing(page, { path: `${traceFile}.${nodes}.json`, categories: traceCategories });
    const r = await page.evaluate(phase, { nodes, pods: podCount, tag });
    if (traceFile) await browser.stopTracing();
    console.error(`${nodes} nodes: ${r.podsPerSecond} pods/s bound (${r.endToEndPerSecond}/s end to end, creates ${r.createPerSecond}/s)`);
    out.phases.push(r);
    await page.evaluate(cleanup, { nodes, tag });
  }
} finally {
  await browser.close();
  await server.close();
}
const json = JSON.stringify(out, null, 2);
console.log(json);
if (jsonFile) writeFileSync(jsonFile, json);
