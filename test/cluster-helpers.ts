// Helpers for the whole-cluster tests: boot a LocalCluster on fake-indexeddb with a FakeClock, wait for
// conditions in real time (IndexedDB completes on macrotasks), and read pods, events and logs.
import 'fake-indexeddb/auto';
import type { Deployment, DeploymentSpec } from 'kubernetes-types/apps/v1';
import type { Event, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds, Events, Pods, resourcePath } from '../src/api';
import type { ApiClient } from '../src/client';
import { startLocalCluster, type LocalCluster } from '../src/cluster';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createInProcessLauncher } from '../src/workers/runtime';

export interface TestCluster {
  cluster: LocalCluster;
  clock: FakeClock;
  tag: string;
}

let seq = 0;

/** Boots a cluster; pass the tag (and clock) of a stopped one to start again on the same databases. */
export async function bootCluster(reuse?: { tag: string; clock: FakeClock }): Promise<TestCluster> {
  const tag = reuse?.tag ?? `t${process.pid}-${++seq}`;
  const clock = reuse?.clock ?? new FakeClock();
  const ids = seededIds(1000 + ++seq);
  const cluster = await startLocalCluster({
    storeName: `etcd-${tag}`,
    diskName: (n) => `${tag}-${n}`,
    clock,
    ids,
    images: createFsImageSource(),
    launcher: createInProcessLauncher({ clock, ids }),
  });
  return { cluster, clock, tag };
}

/** Polls cond in real time (yielding to IndexedDB's macrotasks) until it holds; the FakeClock does not move. */
export async function waitFor<T>(cond: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A Deployment in default whose selector and pod labels are app=<name>; `spec` adds to its spec (strategy, …). */
export function appDeployment(name: string, replicas: number, pod: PodSpec, spec: Partial<DeploymentSpec> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, ...spec, template: { metadata: { labels: { app: name } }, spec: pod } },
  };
}

/** The pods labelled app=<name>. */
export async function appPods(client: ApiClient, name: string, ns = 'default'): Promise<Pod[]> {
  return (await client.list<Pod>(Pods, ns, { labelSelector: `app=${name}` })).items;
}

export function getPod(c: LocalCluster, name: string, ns = 'default'): Promise<Pod> {
  return c.client.get<Pod>(Pods, name, ns);
}

/** The pod's events by firstTimestamp, then write order (resourceVersion: events not re-counted keep their creation order). */
export async function podEvents(c: LocalCluster, name: string, ns = 'default'): Promise<Event[]> {
  const list = await c.client.list<Event>(Events, ns);
  return list.items
    .filter((e) => e.involvedObject?.name === name && e.involvedObject.kind === 'Pod')
    .sort((a, b) => (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? '') || Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion));
}

export async function podLogs(c: LocalCluster, name: string, query?: Record<string, string>, ns = 'default'): Promise<string> {
  return c.client.call<string>({ method: 'GET', path: `${resourcePath(Pods, ns, name)}/log`, query });
}

export function helloPod(name: string, extra: Partial<NonNullable<Pod['spec']>['containers'][number]> = {}, restartPolicy = 'Always'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { restartPolicy, containers: [{ name: 'hello', image: 'hello-world', ...extra }] },
  };
}
