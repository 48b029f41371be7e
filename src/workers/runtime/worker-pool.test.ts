import { describe, expect, it } from 'vitest';
import type { WorkerLike } from './worker-launcher';
import { createWorkerPool } from './worker-pool';

// posted: every message but `warm` (counted in warmed)
type FakeWorker = WorkerLike & { id: number; posted: unknown[]; warmed: number; terminated: boolean; fail(message: string): void };

function factory() {
  const made: FakeWorker[] = [];
  const createWorker = (): FakeWorker => {
    const errors: ((ev: { message?: string }) => void)[] = [];
    const w: FakeWorker = {
      id: made.length,
      posted: [],
      warmed: 0,
      terminated: false,
      postMessage: (m: unknown) => void ((m as { type?: string })?.type === 'warm' ? w.warmed++ : w.posted.push(m)),
      addEventListener: ((type: string, fn: (ev: { message?: string }) => void) => {
        if (type === 'error') errors.push(fn);
      }) as WorkerLike['addEventListener'],
      terminate: () => void (w.terminated = true),
      fail: (message) => errors.forEach((fn) => fn({ message })),
    };
    made.push(w);
    return w;
  };
  const queued: (() => void)[] = [];
  const defer = (fn: () => void) => void queued.push(fn);
  const flush = () => queued.splice(0).forEach((fn) => fn());
  return { made, createWorker, defer, flush };
}

const moduleA = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
const moduleB = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));

