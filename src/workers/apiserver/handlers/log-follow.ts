import type { Pod } from 'kubernetes-types/core/v1';
import type { StreamOpen } from '../../../api/protocol';
import { DisposableStore } from '../../../api/disposable';
import type { ApiContext, ResourceRequest } from '../context';
import { decodeKv, objectKey } from '../object-codec';
import { fetchLog, resolveLogTarget } from './log';

/** How often a followed log is polled from the kubelet (cluster time). */
export const LOG_FOLLOW_POLL_MS = 1_000;

/**
 * GET pods/<name>/log?follow=true as a stream of text chunks: first the log as asked (tailLines etc.),
 * then whatever the container appends, polled from the kubelet every second. The stream ends after the
 * container has terminated (and will not restart) or the pod is gone, or when the kubelet fails.
 * Errors before the first chunk are answered like a plain GET (400/404/500 Status).
 */
export async function logFollowHandler(ctx: ApiContext, rr: ResourceRequest): Promise<StreamOpen> {
  const target = await resolveLogTarget(ctx, rr);
  const first = await fetchLog(target);
  const fullOpts = { previous: target.opts.previous, timestamps: target.opts.timestamps };
  let seen = target.kubelet ? (await fetchLog(target, fullOpts)).length : 0;
  const owned = new DisposableStore();
  const sink = ctx.streams.open(() => owned.dispose());
  if (first) sink.push(first);
  if (!target.kubelet || target.opts.previous) {
    sink.end();
    return { status: 200, body: undefined, headers: { 'content-type': 'text/plain' }, streamId: sink.id };
  }
  const key = objectKey(rr.strategy, rr.namespace, rr.name!);
  let polling = false;
  const poll = async () => {
    if (polling || sink.ended) return;
    polling = true;
    try {
      const { kv } = await ctx.store.get(key);
      const pod = kv ? (decodeKv(kv) as unknown as Pod) : undefined;
      const full = await fetchLog(target, fullOpts);
      if (full.length > seen) sink.push(full.slice(seen));
      seen = Math.max(seen, full.length);
      if (!pod || pod.metadata?.uid !== target.pod.metadata?.uid || finished(pod, target.container)) sink.end();
    } catch {
      sink.end();
    } finally {
      polling = false;
    }
  };
  owned.add(ctx.clock.every(LOG_FOLLOW_POLL_MS, () => void poll()));
  return { status: 200, body: undefined, headers: { 'content-type': 'text/plain' }, streamId: sink.id };
}

/** The container has exited and the pod will not run it again. */
function finished(pod: Pod, container: string): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((c) => c.name === container);
  return !!st?.state?.terminated && pod.spec?.restartPolicy === 'Never';
}
