// @kubernetes/client-node (v2) unchanged against `npm run serve` (startServe in this process): CRUD on
// Namespaces and Pods, a merge patch, a Watch, an informer and Exec (WebSocket v5).
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { serveKubeconfig } from '../src/node/kubeconfig';
import { startServe, type Serving } from '../src/node/start-serve';
import { until } from './serve-helpers';

// client-node 2.0.1 bundles undici 8, which needs Node >= 22.19 APIs. On Node 20 give it stand-ins: zstd
// refuses (our server never sends zstd bodies), markAsUncloneable is a no-op marker, Promise.withResolvers
// is the ES2024 one.
const nodeRequire = createRequire(import.meta.url);
const zlib = nodeRequire('node:zlib') as Record<string, unknown>;
zlib.createZstdDecompress ??= () => {
  throw new Error('zstd decompression needs Node >= 22.19');
};
const threads = nodeRequire('node:worker_threads') as Record<string, unknown>;
threads.markAsUncloneable ??= () => undefined;
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const { CoreV1Api: CoreApi, Exec, KubeConfig: KubeConfigClass, makeInformer, PatchStrategy, setHeaderOptions, Watch } = await import('@kubernetes/client-node');

let serving: Serving;
let kc: KubeConfig;
let core: CoreV1Api;

const pod = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'hello-world' }] },
});

/** client-node rejects non-2xx answers with an ApiException carrying the code and the Status body text. */
async function failure(p: Promise<unknown>): Promise<{ code: number; body: { reason?: string; message?: string } }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; body: string | object };
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected a failure');
}

