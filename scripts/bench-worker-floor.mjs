// npm run bench:runtime -- --worker-floor [--floor-n 1,10,100] [--floor-hosts page,worker] [--floor-kinds echo,...] [--json FILE] [--dist DIR]
// The floor under "N containers Running": what headless Chromium itself charges for N dedicated Workers, on a
// bare cross-origin-isolated page (no cluster) served beside dist/. For each host (the page; a dedicated Worker,
// as the kubelet is), N, and mode (sequential: one after the other; parallel: all created at once), one round of:
//   echo — new Worker(a tiny module script from a blob that posts at once) → its first message (Chromium's cost);
//   container — new Worker(our container Worker chunk from dist/) + a real `start` of registry.k8s.io/pause:3.10
//     (compiled once, shared by postMessage; control, stats and a 1 MiB volume reply slot like the launcher's)
//     → `started` (instance made, `_start` entered): the whole per-container path of the runtime's launcher;
//   containerTimed — the same chunk from a blob with timestamps: scriptStartMs (new Worker() → its first
//     line), evalMs (the chunk's evaluation), afterEvalMs (evaluation end → `started` received);
//   containerEager — containerTimed with V8's `//# allFunctionsCalledOnLoad` compile hint on top;
//   containerStamped — containerTimed with stamps (matched in the minified text): startArrivesMs (evaluation end →
//     `start` received), startToStartedMs (our run(): WasiHost, instantiate, `_start`), startedArrivesMs;
//   containerPrimed — containerStamped as a pooled Worker: `warm` and `prime` posted at creation, `start` 30 ms
//     after the script has run (the idle-time warm-up, container-start.ts, is then behind it);
//   instantiate — in an echo Worker, WebAssembly.instantiate of pause's module (the Worker's own clock);
//   echo.replySlotAllocUs — allocating one 1 MiB SharedArrayBuffer (the volume reply slot), mean over 100.
// Each round runs in a fresh browser context (its own renderer); its Workers stay alive until it ends.
import { readFileSync, readdirSync } from 'node:fs';

/** The container Worker's chunk in dist/assets: the main-*.js holding the Worker's error text and no Comlink. */
export function containerChunk(distDir) {
  const names = readdirSync(`${distDir}/assets`).filter((f) => /^main-.*\.js$/.test(f));
  const hit = names.filter((f) => {
    const s = readFileSync(`${distDir}/assets/${f}`, 'utf8');
    return s.includes('container worker failed') && !s.includes('Comlink');
  });
  if (hit.length !== 1) throw new Error(`expected one container Worker chunk in ${distDir}/assets, found ${hit.join(', ') || 'none'}`);
  return { name: hit[0], bytes: readFileSync(`${distDir}/assets/${hit[0]}`).length };
}

/** pause:3.10's layer (one uncompressed tar holding /pause): its blob path under images/ and the program's offset and size in it. */
export function pauseLayer(imagesDir = 'public/images') {
  const blob = (d) => `blobs/${d.replace(':', '/')}`;
  const idx = JSON.parse(readFileSync(`${imagesDir}/index.json`, 'utf8'));
  const desc = idx.manifests.find((m) => m.annotations?.['io.containerd.image.name'] === 'registry.k8s.io/pause:3.10');
  const manifest = JSON.parse(readFileSync(`${imagesDir}/${blob(desc.digest)}`, 'utf8'));
  const path = blob(manifest.layers[0].digest);
  const tar = readFileSync(`${imagesDir}/${path}`);
  const size = parseInt(tar.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim(), 8);
  return { path, offset: 512, size };
}

