import type { Pod } from 'kubernetes-types/core/v1';
import type { ExecStreamChunk, StreamOpen } from '../../../api/protocol';
import { DisposableStore } from '../../../api/disposable';
import type { ApiContext, ResourceRequest } from '../context';
import { badRequest } from '../errors';
import { decodeKv, objectKey } from '../object-codec';
import type { AttachOptions } from '../../../api/protocol';
import { kubeletRejection, relayKubeletSession, type ExecInputs, type ExecKubelet } from './exec';
import { fetchLog, resolveLogTarget } from './log';
import { LOG_FOLLOW_POLL_MS } from './log-follow';
import { admitConnect } from '../crd/connect-admission';

/**
 * POST (or GET) pods/<name>/attach as an exec-shaped stream (ExecStreamChunk). With a kubelet that serves
 * attachOpen (KubeletApi): its CRI Attach session on the container's main process, stdin included (input
 * through ApiHandler.write, as exec); the kubelet's rejection is 500 with its message; the stream ends with
 * the channel-3 Success Status when the container exits. Otherwise (a kubelet without attach): the container's
 * output from now on — what its log gains, polled from the kubelet every LOG_FOLLOW_POLL_MS of cluster
 * time and on every write of the pod, on channel 1 (the CRI log does not keep stdout and stderr apart
 * here) — then, once the container stops running or the pod is gone, the channel-3 Success Status the kubelet sends when an attach ends.
 * Errors (Status, before the stream): those of pods/log for the pod and container (404, 400), 400 without
 * any of stdin/stdout/stderr, 400 for a pod without a node (AttachLocation/streamLocation, which do not look
 * at container state). A container that is not running is the kubelet's refusal (GetAttach: `container <c>
 * not found in pod <pod>_<namespace>`, 500 text/plain, see kubeletRejection); the fallback answers the same.
 * In that fallback stdin input is accepted and dropped.
 */
export async function attachHandler(ctx: ApiContext, rr: ResourceRequest, inputs: ExecInputs): Promise<StreamOpen> {
  await admitConnect(ctx, rr);
  const on = (k: string) => rr.query[k] === 'true' || rr.query[k] === '1';
  if (!on('stdin') && !on('stdout') && !on('stderr')) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const target = await resolveLogTarget(ctx, rr);
  const name = rr.name!;
  if (!target.kubelet) throw badRequest(`pod ${name} does not have a host assigned`);
  const kubelet = target.kubelet as unknown as Partial<ExecKubelet>;
  if (kubelet.attachOpen) {
    const opts: AttachOptions = {};
    for (const k of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (on(k)) opts[k] = true;
    let sessionId: string;
    try {
      sessionId = await kubelet.attachOpen(target.pod.metadata?.namespace ?? '', name, target.container, opts);
    } catch (err) {
      return kubeletRejection(err);
    }
    return relayKubeletSession(ctx, kubelet as ExecKubelet, sessionId, opts, inputs);
  }
  // the kubelet's GetAttach finds only running containers: its 500 text, as the upgrade-aware proxy echoes it
  if (!running(target.pod, target.container)) return kubeletRejection(new Error(`container ${target.container} not found in pod ${name}_${target.pod.metadata?.namespace ?? ''}`));
  const opts = { previous: false, timestamps: false };
  let seen = (await fetchLog(target, opts)).length;
  const owned = new DisposableStore();
  const sink = ctx.streams.open(() => {
    owned.dispose();
    inputs.delete(sink.id);
  });
  inputs.set(sink.id, async () => undefined);
  const key = objectKey(rr.strategy, rr.namespace, name);
  const uid = target.pod.metadata?.uid;
  let polling = false;
  let again = false;
  const poll = async (): Promise<void> => {
    if (sink.ended) return;
    if (polling) return void (again = true);
    polling = true;
    again = false;
    try {
      const { kv } = await ctx.store.get(key);
      const pod = kv ? (decodeKv(kv) as unknown as Pod) : undefined;
      const full = await fetchLog(target, opts).catch(() => '');
      if (full.length > seen && on('stdout')) sink.push({ channel: 1, data: full.slice(seen) } satisfies ExecStreamChunk);
      seen = Math.max(seen, full.length);
      if (!pod || pod.metadata?.uid !== uid || !running(pod, target.container)) {
        sink.push({ channel: 3, status: { metadata: {}, status: 'Success' } } satisfies ExecStreamChunk);
        sink.end();
      }
    } catch {
      sink.end();
    } finally {
      polling = false;
    }
    if (again) return poll();
  };
  owned.add(ctx.clock.every(LOG_FOLLOW_POLL_MS, () => void poll()));
  // a status change (the container stopping) is seen at once, whatever the clock does
  owned.add(ctx.store.watch(key, 0, { onEvents: (evs) => void (evs.some((e) => e.kv.key === key) && poll()) }));
  void poll();
  return { status: 200, body: undefined, streamId: sink.id };
}

function running(pod: Pod, container: string): boolean {
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
  return !!st?.state?.running;
}
