// The in-apiserver finalizer loops (namespace-finalizer, crd/crd-cleanup): re-run a pass on store changes
// until it reports done, deleting stored objects through the normal DELETE path.
import type { Disposable } from '../../api/disposable';
import type { ApiContext } from './context';
import { deleteObject } from './handlers/delete';
import { decodeFor, keyPrefix } from './object-codec';
import type { ResourceStrategy } from './registry/strategy';

/**
 * Runs pass now and again after every store change under prefixes (changes during a pass coalesce into one
 * more pass; passes never overlap) until it resolves true, then stops watching and calls onDone once.
 * A pass that throws (the store is closing) ends this run; a later change, or a restart, resumes the work.
 * dispose stops it without calling onDone.
 */
export function reconcileUntilDone(ctx: ApiContext, prefixes: string[], pass: () => Promise<boolean>, onDone: () => void): Disposable {
  let stopped = false;
  let running = false;
  let again = false;

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

  const from = ctx.store.currentRevision() + 1;
  const watches = prefixes.map((prefix) => ctx.store.watch(prefix, from, { onEvents: () => void run() }));
  const stop = () => {
    stopped = true;
    for (const w of watches) w.dispose();
  };
  void run();
  return { dispose: stop };
}

/**
 * Deletes every object of strategy stored under keyPrefix(strategy, namespace) (every namespace when
 * namespace is undefined) that is not already being deleted, through the normal DELETE path, so finalizers
 * and graceful pod deletion are honoured. Failed deletes are ignored: the caller's next pass sees the truth.
 * Resolves with how many objects were stored there, deleting ones included.
 */
export async function deleteAllUnder(ctx: ApiContext, strategy: ResourceStrategy, namespace?: string): Promise<number> {
  const items = (await ctx.store.list(keyPrefix(strategy, namespace))).kvs;
  for (const item of items) {
    const obj = decodeFor(strategy, item);
    if (obj.metadata?.deletionTimestamp) continue;
    try {
      await deleteObject(ctx, { strategy, namespace: namespace ?? obj.metadata?.namespace, name: obj.metadata!.name!, req: { method: 'DELETE', path: '' }, query: {} }, {});
    } catch {
      // gone already or raced
    }
  }
  return items.length;
}
