import type { Namespace } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../api/disposable';
import type { ApiContext } from './context';
import { decodeKv, encodeObject } from './object-codec';
import { deleteObject } from './handlers/delete';
import { podStrategy } from './registry/pod-strategy';

/**
 * v0 stand-in for the namespace controller, run inside the apiserver: for a Terminating namespace it
 * deletes the namespace's events at once and its pods through the normal DELETE path (bound pods
 * gracefully, so kubelets stop them), waits until no pod is left, then drops the "kubernetes"
 * finalizer and removes the namespace. Re-run on any store change under the namespace; idempotent.
 */
export function finalizeNamespace(ctx: ApiContext, name: string, onDone: () => void): Disposable {
  let stopped = false;
  let running = false;
  let again = false;
  const nsKey = `/registry/namespaces/${name}`;
  const podPrefix = `/registry/pods/${name}/`;
  const eventPrefix = `/registry/events/${name}/`;

  const pass = async (): Promise<boolean> => {
    const { kv } = await ctx.store.get(nsKey);
    if (!kv) return true;
    const ns = decodeKv(kv) as unknown as Namespace;
    if (!ns.metadata?.deletionTimestamp) return true;
    const events = await ctx.store.list(eventPrefix);
    for (const e of events.kvs) await ctx.store.delete(e.key);
    const pods = await ctx.store.list(podPrefix);
    for (const p of pods.kvs) {
      const pod = decodeKv(p);
      if (pod.metadata?.deletionTimestamp) continue;
      const rr = { strategy: podStrategy, namespace: name, name: pod.metadata!.name!, req: { method: 'DELETE' as const, path: '' }, query: {} };
      try {
        await deleteObject(ctx, rr, {});
      } catch {
        // gone already or raced: the next pass sees the truth
      }
    }
    if ((await ctx.store.list(podPrefix)).kvs.length > 0) return false;
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    if (finalizers.length) {
      if (finalizers.length !== (ns.spec?.finalizers ?? []).length) {
        const next = { ...ns, spec: { ...ns.spec, finalizers } };
        await ctx.store.update(nsKey, encodeObject(next as never), kv.modRevision);
      }
      return false;
    }
    if ((ns.metadata?.finalizers ?? []).length) {
      if ((ns.spec?.finalizers ?? []).length) await ctx.store.update(nsKey, encodeObject({ ...ns, spec: { ...ns.spec, finalizers: [] } } as never), kv.modRevision);
      return false;
    }
    const res = await ctx.store.delete(nsKey, kv.modRevision);
    return res.ok || !res.kv;
  };

  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (await pass()) {
          stop();
          onDone();
          return;
        }
      } while (again && !stopped);
    } catch {
      // the store is closing; a later change or restart resumes the work
    } finally {
      running = false;
    }
  };

  const watches = [ctx.store.watch(podPrefix, ctx.store.currentRevision() + 1, { onEvents: () => void run() })];
  watches.push(ctx.store.watch(nsKey, ctx.store.currentRevision() + 1, { onEvents: () => void run() }));
  const stop = () => {
    stopped = true;
    for (const w of watches) w.dispose();
  };
  void run();
  return { dispose: stop };
}