/** Runs in the page or in a host Worker: one round of n Workers of `kind`, one after the other or all at once (mode). */
async function harness({ base, containerUrl, n, mode, kind, echoSrc, pause }) {
  const now = () => performance.now();
  const r1 = (x) => Math.round(x * 10) / 10;
  const layer = await (await fetch(`${base}/images/${pause.path}`)).arrayBuffer();
  const module = await WebAssembly.compile(new Uint8Array(layer, pause.offset, pause.size));
  const echoUrl = URL.createObjectURL(new Blob([echoSrc], { type: 'text/javascript' }));
  // The same chunk, without its fetch (it imports nothing) and timed from inside: when its first line runs and
  // when its evaluation ends, on the Worker's clock (performance.now() counts from the Worker's creation).
  const chunkSrc = await (await fetch(containerUrl)).text();
  const timedSrc = `const __floorT0 = performance.timeOrigin + performance.now();\n${chunkSrc}\npostMessage({ type: 'floor-loaded', scriptStart: __floorT0, evalEnd: performance.timeOrigin + performance.now() });`;
  const timedUrl = URL.createObjectURL(new Blob([timedSrc], { type: 'text/javascript' }));
  // stamps inside: when `start` arrives (m0) and when `_start` is entered (s); the minified chunk's own text is matched
  const stampedSrc = timedSrc
    .replace('self.addEventListener(`message`,e=>{let t=e.data;', 'self.addEventListener(`message`,e=>{self.__m0=performance.timeOrigin+performance.now();let t=e.data;')
    .replace(/onStart:\(\)=>([\w$]+)\(\{type:`started`\}\)/, (_, post) => `onStart:()=>${post}({type:\`started\`,m0:self.__m0,s:performance.timeOrigin+performance.now()})`);
  const stampedUrl = stampedSrc.includes('__m0') && stampedSrc.includes('s:performance.timeOrigin') ? URL.createObjectURL(new Blob([stampedSrc], { type: 'text/javascript' })) : undefined;
  // V8's compile hint: compile every function with the script instead of at its first call
  const eagerUrl = URL.createObjectURL(new Blob([`//# allFunctionsCalledOnLoad\n${timedSrc}`], { type: 'text/javascript' }));
  const slotBytes = 16 + 1024 * 1024;
  const startMessage = () => ({
    type: 'start',
    module,
    args: ['/pause'],
    env: [],
    rootfs: { kind: 'dir', entries: {}, mode: 0o755, mtime: 0 },
    control: new SharedArrayBuffer(32 + 64 * 1024),
    stats: new SharedArrayBuffer(72),
    stdin: false,
    mounts: [],
    volumeSlot: new SharedArrayBuffer(slotBytes),
  });
  /** A new Worker on url (posting first() at once when given) → its first message (of type want when given). */
  // primeMs: as a pooled Worker, `prime` (the module) is posted at once and `start` primeMs after its script has run
  const one = (url, first, want, primeMs) =>
    new Promise((resolve, reject) => {
      const t0 = now();
      // worker stamps are absolute (timeOrigin + now), as the Worker's own timeOrigin is not new Worker()'s time
      const abs0 = performance.timeOrigin + t0;
      const w = new Worker(url, { type: 'module' });
      let loaded;
      const fail = (err) => (clearTimeout(timer), w.terminate(), reject(err));
      const timer = setTimeout(() => fail(new Error('no answer in 20 s')), 20_000);
      w.addEventListener('error', (e) => fail(new Error(`worker error: ${e.message}`)));
      w.addEventListener('message', (e) => {
        if (e.data?.type === 'floor-loaded') {
          loaded = e.data;
          if (primeMs !== undefined) setTimeout(() => w.postMessage(first()), primeMs);
          return;
        }
        // waiting for `want`: an exit is a failure, any other message (the echo's 'ready') is skipped
        if (want && e.data?.type === 'exit') return fail(new Error(`exited ${JSON.stringify(e.data).slice(0, 200)}`));
        if (want && e.data?.type !== want) return;
        clearTimeout(timer);
        resolve({ w, ms: now() - t0, data: e.data, loaded: loaded && { scriptStart: loaded.scriptStart - abs0, evalEnd: loaded.evalEnd - abs0 }, abs0 });
      });
      if (primeMs !== undefined) {
        w.postMessage({ type: 'warm' });
        w.postMessage({ type: 'prime', module });
      }
      else if (first) w.postMessage(first());
    });
  const round = async (n, parallel, make) => {
    const t0 = now();
    const rs = [];
    const safe = () => make().catch((err) => ({ w: { terminate() {} }, error: String(err.message ?? err) }));
    if (parallel) rs.push(...(await Promise.all(Array.from({ length: n }, safe))));
    else for (let i = 0; i < n; i++) rs.push(await safe());
    const total = now() - t0;
    for (const r of rs) r.w.terminate();
    const failed = rs.filter((r) => r.error);
    if (failed.length) return { failed: failed.length, firstError: failed[0].error };
    const q = (xs) => (xs.sort((a, b) => a - b), { p50: r1(xs[Math.floor((xs.length - 1) / 2)]), max: r1(xs[xs.length - 1]) });
    const out = { totalMs: r1(total), perWorkerMs: r1(total / n), ms: q(rs.map((r) => r.ms)) };
    if (rs[0].data?.type === 'instantiated') out.instantiateMs = q(rs.map((r) => r.data.ms));
    if (rs[0].loaded) {
      out.scriptStartMs = q(rs.map((r) => r.loaded.scriptStart));
      out.evalMs = q(rs.map((r) => r.loaded.evalEnd - r.loaded.scriptStart));
      out.afterEvalMs = q(rs.map((r) => r.ms - r.loaded.evalEnd));
      if (rs[0].data?.m0 !== undefined) {
        out.startArrivesMs = q(rs.map((r) => r.data.m0 - r.abs0 - r.loaded.evalEnd));
        out.startToStartedMs = q(rs.map((r) => r.data.s - r.data.m0));
        out.startedArrivesMs = q(rs.map((r) => r.ms - (r.data.s - r.abs0)));
      }
    }
    return out;
  };
  // warm the HTTP cache and the code cache
  await round(3, false, () => one(echoUrl));
  await round(3, false, () => one(containerUrl, startMessage, 'started'));
  await new Promise((r) => setTimeout(r, 200));
  const make = {
    echo: () => one(echoUrl),
    container: () => one(containerUrl, startMessage, 'started'),
    containerTimed: () => one(timedUrl, startMessage, 'started'),
    containerEager: () => one(eagerUrl, startMessage, 'started'),
    containerStamped: () => (stampedUrl ? one(stampedUrl, startMessage, 'started') : Promise.reject(new Error('chunk text not matched'))),
    containerPrimed: () => (stampedUrl ? one(stampedUrl, startMessage, 'started', 30) : Promise.reject(new Error('chunk text not matched'))),
    instantiate: () => one(echoUrl, () => ({ module }), 'instantiated'),
  }[kind];
  const r = await round(n, mode === 'parallel', make);
  if (kind === 'echo') {
    const t0 = now();
    const keep = [];
    for (let i = 0; i < 100; i++) keep.push(new SharedArrayBuffer(slotBytes));
    r.replySlotAllocUs = Math.round(((now() - t0) / 100) * 1000) / 1000;
  }
  return r;
}

