#!/usr/bin/env node
// npm run bench:store [-- --json FILE] [--quick] [--etcd-only]
// The store benchmark: the same workload (src/storage/run-store-bench.ts) on Tabernetes' store in headless
// Chromium on real IndexedDB (through window.tabernetes.debug.benchStore, inside the apiserver Worker, on
// its own database) and on etcd from Debian (etcd-server, installed with apt-get when missing; started on
// 127.0.0.1 with a temporary data dir and free ports, stopped after) driven by the etcd3 npm client.
// Expects dist/ to be built (the npm script builds first). Prints a table; --json FILE writes every figure.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { preview } from 'vite';
import { launchBenchChromium, machine } from './bench-common.mjs';

const args = process.argv.slice(2);
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const quick = args.includes('--quick');
const etcdOnly = args.includes('--etcd-only'); // checks the etcd half alone (no build needed)
const spec = quick
  ? { valueBytes: 1024, sequentialOps: 300, writers: 100, opsPerWriter: 10, rangeKeys: 10000, rangeReps: 5, watchers: 20, watchEvents: 50 }
  : { valueBytes: 1024, sequentialOps: 2000, writers: 100, opsPerWriter: 50, rangeKeys: 10000, rangeReps: 10, watchers: 20, watchEvents: 200 };

function pct(samples, p) {
  if (samples.length === 0) return 0;
  const s = [...samples].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 1000) / 1000;
}
const r1 = (n) => Math.round(n * 10) / 10;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function etcdBinary() {
  for (const p of ['/usr/bin/etcd', '/usr/local/bin/etcd']) if (existsSync(p)) return p;
  try {
    return execFileSync('which', ['etcd'], { encoding: 'utf8' }).trim();
  } catch {
    /* not installed */
  }
  console.error('etcd not found: installing Debian etcd-server with apt-get');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (cmd) => execFileSync(sudo.length ? 'sudo' : cmd[0], sudo.length ? cmd : cmd.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    run(['apt-get', 'install', '-y', 'etcd-server']);
  } catch {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', 'etcd-server']);
  }
  return '/usr/bin/etcd';
}

