import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, rfc3339, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import type { ControllerDescriptor } from '../controller-context';
import { startControllerManager } from '../controller-manager';

/** Test fixtures for the workload controllers: a FakeApiHandler-backed controller-manager on a FakeClock. */
export async function startFakeManager(controllers: ControllerDescriptor[]) {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const client = new ApiClient(api);
  const cm = startControllerManager({ client, clock, ids: seededIds(), controllers });
  await cm.ready;
  /** Lets the controllers settle: several rounds of timers and microtasks. */
  const settle = async (ms = 10) => {
    for (let i = 0; i < 8; i++) await clock.advance(ms / 8);
  };
  const pods = (ns = 'default') => api.list('pods').filter((p) => p.metadata.namespace === ns) as unknown as Pod[];
  const events = () => api.list('events') as unknown as { reason: string; message: string; type: string; source?: { component: string }; involvedObject: { kind: string; name: string } }[];
  return { api, clock, client, cm, settle, pods, events };
}

/** Marks a pod scheduled, Running and Ready (Ready since `since`, default now). */
export function makeReady(api: FakeApiHandler, pod: Pod, node: string, since: number): void {
  api.put('pods', {
    ...(pod as object),
    spec: { ...pod.spec, nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(since) }] },
  } as never);
}

export const labels = { app: 'web' };

export function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number; labels?: Record<string, string> } = {}) {
  const l = extra.labels ?? labels;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, minReadySeconds: extra.minReadySeconds, selector: { matchLabels: l }, template: { metadata: { labels: l }, spec: { containers: [{ name: 'c', image: 'docker.io/tabernetes/ticker' }] } } },
  };
}

export interface DeploymentOpts {
  strategy?: object;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  version?: string;
}

export function deployment(name: string, replicas: number, o: DeploymentOpts = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: o.strategy,
      minReadySeconds: o.minReadySeconds,
      progressDeadlineSeconds: o.progressDeadlineSeconds,
      revisionHistoryLimit: o.revisionHistoryLimit,
      paused: o.paused,
      template: { metadata: { labels }, spec: { containers: [{ name: 'ticker', image: 'docker.io/tabernetes/ticker', args: ['1'], env: [{ name: 'VERSION', value: o.version ?? '1' }] }] } },
    },
  };
}

/** A stand-in kubelet: binds every unbound pod (whose pod-template-hash passes `which`) and makes it Ready now. */
export function readyPods(api: FakeApiHandler, now: number, which: (hash: string | undefined) => boolean = () => true): void {
  for (const p of api.list('pods') as unknown as Pod[]) {
    if (p.spec?.nodeName || !which(p.metadata?.labels?.['pod-template-hash'])) continue;
    makeReady(api, p, 'node-1', now);
  }
}
