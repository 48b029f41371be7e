import type { Namespace } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../api/disposable';
import type { ApiContext } from './context';
import { decodeKv, encodeObject, keyPrefix } from './object-codec';
import { deleteAllUnder, reconcileUntilDone } from './reconcile-until-done';
import { podStrategy } from './registry/pod-strategy';
import { builtinTable } from './registry/registry';
import type { ResourceStrategy } from './registry/strategy';

/** Namespaced kinds (custom resources included) other than pods and events, one strategy per stored collection (shared storage counted once). */
function contentStrategies(ctx: ApiContext): ResourceStrategy[] {
  const seen = new Set<string>(['/registry/pods/', '/registry/events/']);
  const out: ResourceStrategy[] = [];
  for (const s of (ctx.resources ?? builtinTable).all()) {
    const base = keyPrefix(s);
    if (!s.ref.namespaced || seen.has(base)) continue;
    seen.add(base);
    out.push(s);
  }
  return out;
}

/**
 * v0 stand-in for the namespace controller, run inside the apiserver: for a Terminating namespace it
 * deletes the namespace's events at once, and its pods and every other namespaced object through the
 * normal DELETE path (bound pods gracefully, so kubelets stop them; objects with finalizers wait for
 * them), waits until nothing is left, then drops the "kubernetes" finalizer and removes the namespace.
 * Re-run on any store change under the namespace; idempotent.
 */
export function finalizeNamespace(ctx: ApiContext, name: string, onDone: () => void): Disposable {
  const nsKey = `/registry/namespaces/${name}`;
  const podPrefix = `/registry/pods/${name}/`;
  const eventPrefix = `/registry/events/${name}/`;
  const contents = contentStrategies(ctx);

  const pass = async (): Promise<boolean> => {
    const { kv } = await ctx.store.get(nsKey);
    if (!kv) return true;
    const ns = decodeKv(kv) as unknown as Namespace;
    if (!ns.metadata?.deletionTimestamp) return true;
    const events = await ctx.store.list(eventPrefix);
    for (const e of events.kvs) await ctx.store.delete(e.key);
    await deleteAllUnder(ctx, podStrategy, name);
    let left = 0;
    for (const strategy of contents) left += await deleteAllUnder(ctx, strategy, name);
    if (left > 0) {
      for (const strategy of contents) if ((await ctx.store.list(keyPrefix(strategy, name))).kvs.length) return false;
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

  return reconcileUntilDone(ctx, [podPrefix, ...contents.map((c) => keyPrefix(c, name)), nsKey], pass, onDone);
}