async function startEtcd() {
  const bin = etcdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'bench-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const proc = spawn(
    bin,
    [
      '--name', 'bench', '--data-dir', dir,
      '--listen-client-urls', `http://127.0.0.1:${client}`, '--advertise-client-urls', `http://127.0.0.1:${client}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `bench=http://127.0.0.1:${peer}`, '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const etcd = new Etcd3({ hosts: `http://127.0.0.1:${client}`, grpcOptions: { 'grpc.max_receive_message_length': 256 << 20 } });
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await etcd.get('/health-probe').string();
      break;
    } catch (err) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`etcd did not start: ${err}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  return {
    etcd,
    version,
    async stop() {
      etcd.close();
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function benchEtcd(etcd) {
  const value = 'x'.repeat(spec.valueBytes);
  const now = () => performance.now();
  const seqLat = [];
  let t0 = now();
  for (let i = 0; i < spec.sequentialOps; i++) {
    const s = now();
    await etcd.put(`/bench/seq/${i % 100}`).value(value);
    seqLat.push(now() - s);
  }
  const seqMs = now() - t0;
  const conLat = [];
  t0 = now();
  await Promise.all(
    Array.from({ length: spec.writers }, async (_, w) => {
      for (let i = 0; i < spec.opsPerWriter; i++) {
        const s = now();
        await etcd.put(`/bench/con/${w}/${i % 10}`).value(value);
        conLat.push(now() - s);
      }
    }),
  );
  const conMs = now() - t0;
  for (let i = 0; i < spec.rangeKeys; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, spec.rangeKeys - i) }, (_, j) => etcd.put(`/bench/range/${String(i + j).padStart(6, '0')}`).value(value)));
  }
  const rangeLat = [];
  for (let i = 0; i < spec.rangeReps; i++) {
    const s = now();
    const r = await etcd.getAll().prefix('/bench/range/').exec();
    if (r.kvs.length !== spec.rangeKeys) throw new Error(`etcd range returned ${r.kvs.length}`);
    rangeLat.push(now() - s);
  }
  const started = new Map();
  const watchLat = [];
  const watchers = [];
  for (let i = 0; i < spec.watchers; i++) {
    const w = await etcd.watch().prefix('/bench/watch/').create();
    w.on('put', (kv) => {
      const t = now();
      watchLat.push(t - (started.get(kv.value.toString()) ?? t));
    });
    watchers.push(w);
  }
  for (let i = 0; i < spec.watchEvents; i++) {
    started.set(`${i}`, now());
    await etcd.put('/bench/watch/k').value(`${i}`);
  }
  const deadline = Date.now() + 5000;
  while (watchLat.length < spec.watchers * spec.watchEvents && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  for (const w of watchers) await w.cancel();
  return {
    sequentialPut: { ops: spec.sequentialOps, opsPerSec: r1((spec.sequentialOps / seqMs) * 1000), p50Ms: pct(seqLat, 50), p99Ms: pct(seqLat, 99) },
    concurrentPut: { writers: spec.writers, ops: conLat.length, opsPerSec: r1((conLat.length / conMs) * 1000), p50Ms: pct(conLat, 50), p99Ms: pct(conLat, 99) },
    range: { keys: spec.rangeKeys, p50Ms: pct(rangeLat, 50), maxMs: pct(rangeLat, 100) },
    watch: { watchers: spec.watchers, events: watchLat.length, p50Ms: pct(watchLat, 50), p99Ms: pct(watchLat, 99) },
  };
}


async function benchTabernetes() {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first (npm run bench:store does)');
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const browser = await launchBenchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(server.resolvedUrls.local[0]);
    await page.waitForFunction(() => !!window.tabernetes, undefined, { timeout: 60000 });
    await page.evaluate(() => window.tabernetes.ready);
    const version = await browser.version();
    const result = await page.evaluate((s) => window.tabernetes.debug.benchStore(s), spec);
    return { result, version };
  } finally {
    await browser.close();
    await server.close();
  }
}


const etcdServer = await startEtcd();
let theirs;
try {
  theirs = await benchEtcd(etcdServer.etcd);
} finally {
  await etcdServer.stop();
}
if (etcdOnly) {
  console.log(JSON.stringify({ machine: machine(), etcd: theirs }, null, 2));
  process.exit(0);
}
const ours = await benchTabernetes();
const t = ours.result;
const ratioToEtcd = Math.round((t.concurrentPut.opsPerSec / theirs.concurrentPut.opsPerSec) * 100) / 100;
const out = {
  machine: machine(),
  spec,
  tabernetes: { runtime: `Chromium ${ours.version}, IndexedDB (relaxed durability)`, ...t },
  etcd: { runtime: `${etcdServer.version} via etcd3 npm client`, ...theirs },
  ratioToEtcd,
};
const rows = [
  ['sequential put 1 KiB: ops/s', t.sequentialPut.opsPerSec, theirs.sequentialPut.opsPerSec],
  ['sequential put: p50 ms', t.sequentialPut.p50Ms, theirs.sequentialPut.p50Ms],
  ['sequential put: p99 ms', t.sequentialPut.p99Ms, theirs.sequentialPut.p99Ms],
  [`${spec.writers} concurrent writers: ops/s`, t.concurrentPut.opsPerSec, theirs.concurrentPut.opsPerSec],
  [`${spec.writers} concurrent writers: p99 ms`, t.concurrentPut.p99Ms, theirs.concurrentPut.p99Ms],
  [`range over ${spec.rangeKeys} keys: p50 ms`, t.range.p50Ms, theirs.range.p50Ms],
  [`watch delivery, ${spec.watchers} watchers: p50 ms`, t.watch.p50Ms, theirs.watch.p50Ms],
  [`watch delivery, ${spec.watchers} watchers: p99 ms`, t.watch.p99Ms, theirs.watch.p99Ms],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
console.log(`machine: ${out.machine}`);
console.log(`tabernetes: ${out.tabernetes.runtime}; etcd: ${out.etcd.runtime}`);
console.log(`| ${'figure'.padEnd(w0)} | tabernetes | etcd |`);
console.log(`|${'-'.repeat(w0 + 2)}|-----------:|-----:|`);
for (const [name, a, b] of rows) console.log(`| ${name.padEnd(w0)} | ${a} | ${b} |`);
console.log(`ratioToEtcd (100-writer ops/s): ${ratioToEtcd}`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(out, null, 2) + '\n');