describe('createWorkerPool', () => {
  it('starts size Workers at once, hands out the oldest and refills only after the deferred refill runs', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 3, defer: f.defer });
    expect(f.made).toHaveLength(3);
    expect(pool.idle).toBe(3);
    const a = pool.take() as FakeWorker;
    const b = pool.take() as FakeWorker;
    expect([a.id, b.id]).toEqual([0, 1]);
    expect(pool.idle).toBe(1);
    expect(f.made).toHaveLength(3);
    f.flush();
    expect(pool.idle).toBe(3);
    expect(f.made).toHaveLength(5);
  });

  it('creates a Worker directly when none is idle, and with size 0 never keeps one', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 0, defer: f.defer });
    expect(f.made).toHaveLength(0);
    const w = pool.take() as FakeWorker;
    expect(w.id).toBe(0);
    f.flush();
    expect(pool.idle).toBe(0);
    expect(f.made).toHaveLength(1);
  });

  it('tells each Worker it starts `warm` once, before any prime; a Worker made when none is idle gets none', () => {
    const order: string[] = [];
    const made: WorkerLike[] = [];
    const createWorker = (): WorkerLike => {
      const w: WorkerLike = { postMessage: (m) => void order.push(`${made.indexOf(w)}:${(m as { type: string }).type}`), addEventListener: () => {}, terminate: () => {} };
      made.push(w);
      return w;
    };
    const pool = createWorkerPool({ createWorker, size: 1, defer: () => {} });
    pool.prime(moduleA);
    expect(order).toEqual(['0:warm', '0:prime']);
    pool.take();
    pool.take(); // none idle (refill deferred): made directly
    expect(made).toHaveLength(2);
    expect(order).toEqual(['0:warm', '0:prime']);
  });

  it('primes idle and later Workers with the module once, and again when the module changes', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 2, defer: f.defer });
    pool.prime(moduleA);
    pool.prime(moduleA);
    expect(f.made.map((w) => w.posted.length)).toEqual([1, 1]);
    expect(f.made[0].posted[0]).toEqual({ type: 'prime', module: moduleA });
    pool.take();
    f.flush();
    expect(f.made[2].posted).toEqual([{ type: 'prime', module: moduleA }]);
    pool.prime(moduleB);
    expect(f.made[1].posted).toEqual([{ type: 'prime', module: moduleA }, { type: 'prime', module: moduleB }]);
    expect(f.made[0].posted).toHaveLength(1); // taken: no longer the pool's
  });

  it('terminates and replaces an idle Worker that fails, and ignores errors of taken Workers', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 2, defer: f.defer });
    f.made[1].fail('script error');
    expect(f.made[1].terminated).toBe(true);
    expect(pool.idle).toBe(1);
    f.flush();
    expect(pool.idle).toBe(2);
    const taken = pool.take() as FakeWorker;
    taken.fail('later');
    expect(taken.terminated).toBe(false);
    expect((pool.take() as FakeWorker).id).toBe(2);
  });

  it('dispose terminates only the idle Workers; take afterwards creates without refilling', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 2, defer: f.defer });
    const taken = pool.take() as FakeWorker;
    pool.dispose();
    f.flush();
    expect(taken.terminated).toBe(false);
    expect(f.made[1].terminated).toBe(true);
    expect(pool.idle).toBe(0);
    const fresh = pool.take() as FakeWorker;
    f.flush();
    expect(fresh.id).toBe(2);
    expect(f.made).toHaveLength(3);
  });

  it('reserve starts one more primed Worker now, up to max idle; the refill after takes restores only size', () => {
    const f = factory();
    const pool = createWorkerPool({ createWorker: f.createWorker, size: 1, max: 3, defer: f.defer });
    pool.prime(moduleA);
    pool.reserve();
    pool.reserve();
    pool.reserve(); // max: 3 idle
    expect(f.made).toHaveLength(3);
    expect(pool.idle).toBe(3);
    expect(f.made[2].posted).toEqual([{ type: 'prime', module: moduleA }]);
    expect([(pool.take() as FakeWorker).id, (pool.take() as FakeWorker).id]).toEqual([0, 1]);
    f.flush();
    expect(pool.idle).toBe(1);
    expect(f.made).toHaveLength(3);
    pool.take();
    f.flush();
    expect(f.made).toHaveLength(4);
    pool.dispose();
    pool.reserve();
    expect(f.made).toHaveLength(4);
  });
  describe('idle-time warming', () => {
    function timers() {
      let now = 0;
      const pending: { at: number; fn: () => void; live: boolean }[] = [];
      const after = (ms: number, fn: () => void) => {
        const t = { at: now + ms, fn, live: true };
        pending.push(t);
        return { dispose: () => void (t.live = false) };
      };
      /** Advances the fake time by ms, running due timers in order. */
      const advance = (ms: number) => {
        const end = now + ms;
        for (;;) {
          const due = pending.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
          if (!due) break;
          due.live = false;
          now = due.at;
          due.fn();
        }
        now = end;
      };
      return { after, advance };
    }
    const warmOpts = (after: ReturnType<typeof timers>['after']) => ({ target: 5, delayMs: 100, stepMs: 10, quietMs: 50, after });

    it('starts nothing beyond size before the delay, then one Worker a step up to the target', () => {
      const f = factory();
      const t = timers();
      const pool = createWorkerPool({ createWorker: f.createWorker, size: 2, defer: f.defer, warm: warmOpts(t.after) });
      expect(f.made).toHaveLength(2);
      t.advance(99);
      expect(f.made).toHaveLength(2);
      t.advance(1);
      expect(f.made).toHaveLength(3);
      t.advance(10);
      expect(f.made).toHaveLength(4);
      t.advance(1000);
      expect(pool.idle).toBe(5);
      expect(f.made).toHaveLength(5);
    });

    it('pauses for quietMs after a take or reserve, and counts taken Workers until they end', () => {
      const f = factory();
      const t = timers();
      const pool = createWorkerPool({ createWorker: f.createWorker, size: 1, defer: f.defer, warm: warmOpts(t.after) });
      t.advance(100); // first warm start: 2 idle
      expect(f.made).toHaveLength(2);
      pool.take();
      pool.take();
      f.flush(); // refill to size: 1 idle, 2 taken
      expect([pool.idle, pool.taken]).toEqual([1, 2]);
      const made = f.made.length;
      t.advance(49); // the step after the take sees it and waits quietMs
      expect(f.made).toHaveLength(made);
      t.advance(200);
      expect(pool.idle + pool.taken).toBe(5); // target counts the taken ones
      expect(pool.idle).toBe(3);
      pool.ended();
      t.advance(50);
      expect(pool.idle).toBe(4);
      t.advance(1000);
      expect(pool.idle).toBe(4);
    });

    it('reserve starts no Worker while warmed idle ones cover the announced launches', () => {
      const f = factory();
      const t = timers();
      const pool = createWorkerPool({ createWorker: f.createWorker, size: 1, max: 10, defer: f.defer, warm: warmOpts(t.after) });
      t.advance(1000);
      expect(pool.idle).toBe(5);
      for (let i = 0; i < 4; i++) pool.reserve(); // 4 launches announced: 5 idle cover size 1 + 4
      expect(f.made).toHaveLength(5);
      pool.reserve(); // the 5th is one too many for the idle Workers
      expect(f.made).toHaveLength(6);
      for (let i = 0; i < 5; i++) pool.take(); // the takes match the 5 announced launches
      pool.reserve(); // 1 idle left: size 1 + 1 announced needs one more
      expect(f.made).toHaveLength(7);
      expect(pool.idle).toBe(2);
    });

    it('primes warmed Workers and stops warming on dispose', () => {
      const f = factory();
      const t = timers();
      const pool = createWorkerPool({ createWorker: f.createWorker, size: 1, defer: f.defer, warm: warmOpts(t.after) });
      pool.prime(moduleA);
      t.advance(100);
      expect(f.made[1].posted).toEqual([{ type: 'prime', module: moduleA }]);
      pool.dispose();
      t.advance(1000);
      expect(f.made).toHaveLength(2);
      expect(f.made.every((w) => w.terminated)).toBe(true);
    });
  });
});