describe('@kubernetes/client-node against npm run serve', () => {
  beforeAll(async () => {
    await ensureImagesBuilt();
    serving = await startServe({ port: 0 });
    kc = new KubeConfigClass();
    kc.loadFromString(serveKubeconfig(serving.url));
    core = kc.makeApiClient(CoreApi);
  }, 120_000);

  afterAll(async () => {
    await serving?.stop();
  });

  it('creates, reads, lists and deletes a namespace; a second create is 409 AlreadyExists', async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: 'team-a', labels: { team: 'a' } } } });
    expect(ns.metadata?.uid).toBeTruthy();
    expect(ns.status?.phase).toBe('Active');
    expect((await core.readNamespace({ name: 'team-a' })).metadata?.labels).toMatchObject({ team: 'a', 'kubernetes.io/metadata.name': 'team-a' });
    const list = await core.listNamespace({ labelSelector: 'team=a' });
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['team-a']);
    const dup = await failure(core.createNamespace({ body: { metadata: { name: 'team-a' } } }));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ reason: 'AlreadyExists', message: 'namespaces "team-a" already exists' });
    await core.deleteNamespace({ name: 'team-a' });
    await until(async () => (await failure(core.readNamespace({ name: 'team-a' }))).code === 404, 'namespace gone');
  }, 30_000);

  it('runs a pod to Succeeded, merge-patches its labels, reads its log and deletes it', async () => {
    const created = await core.createNamespacedPod({ namespace: 'default', body: pod('cn-hello', { app: 'cn' }) });
    expect(created.metadata?.namespace).toBe('default');
    const done = await until(async () => {
      const p = await core.readNamespacedPod({ name: 'cn-hello', namespace: 'default' });
      return p.status?.phase === 'Succeeded' && p;
    }, 'pod Succeeded');
    expect(done.spec?.nodeName).toMatch(/^tabernetes-worker2?$/);

    const patched = await core.patchNamespacedPod(
      { name: 'cn-hello', namespace: 'default', body: { metadata: { labels: { tier: 'demo', app: null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ tier: 'demo' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const log = await core.readNamespacedPodLog({ name: 'cn-hello', namespace: 'default' });
    expect(log).toContain('Hello from Tabernetes!');

    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'tier=demo' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['cn-hello']);
    await core.deleteNamespacedPod({ name: 'cn-hello', namespace: 'default' });
    await until(async () => (await failure(core.readNamespacedPod({ name: 'cn-hello', namespace: 'default' }))).code === 404, 'pod gone');
    const missing = await failure(core.readNamespacedPod({ name: 'cn-hello', namespace: 'default' }));
    expect(missing.body).toMatchObject({ reason: 'NotFound', message: 'pods "cn-hello" not found' });
  }, 40_000);

  it('Watch streams ADDED, MODIFIED and DELETED for a pod, in order', async () => {
    const seen: string[] = [];
    const watch = new Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { fieldSelector: 'metadata.name=cn-watched' },
      (type, obj: V1Pod) => seen.push(`${type} ${obj.metadata?.name} ${obj.status?.phase ?? ''}`.trim()),
      () => undefined,
    );
    try {
      await core.createNamespacedPod({ namespace: 'default', body: pod('cn-watched') });
      await until(async () => seen.some((s) => s.endsWith('Succeeded')), 'watch saw Succeeded');
      await core.deleteNamespacedPod({ name: 'cn-watched', namespace: 'default' });
      await until(async () => seen.some((s) => s.startsWith('DELETED')), 'watch saw DELETED');
    } finally {
      req.abort();
    }
    expect(seen[0]).toMatch(/^ADDED cn-watched/);
    expect(seen.slice(1, -1).every((s) => s.startsWith('MODIFIED'))).toBe(true);
    expect(seen[seen.length - 1]).toMatch(/^DELETED cn-watched/);
  }, 40_000);

  it('an informer lists, then follows adds, updates and deletes; its cache holds the live objects', async () => {
    const informer = makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'informer=yes' }), 'informer=yes');
    const events: string[] = [];
    informer.on('add', (p: V1Pod) => events.push(`add ${p.metadata?.name}`));
    informer.on('update', (p: V1Pod) => events.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p: V1Pod) => events.push(`delete ${p.metadata?.name}`));
    await core.createNamespacedPod({ namespace: 'default', body: pod('cn-inf-1', { informer: 'yes' }) });
    await informer.start();
    try {
      await until(async () => events.includes('add cn-inf-1'), 'informer add from the list');
      await core.createNamespacedPod({ namespace: 'default', body: pod('cn-inf-2', { informer: 'yes' }) });
      await until(async () => events.includes('add cn-inf-2') && informer.list('default').length === 2, 'informer add from the watch');
      await until(async () => events.includes('update cn-inf-2'), 'informer update (status)');
      await core.deleteNamespacedPod({ name: 'cn-inf-1', namespace: 'default' });
      await until(async () => events.includes('delete cn-inf-1'), 'informer delete');
      expect(informer.list('default').map((p) => p.metadata?.name)).toEqual(['cn-inf-2']);
      expect(informer.get('cn-inf-2', 'default')?.metadata?.labels).toEqual({ informer: 'yes' });
    } finally {
      await informer.stop();
    }
  }, 40_000);
  it('Exec runs a command in a busybox container over WebSocket: stdout, stderr, and the exit Status', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cn-exec' }, spec: { containers: [{ name: 'box', image: 'busybox', command: ['sleep', '3600'] }] } },
    });
    await until(async () => (await core.readNamespacedPod({ name: 'cn-exec', namespace: 'default' })).status?.phase === 'Running', 'pod Running');
    const run = (command: string[]) =>
      new Promise<{ out: string; err: string; status: { status?: string; message?: string } }>((resolve, reject) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let out = '';
        let err = '';
        stdout.on('data', (d: Buffer) => (out += d.toString()));
        stderr.on('data', (d: Buffer) => (err += d.toString()));
        new Exec(kc)
          .exec('default', 'cn-exec', 'box', command, stdout, stderr, null, false, (status) => setTimeout(() => resolve({ out, err, status }), 50))
          .catch(reject);
      });
    const ok = await run(['sh', '-c', 'echo hello; echo oops >&2']);
    expect(ok).toMatchObject({ out: 'hello\n', err: 'oops\n', status: { status: 'Success' } });
    const failed = await run(['sh', '-c', 'exit 3']);
    expect(failed.status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3' });
    await core.deleteNamespacedPod({ name: 'cn-exec', namespace: 'default', gracePeriodSeconds: 0 });
  }, 60_000);
});
