#!/usr/bin/env node
// node scripts/bench-trace-summary.mjs TRACE.json [--dist DIR] [--bench BENCH.json] [--top N]
// Where a benchmark's time went, by component: reads a Chromium trace written by bench-control-plane --trace
// (CPU profiles of every thread) and sums each thread's sampled self time (its busy time: JS, GC, and V8's
// "(program)"), then by role: page, apiserver, scheduler, controller-manager, kubelet, container (a container
// Worker: its script is a blob: URL), other. A thread's role is the script its samples run most, recognised in
// DIR's chunks (default dist) by a string only that entry holds. With --bench (the bench's --json output)
// each thread is also given its real CPU from `procCpu` (bench-proc-cpu.mjs: /proc schedstat), joined by tid.
// Also each thread's top-level task time (RunTask's thread duration, tdur), which --trace-no-cpu keeps.
// Prints per-role totals and each role's top self-time functions; the profile's sampling makes busy time a
// little higher than CPU, and a thread's start-up before its profile began is only in the /proc figures.
import { readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const traceFile = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!traceFile) throw new Error('usage: bench-trace-summary.mjs TRACE.json [--dist DIR] [--bench BENCH.json] [--top N]');
const distDir = opt('--dist') ?? 'dist';
const topN = Number(opt('--top') ?? 15);

// Chunk file → role, by a string only that Worker entry's chunk holds.
const MARKERS = [
  ['kubelet', 'kubelet/v1.32.0 (wasip1/wasm)'],
  ['apiserver', 'tabernetes-etcd'],
  ['controller-manager', 'replicaset-controller'],
  ['scheduler', 'default-scheduler'],
  ['container', 'container worker failed'], // last: the kubelet's launcher holds the text too
];
const roleOfChunk = new Map();
for (const f of readdirSync(`${distDir}/assets`)) {
  if (!f.endsWith('.js')) continue;
  if (f.startsWith('index-')) {
    roleOfChunk.set(f, 'page');
    continue;
  }
  const text = readFileSync(`${distDir}/assets/${f}`, 'utf8');
  const m = MARKERS.find(([, s]) => text.includes(s));
  roleOfChunk.set(f, m ? m[0] : `other:${f}`);
}
const roleOfUrl = (url) => (url.startsWith('blob:') ? 'container' : roleOfChunk.get(url.split('/').pop()) ?? (url ? 'other' : ''));

const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
const events = Array.isArray(trace) ? trace : trace.traceEvents;
const threadNames = new Map();
const workerUrl = new Map(); // tid → the Worker's script URL (TracingSessionIdForWorker)
const taskCpu = new Map(); // pid:tid → µs of thread time in top-level tasks (RunTask tdur)
const profiles = new Map(); // pid:id → { pid, tid, nodes: Map, self: Map<nodeId, µs> }
for (const e of events) {
  if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name);
  if (e.name === 'TracingSessionIdForWorker' && e.args?.data?.workerThreadId) workerUrl.set(e.args.data.workerThreadId, e.args.data.url ?? '');
  if (e.name === 'RunTask' && e.ph === 'X' && e.tdur) taskCpu.set(`${e.pid}:${e.tid}`, (taskCpu.get(`${e.pid}:${e.tid}`) ?? 0) + e.tdur);
  if (e.name === 'Profile') profiles.set(`${e.pid}:${e.id}`, { pid: e.pid, tid: e.tid, nodes: new Map(), self: new Map() });
}
for (const e of events) {
  if (e.name !== 'ProfileChunk') continue;
  const p = profiles.get(`${e.pid}:${e.id}`);
  const data = e.args?.data;
  if (!p || !data) continue;
  for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n.callFrame);
  const samples = data.cpuProfile?.samples ?? [];
  const deltas = data.timeDeltas ?? [];
  samples.forEach((id, i) => p.self.set(id, (p.self.get(id) ?? 0) + Math.max(0, deltas[i] ?? 0)));
}

const cpuByTid = new Map();
if (opt('--bench')) {
  const bench = JSON.parse(readFileSync(opt('--bench'), 'utf8'));
  for (const d of [...(bench.deployments ?? []), ...(bench.hollowDeployments ?? [])]) for (const p of d.procCpu?.processes ?? []) for (const t of p.threads) cpuByTid.set(t.tid, t.cpuMs);
}