// The echo Worker: posts at once; on { module } instantiates it (stub imports) and posts the time it took.
const ECHO = `postMessage({ type: 'ready' });
addEventListener('message', async (e) => {
  const m = e.data.module;
  const imports = {};
  for (const i of WebAssembly.Module.imports(m)) {
    imports[i.module] ??= {};
    imports[i.module][i.name] = i.kind === 'function' ? () => 0 : i.kind === 'memory' ? new WebAssembly.Memory({ initial: 1 }) : undefined;
  }
  const t0 = performance.now();
  try {
    await WebAssembly.instantiate(m, imports);
    postMessage({ type: 'instantiated', ms: performance.now() - t0 });
  } catch (err) {
    postMessage({ type: 'exit', error: String(err.message) });
  }
});`;

const HOST = (fn) => `const harness = ${fn};
addEventListener('message', async (e) => {
  try { postMessage(await harness(e.data)); } catch (err) { postMessage({ error: String(err && err.stack || err) }); }
});`;

/**
 * For each host (the page; a dedicated Worker, as the kubelet is), n, mode and kind, one round in a fresh context
 * (its own renderer: a renderer holds ~124 Wasm memories at once and frees a terminated Worker's only later).
 */
export async function workerFloor(browser, base, distDir, ns, hosts = ['page', 'worker'], kinds = ['echo', 'container', 'containerTimed', 'containerEager', 'instantiate']) {
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };
  const chunk = containerChunk(distDir);
  const pause = pauseLayer(`${distDir}/images`);
  const common = { base, containerUrl: `${base}/assets/${chunk.name}`, echoSrc: ECHO, pause, hostSrc: HOST(harness.toString()) };
  const out = { containerChunk: chunk, pauseWasmBytes: pause.size };
  for (const host of hosts) {
    out[host] = {};
    for (const n of ns) {
      for (const mode of ['sequential', 'parallel']) {
        const r = {};
        for (const kind of kinds) {
          const context = await browser.newContext();
          await context.route(`${base}/__floor/index.html`, (route) =>
            route.fulfill({ status: 200, headers: { ...isolation, 'Content-Type': 'text/html' }, body: '<!doctype html><title>worker floor</title>' }),
          );
          const page = await context.newPage();
          page.on('pageerror', (e) => console.error('page error:', e.message));
          await page.goto(`${base}/__floor/index.html`);
          const arg = { ...common, n, mode, kind };
          r[kind] =
            host === 'page'
              ? await page.evaluate(harness, arg)
              : await page.evaluate(
                  (a) =>
                    new Promise((resolve) => {
                      const w = new Worker(URL.createObjectURL(new Blob([a.hostSrc], { type: 'text/javascript' })), { type: 'module' });
                      w.onmessage = (e) => (w.terminate(), resolve(e.data));
                      w.onerror = (e) => resolve({ error: e.message });
                      w.postMessage(a);
                    }),
                  arg,
                );
          await context.close();
        }
        console.error(`worker floor: ${host} ${mode} ${n}: ${JSON.stringify(r)}`);
        out[host][`${mode}-${n}`] = r;
      }
    }
  }
  return out;
}
