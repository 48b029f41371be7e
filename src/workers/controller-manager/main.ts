/**
 * The controller-manager Worker entry: exposes { start({ apiPort, speed, epoch }), stop() } with Comlink on self.
 * start() resolves once the controllers' caches have synced (the readiness handshake); calling it twice is a no-op.
 */
import { expose, wrap } from 'comlink';
import type { ApiHandler } from '../../api/protocol';
import type { Disposable } from '../../api/disposable';
import { ApiClient } from '../../client/api-client';
import { serviceAccountTransport } from '../../client/service-account-credentials';
import { CONTROLLER_SERVICE_ACCOUNTS } from '../apiserver/authz/controller-roles';
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
    const transport = wrap<ApiHandler>(apiPort);
    const agent = 'kube-controller-manager/v1.32.0 (tabernetes)';
    const client = new ApiClient(transport, agent);
    clock = systemClock(speed, epoch);
    const c = clock;
    // --use-service-account-credentials: each controller as its kube-system service account.
    const clientFor = (name: string) => new ApiClient(serviceAccountTransport({ transport, clock: c, namespace: 'kube-system', name: CONTROLLER_SERVICE_ACCOUNTS[name] ?? name }), agent);
    const manager = startControllerManager({ client, clock, ids: cryptoIds(), clientFor });
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
