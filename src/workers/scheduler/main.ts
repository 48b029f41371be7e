/**
 * The scheduler Worker entry: exposes { start({ apiPort, speed, epoch }), stop(), explain(ns, name), stats(), pause(), resume() }
 * with Comlink on self. start() resolves once the scheduler's caches have synced (the readiness handshake);
 * calling it twice is a no-op. explain returns the last scheduling attempt's per-node, per-plugin filter
 * results and scores (undefined before start or for a pod never attempted); stats counts bindings.
 */
import { expose, wrap } from 'comlink';
import type { ApiHandler } from '../../api/protocol';
import { ApiClient } from '../../client/api-client';
import { cryptoIds, systemClock, type AdjustableClock, type Epoch } from '../../platform';
import type { SchedulingExplanation } from './explain';
import { startScheduler, type Scheduler } from './scheduler';

export interface ComponentStartOptions {
  apiPort: MessagePort;
  speed: number;
  epoch: { wall: number; cluster: number };
}

let running: Scheduler | undefined;
let clock: AdjustableClock | undefined;

const worker = {
  async start({ apiPort, speed, epoch }: ComponentStartOptions): Promise<void> {
    if (running) return;
    const client = new ApiClient(wrap<ApiHandler>(apiPort), 'kube-scheduler/v1.32.0 (tabernetes)');
    clock = systemClock(speed, epoch);
    const scheduler = startScheduler({ client, clock, ids: cryptoIds(), hostname: 'tabernetes-control-plane' });
    running = scheduler;
    await scheduler.ready;
  },
  stop(): void {
    running?.dispose();
    running = undefined;
  },
  /** Changes the cluster clock's speed from the shared epoch (every component is told the same). */
  setSpeed(speed: number, epoch: Epoch): void {
    clock?.setSpeed(speed, epoch);
  },
  explain(namespace: string, name: string): SchedulingExplanation | undefined {
    return running?.explain(namespace, name);
  },
  stats(): { bound: number } {
    return { bound: running?.bound ?? 0 };
  },
  /** Benchmarks: hold the queue (pods accumulate in activeQ) / release it. */
  pause(): void {
    running?.pause();
  },
  resume(): void {
    running?.resume();
  },
};

export type SchedulerWorker = typeof worker;
expose(worker);
