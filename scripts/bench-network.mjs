#!/usr/bin/env node
// npm run bench:network [-- --json FILE] [--connects N] [--bytes N] [--requests N] [--concurrency N] [--rounds N]
// The pod network in headless Chromium on the real Workers (3 nodes, real WASM containers). Two netbench pods
// (images/netbench) pinned to different nodes, nginx ×3 behind the ClusterIP Service `web`, a busybox pod.
// Every figure is the median of --rounds (default 5) runs; netbench times itself inside the container
// (CLOCK_MONOTONIC), so kubectl exec's own cost is not in the figures.
//   connect — `netbench connect` from nb-client to nb-server's sink (other node): connect() call and full
//     cycle (connect, half-close, the sink accepts, reads EOF and closes) in µs; p50/p99 per connection when
//     the container clock ticks finely enough, else per batch of 32 (netbench's "samples" says which);
//     --connects (default 2000) per round.
//   stream — `netbench stream`: --bytes (default 64 MiB) over one connection, connect to the sink's close, MB/s.
//   http — GETs through the Service (kube-proxy: random ready endpoint per connection) to 3 nginx replicas,
//     Connection: close, a new connection each: `netbench http web 80 /` one at a time and --concurrency
//     (default 32) at a time, --requests (default 1000) each; wgetLoop is busybox `wget` in a shell loop
//     (a process per GET, 100 GETs, exec overhead taken off).
//   serviceWorker — fetch() from the page through the Service Worker to the same Service (`/_/svc/default/web:80/`
//     when the worker serves it, else `/proxy/service/default/web:80/`): --requests sequentially and with
//     --concurrency in flight.
// Expects dist/ (the npm script builds first). Prints JSON; --json FILE also writes it.
import { existsSync, writeFileSync } from 'node:fs';
import { preview } from 'vite';
import { benchSteps, launchBenchChromium, loadAverage, machine, median, openClusterPage } from './bench-common.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const jsonFile = opt('--json');
const connects = Number(opt('--connects', 2000));
const bytes = Number(opt('--bytes', 64 * 2 ** 20));
const requests = Number(opt('--requests', 1000));
const concurrency = Number(opt('--concurrency', 32));
const rounds = Number(opt('--rounds', 5));

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: nb-server, labels: {bench: network}}
spec: {nodeName: tabernetes-worker2, terminationGracePeriodSeconds: 0, containers: [{name: nb, image: docker.io/tabernetes/netbench}]}
---
apiVersion: v1
kind: Pod
metadata: {name: nb-client, labels: {bench: network}}
spec: {nodeName: tabernetes-worker, terminationGracePeriodSeconds: 0, containers: [{name: nb, image: docker.io/tabernetes/netbench}]}
---
apiVersion: v1
kind: Pod
metadata: {name: nb-busybox, labels: {bench: network}}
spec: {nodeName: tabernetes-worker, terminationGracePeriodSeconds: 0, containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, bench: network}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: nginx, image: docker.io/library/nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}
`;

/** In the page: applies the manifest, then waits (≤ 120 s) for the 6 bench pods Running and 3 ready endpoints. */
async function setUp(manifest) {
  const t = window.tabernetes;
  const applied = await t.kubectl('apply -f -', manifest);
  if (applied.exitCode !== 0) return { error: `apply: ${applied.stderr}` };
  const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
  const Endpoints = { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true };
  let last = '';
  for (let i = 0; i < 1200; i++) {
    const pods = (await t.client.list(Pods, 'default', { labelSelector: 'bench=network' })).items;
    const running = pods.filter((p) => p.status?.containerStatuses?.[0]?.state?.running);
    const eps = await t.client.get(Endpoints, 'web', 'default').catch(() => undefined);
    const ready = eps?.subsets?.flatMap((s) => s.addresses ?? []).length ?? 0;
    last = `${pods.map((p) => `${p.metadata.name}: ${JSON.stringify(p.status?.containerStatuses?.[0]?.state ?? p.status?.phase)}`).join(', ')}; ${ready} ready endpoints`;
    if (running.length === 6 && ready === 3) return { ips: Object.fromEntries(pods.map((p) => [p.metadata.name, p.status.podIP])), nodes: pods.map((p) => `${p.metadata.name}@${p.spec.nodeName}`) };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { error: `pods or endpoints not ready after 120 s: ${last}` };
}

/** In the page: `kubectl exec POD -- CMD`; resolves netbench's JSON line, or { error }. */
async function execJson({ pod, cmd }) {
  const r = await window.tabernetes.kubectl(`exec ${pod} -- ${cmd}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  return r.exitCode === 0 && line ? JSON.parse(line) : { error: `exit ${r.exitCode}: ${(line ?? '') + r.stderr}`.slice(0, 400) };
}

