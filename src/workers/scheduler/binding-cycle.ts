import type { Binding, Pod } from 'kubernetes-types/core/v1';
import { Pods, splitKey } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import type { EventRecorder } from '../../client/event-recorder';
import type { ReservePlugin } from './framework';
import type { SchedulingQueue } from './scheduling-queue';

export interface BindingCycleDeps {
  client: ApiClient;
  recorder: EventRecorder;
  /** The profile's Reserve plugins (their PreBind runs before the Binding). */
  reservers: readonly ReservePlugin[];
  queue: Pick<SchedulingQueue, 'error' | 'forget'>;
}

/**
 * The binding cycle of a pod assumed on node: every Reserve plugin's PreBind in order (VolumeBinding: volume API
 * writes, then waiting for the claims to bind), then POST pods/NAME/binding. Resolves true once bound (Normal
 * "Scheduled" event, the pod forgotten by the queue). A PreBind failure un-reserves every plugin (in reverse),
 * un-assumes (forget) and retries the pod after backoff with a Warning FailedScheduling `running PreBind plugin
 * "…": …`; a Binding failure un-assumes and, unless the pod is gone (404: forgotten), retries after backoff
 * with `running Bind plugin "DefaultBinder": …`. Never rejects.
 */
export async function runBindingCycle(deps: BindingCycleDeps, pod: Pod, key: string, node: string, forget: () => void): Promise<boolean> {
  const { client, recorder, reservers, queue } = deps;
  const { namespace, name } = splitKey(key);
  const subject = { kind: 'Pod', apiVersion: 'v1', metadata: pod.metadata };
  for (const r of reservers) {
    try {
      await r.preBind(pod, node);
    } catch (err) {
      for (const u of [...reservers].reverse()) u.unreserve(pod, node);
      forget();
      queue.error(key);
      recorder.event(subject, 'Warning', 'FailedScheduling', `running PreBind plugin "${r.name}": ${err instanceof Error ? err.message : String(err)}`, undefined, { action: 'Scheduling', eventsV1: true });
      return false;
    }
  }
  const binding: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
  try {
    await client.create(Pods, binding, namespace, undefined, { name, subresource: 'binding' });
  } catch (err) {
    forget();
    if (err instanceof ApiError && err.code === 404) {
      queue.forget(key);
      return false;
    }
    queue.error(key);
    recorder.event(subject, 'Warning', 'FailedScheduling', `running Bind plugin "DefaultBinder": ${err instanceof Error ? err.message : String(err)}`, undefined, { action: 'Scheduling', eventsV1: true });
    return false;
  }
  queue.forget(key);
  recorder.event(subject, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`, undefined, { action: 'Binding', eventsV1: true });
  return true;
}
