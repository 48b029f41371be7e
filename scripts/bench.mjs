#!/usr/bin/env node
// Benchmarks in headless Chromium against the built app (`npm run bench` builds first).
// Usage: npm run bench [-- --runs N] [-- boot|apply]...
// Prints one JSON document on stdout: each figure's runs (ms) and median.
import { preview } from 'vite';
import { launchBenchChromium } from './bench-common.mjs';

const argv = process.argv.slice(2);
const runsFlag = argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(argv[runsFlag + 1]) : 5;
const selected = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs');
const want = (name) => selected.length === 0 || selected.includes(name);

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: bench
spec:
  restartPolicy: Never
  containers:
  - name: hello
    image: hello-world
`;


const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
const url = server.resolvedUrls.local[0];
const browser = await launchBenchChromium();

const version = browser.version();
const results = { boot: [], apply: [] };
try {
  for (let i = 0; i < runs; i++) {
    // A fresh profile each run: an empty IndexedDB, so this is a first boot (the worst case).
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const bootMs = await page.evaluate(async () => {
      await window.tabernetes.ready;
      const t = performance.now();
      return t; // ms since navigation start
    });
    if (want('boot')) results.boot.push(Math.round(bootMs));
    if (want('apply')) {
      const applyMs = await page.evaluate(async (manifest) => {
        const t0 = performance.now();
        const r = await window.tabernetes.kubectl('apply -f -', manifest);
        if (r.exitCode !== 0) throw new Error(r.stderr);
        const path = '/api/v1/namespaces/default/pods/bench';
        for (;;) {
          const res = await window.tabernetes.client.raw({ method: 'GET', path });
          const cs = res.body?.status?.containerStatuses?.[0];
          if (cs?.state?.running || cs?.state?.terminated) return performance.now() - t0;
          await new Promise((r) => setTimeout(r, 2));
        }
      }, POD);
      results.apply.push(Math.round(applyMs));
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const out = { runs, chromium: version, figures: {} };
if (want('boot')) out.figures['page load to 3 nodes Ready (ms)'] = { runs: results.boot, median: median(results.boot) };
if (want('apply')) out.figures['Apply to pod Running (ms)'] = { runs: results.apply, median: median(results.apply) };
console.log(JSON.stringify(out, null, 2));