const threads = [];
const fnByRole = new Map();
for (const p of profiles.values()) {
  const byUrl = new Map();
  let busy = 0;
  let gc = 0;
  let program = 0;
  const fns = new Map();
  for (const [id, us] of p.self) {
    const cf = p.nodes.get(id);
    if (!cf || cf.functionName === '(idle)') continue;
    busy += us;
    if (cf.functionName === '(garbage collector)') gc += us;
    if (cf.functionName === '(program)') program += us;
    if (cf.url) byUrl.set(cf.url, (byUrl.get(cf.url) ?? 0) + us);
    const key = `${cf.functionName || '(anonymous)'} ${(cf.url ?? '').split('/').pop()}:${(cf.lineNumber ?? -1) + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const mainUrl = [...byUrl].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const name = threadNames.get(`${p.pid}:${p.tid}`) ?? '';
  const role = name === 'CrRendererMain' ? 'page' : roleOfUrl(workerUrl.get(p.tid) ?? mainUrl) || (name.includes('Worker') ? 'worker (no JS sampled)' : name || 'unknown');
  threads.push({ pid: p.pid, tid: p.tid, name, role, busyMs: busy / 1000, gcMs: gc / 1000, programMs: program / 1000, cpuMs: cpuByTid.get(p.tid), taskMs: (taskCpu.get(`${p.pid}:${p.tid}`) ?? 0) / 1000 });
  const agg = fnByRole.get(role) ?? new Map();
  for (const [k, us] of fns) agg.set(k, (agg.get(k) ?? 0) + us);
  fnByRole.set(role, agg);
}

// Without CPU profiles (--trace-no-cpu): every named thread, its role from its Worker URL.
const seenTids = new Set(threads.map((t) => t.tid));
for (const [key, name] of threadNames) {
  const [pid, tid] = key.split(':').map(Number);
  if (seenTids.has(tid)) continue;
  const role = name === 'CrRendererMain' ? 'page' : workerUrl.has(tid) ? roleOfUrl(workerUrl.get(tid)) : `thread: ${name}`;
  threads.push({ pid, tid, name, role, busyMs: 0, gcMs: 0, programMs: 0, cpuMs: cpuByTid.get(tid), taskMs: (taskCpu.get(key) ?? 0) / 1000 });
}
const roles = new Map();
for (const t of threads) {
  const r = roles.get(t.role) ?? { threads: 0, busyMs: 0, gcMs: 0, programMs: 0, cpuMs: 0, taskMs: 0 };
  r.threads++;
  r.taskMs += t.taskMs;
  r.busyMs += t.busyMs;
  r.gcMs += t.gcMs;
  r.programMs += t.programMs;
  r.cpuMs += t.cpuMs ?? 0;
  roles.set(t.role, r);
}
const f = (x) => String(Math.round(x)).padStart(7);
console.log(`role                        threads  busy ms  (gc)  (program) task cpu${cpuByTid.size ? '  cpu ms (/proc)' : ''}`);
for (const [role, r] of [...roles].sort((a, b) => b[1].cpuMs + b[1].taskMs - a[1].cpuMs - a[1].taskMs)) {
  if (r.taskMs < 1 && r.cpuMs < 1 && r.busyMs < 1) continue;
  console.log(`${role.padEnd(28)}${String(r.threads).padStart(7)}${f(r.busyMs)}${f(r.gcMs)}${f(r.programMs)}${f(r.taskMs)}${cpuByTid.size ? f(r.cpuMs) : ''}`);
}
if (cpuByTid.size) {
  const profiled = new Set(threads.filter((t) => t.cpuMs !== undefined).map((t) => t.tid));
  const rest = [...cpuByTid].filter(([tid]) => !profiled.has(tid)).reduce((a, [, ms]) => a + ms, 0);
  console.log(`threads not named in the trace (profiler, thread pool, other processes): ${Math.round(rest)} ms CPU`);
}
for (const [role, agg] of fnByRole) {
  if ((roles.get(role)?.busyMs ?? 0) < 20) continue;
  console.log(`\n${role}: top self time (ms)`);
  for (const [k, us] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, topN)) console.log(`${f(us / 1000)}  ${k}`);
}
