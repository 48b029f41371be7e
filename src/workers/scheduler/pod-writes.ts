import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { rfc3339 } from '../../api/clock';
import { Pods } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import type { EventRecorder } from '../../client/event-recorder';

/** The scheduler's pod writes besides binding: preemption (nominate + evict) and the PodScheduled=False condition. */

/** PostFilter success: status.nominatedNodeName on the preemptor, then delete each victim with a Preempted event. */
export async function nominateAndEvict(client: ApiClient, recorder: EventRecorder, pod: Pod, node: string, victims: Pod[]): Promise<void> {
  try {
    await client.patch(Pods, pod.metadata!.name!, pod.metadata!.namespace, 'merge', { status: { nominatedNodeName: node } }, 'status');
  } catch {
    // the next attempt nominates again
  }
  for (const v of victims) {
    recorder.event({ kind: 'Pod', apiVersion: 'v1', metadata: v.metadata }, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata?.uid} on node ${node}`, undefined, { action: 'Preempting', eventsV1: true });
    try {
      await client.delete(Pods, v.metadata!.name!, v.metadata!.namespace);
    } catch {
      // already gone
    }
  }
}

/** Writes PodScheduled=False/Unschedulable unless the pod already says exactly that. Errors are left to the next attempt. */
export async function setUnschedulable(client: ApiClient, clock: Clock, pod: Pod, message: string): Promise<void> {
  const conditions = pod.status?.conditions ?? [];
  const prev = conditions.find((c) => c.type === 'PodScheduled');
  if (prev?.status === 'False' && prev.reason === 'Unschedulable' && prev.message === message) return;
  const cond: PodCondition = {
    type: 'PodScheduled',
    status: 'False',
    lastTransitionTime: prev?.status === 'False' && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(clock.now()),
    reason: 'Unschedulable',
    message,
  };
  const next = [...conditions.filter((c) => c.type !== 'PodScheduled'), cond];
  try {
    await client.patch(Pods, pod.metadata!.name!, pod.metadata!.namespace, 'strategic', { status: { conditions: next } }, 'status');
  } catch {
    // The pod may be gone or changed; the next attempt rewrites the condition.
  }
}
