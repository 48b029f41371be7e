/**
 * The controller-manager Worker entry: exposes { start({ apiPort, speed, epoch }), stop() } with Comlink on self.
 * start() resolves once the controllers' caches have synced (the readiness handshake); calling it twice is a no-op.
 */
import { expose, wrap } from 'comlink';
import type { ApiHandler } from '../../api/protocol';
import type { Disposable } from '../../api/disposable';
import { ApiClient } from '../../client/api-client';
import { cryptoIds, systemClock, type AdjustableClock, type Epoch } from '../../platform';
import { startControllerManager } from './controller-manager';

export interface ComponentStartOptions {
  apiPort: MessagePort;
  speed: number;
  epoch: { wall: number; cluster: number };
}

let running: Disposable | undefined;
let clock: AdjustableClock | undefined;

const worker = {
  async start({ apiPort, speed, epoch }: ComponentStartOptions): Promise<void> {
    if (running) return;
    const client = new ApiClient(wrap<ApiHandler>(apiPort), 'kube-controller-manager/v1.32.0 (tabernetes)');
    clock = systemClock(speed, epoch);
    const manager = startControllerManager({ client, clock, ids: cryptoIds() });
    running = manager;
    await manager.ready;
  },
  stop(): void {
    running?.dispose();
    running = undefined;
  },
  /** Changes the cluster clock's speed from the shared epoch (every component is told the same). */
  setSpeed(speed: number, epoch: Epoch): void {
    clock?.setSpeed(speed, epoch);
  },
};

export type ControllerManagerWorker = typeof worker;

expose(worker);