/** In the page: a busybox wget loop of n GETs to url; GETs per second with exec's own cost taken off. */
async function wgetLoop({ n, url }) {
  const kubectl = window.tabernetes.kubectl;
  const execMs = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await kubectl('exec nb-busybox -- true');
    execMs.push(performance.now() - t0);
  }
  execMs.sort((a, b) => a - b);
  const t0 = performance.now();
  const r = await kubectl(`exec nb-busybox -- sh -c 'for i in ${Array.from({ length: n }, (_, i) => i + 1).join(' ')}; do wget -q -O /dev/null ${url} || exit 1; echo .; done'`);
  const ms = performance.now() - t0 - execMs[2];
  const done = (r.stdout.match(/\./g) ?? []).length;
  return r.exitCode === 0 && done === n ? { n, perSecond: Math.round((n / (ms / 1000)) * 10) / 10, execOverheadMs: Math.round(execMs[2]) } : { error: `exit ${r.exitCode}, ${done}/${n}: ${r.stderr.slice(0, 300)}` };
}

/** In the page: which Service Worker URL form answers nginx's page, or { error }. */
async function swPrefix() {
  const reg = await navigator.serviceWorker.ready;
  for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 100));
  const tried = [];
  for (const url of ['/_/svc/default/web:80/', '/proxy/service/default/web:80/']) {
    const res = await fetch(url).catch((e) => ({ status: String(e), text: async () => '' }));
    const body = await res.text();
    tried.push(`${url} → ${res.status}`);
    if (res.status === 200 && body.includes('Welcome to nginx')) return { url, worker: reg.active?.scriptURL };
  }
  return { error: `no Service Worker URL served nginx: ${tried.join(', ')}` };
}

/** In the page: n fetches of url, `inFlight` at a time; requests per second and per-request p50/p99 ms. */
async function swFetches({ url, n, inFlight }) {
  const ms = [];
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const t0 = performance.now();
      const res = await fetch(url, { cache: 'no-store' }).catch(() => undefined);
      const ok = res?.status === 200 && (await res.text()).includes('Welcome to nginx');
      if (!ok) failed++;
      ms.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const total = performance.now() - t0;
  ms.sort((a, b) => a - b);
  const at = (p) => Math.round(ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] * 10) / 10;
  return { requests: n, inFlight, failed, perSecond: Math.round(((n - failed) / (total / 1000)) * 10) / 10, p50Ms: at(50), p99Ms: at(99) };
}

/** rounds runs of fn(); the run whose `key` is the median, with every run's key. */
async function medianOf(fn, key) {
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const r = await fn();
    if (r.error) return { ...r, runs: runs.map((x) => x[key]) };
    runs.push(r);
  }
  const m = median(runs.map((r) => r[key]));
  return { ...runs.find((r) => r[key] === m), runs: runs.map((r) => r[key]) };
}

if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first (npm run bench:network does)');
const server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
const browser = await launchBenchChromium();
const out = { machine: machine(), browser: browser.version(), date: new Date().toISOString(), loadAverage: { before: loadAverage() } };
const step = benchSteps(out);
try {
  const page = await openClusterPage(browser, server.resolvedUrls.local[0]);
  await step('setup', () => page.evaluate(setUp, MANIFEST));
  if (out.setup.error) throw new Error(`setup: ${out.setup.error}`);
  const serverIP = out.setup.ips['nb-server'];
  const nb = (cmd) => page.evaluate(execJson, { pod: 'nb-client', cmd: `/netbench ${cmd}` });
  await step('connect', () => medianOf(() => nb(`connect ${serverIP} 5001 ${connects}`), 'cycleP50Us'));
  await step('stream', () => medianOf(() => nb(`stream ${serverIP} 5001 ${bytes}`), 'MBps'));
  await step('http', async () => ({
    sequential: await medianOf(() => nb(`http web 80 / ${requests} 1`), 'perSecond'),
    concurrent: await medianOf(() => nb(`http web 80 / ${requests} ${concurrency}`), 'perSecond'),
    wgetLoop: await medianOf(() => page.evaluate(wgetLoop, { n: 100, url: 'http://web/' }), 'perSecond'),
  }));
  await step('serviceWorker', async () => {
    const via = await page.evaluate(swPrefix);
    if (via.error) return via;
    return {
      url: via.url,
      sequential: await medianOf(() => page.evaluate(swFetches, { url: via.url, n: requests, inFlight: 1 }), 'perSecond'),
      concurrent: await medianOf(() => page.evaluate(swFetches, { url: via.url, n: requests, inFlight: concurrency }), 'perSecond'),
    };
  });
} catch (err) {
  out.error = String(err);
} finally {
  out.loadAverage.after = loadAverage();
  await browser.close();
  await server.close();
}
const json = JSON.stringify(out, null, 2);
console.log(json);
if (jsonFile) writeFileSync(jsonFile, json);
