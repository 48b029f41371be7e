import { describe, expect, it } from 'vitest';
import { compileCFile } from '../../node/compile-c-file';
import { CpuThrottle } from './cpu-throttle';
import { CPU_CHECK_TABLE_EXPORT, limitModuleCpu } from './limit-module-cpu';
import { emptyRootfs } from './wasi/mem-fs';
import { WasiHost } from './wasi/wasi-host';

const probe = new URL('./testdata/cpu-spin.c', import.meta.url);
const stress = new URL('../../../images/stress/main.c', import.meta.url);

async function run(module: WebAssembly.Module, args: string[], cpuCheck?: () => number) {
  let out = '';
  const host = new WasiHost({
    args,
    env: [],
    rootfs: emptyRootfs(),
    now: () => performance.now(),
    randomBytes: (n) => new Uint8Array(n),
    stdout: (c) => (out += new TextDecoder().decode(c)),
    stderr: (c) => (out += new TextDecoder().decode(c)),
    ...(cpuCheck ? { cpuCheck } : {}),
  });
  const t0 = performance.now();
  const r = await host.run(module);
  return { ...r, out, ms: performance.now() - t0 };
}

describe('limitModuleCpu', () => {
  it('keeps programs working and calls the check in loops and in loop-free recursion', async () => {
    const { wasm, module } = await compileCFile(probe);
    const limited = await WebAssembly.compile(limitModuleCpu(wasm) as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.exports(limited).map((e) => e.name)).toContain(CPU_CHECK_TABLE_EXPORT);
    for (const args of [['cpu-spin', 'loop', '3000000'], ['cpu-spin', 'fib', '25']]) {
      let checks = 0;
      const plain = await run(module, args);
      const checked = await run(limited, args, () => (checks++, 1000));
      expect(checked.out).toBe(plain.out);
      expect(checked.exitCode).toBe(0);
      expect(checks).toBeGreaterThan(100);
    }
    // the real stress image rewrites and runs too
    const s = await compileCFile(stress);
    const stressLimited = await WebAssembly.compile(limitModuleCpu(s.wasm) as Uint8Array<ArrayBuffer>);
    const r = await run(stressLimited, ['stress', '--cpu', '1', '--timeout', '1s'], () => 1000);
    expect(r.out).toContain('stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd');
  }, 60_000);

  it('adds the sections a minimal module lacks, in order; rejects bytes that are not wasm', () => {
    // (module (func (export "_start") (loop))) without memory, table or global sections
    const min = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0, 0, 10, 7, 1, 5, 0, 3, 0x40, 0x0b, 0x0b]);
    expect(WebAssembly.validate(min)).toBe(true);
    const out = limitModuleCpu(min);
    expect(WebAssembly.validate(out as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(min[8]).toBe(1); // input untouched
    expect(() => limitModuleCpu(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow('invalid wasm module');
  });

  it('measures its overhead on CPU-bound programs (no limit: the module is not rewritten at all)', async () => {
    const { wasm, module } = await compileCFile(probe);
    const limited = await WebAssembly.compile(limitModuleCpu(wasm) as Uint8Array<ArrayBuffer>);
    const unthrottled = new CpuThrottle({ quotaUs: 1e9, periodUs: 100_000 }, () => performance.now(), () => performance.now(), () => undefined);
    const figures: string[] = [];
    for (const args of [['cpu-spin', 'loop', '40000000'], ['cpu-spin', 'fib', '32']]) {
      let plain = Infinity;
      let checked = Infinity;
      for (let i = 0; i < 3; i++) {
        plain = Math.min(plain, (await run(module, args)).ms);
        checked = Math.min(checked, (await run(limited, args, unthrottled.check)).ms);
      }
      figures.push(`${args.slice(1).join(' ')}: ${plain.toFixed(0)} ms plain, ${checked.toFixed(0)} ms with checks (+${((checked / plain - 1) * 100).toFixed(1)}%)`);
      expect(checked / plain).toBeLessThan(3);
    }
    console.info(`measured: limitModuleCpu overhead, ${figures.join('; ')}`);
  }, 120_000);
});

describe('CpuThrottle', () => {
  it('holds a spinning guest to its quota per period and counts throttled periods', () => {
    let t = 0;
    let paused = 0;
    const th = new CpuThrottle({ quotaUs: 50_000, periodUs: 100_000 }, () => t, () => t - paused, (ms) => ((t += ms), (paused += ms)));
    let budget = 0;
    while (t < 1000) {
      t += 0.3; // the guest runs 0.3 ms between checks
      budget = th.check();
    }
    const ran = t - paused;
    expect(ran / t).toBeGreaterThan(0.48);
    expect(ran / t).toBeLessThan(0.53);
    expect(th.counters.throttledPeriods).toBeGreaterThanOrEqual(9);
    expect(th.counters.throttledMs).toBeGreaterThan(450);
    expect(budget).toBeGreaterThan(0);
  });

  it('does not throttle a guest under its quota', () => {
    let t = 0;
    let paused = 0;
    let ran = 0;
    const th = new CpuThrottle({ quotaUs: 50_000, periodUs: 100_000 }, () => t, () => ran, (ms) => ((t += ms), (paused += ms)));
    while (t < 1000) {
      t += 1;
      if (Math.floor(t) % 4 === 0) ran += 1; // a quarter core
      th.check();
    }
    expect(paused).toBe(0);
    expect(th.counters.throttledPeriods).toBe(0);
  });
});
