import type { Pod } from 'kubernetes-types/core/v1';
import type { ClusterEvent, FilterStatus, Profile } from './framework';
import { NO_REJECTORS, type Rejectors, type Requeue } from './scheduling-queue';

/**
 * kube-scheduler's QueueingHints: which plugins rejected an attempt, and whether a cluster event may make such a
 * pod schedulable (isPodWorthRequeuing) from the plugins' EventsToRegister (FilterPlugin.events).
 */

/** The plugins that rejected the attempt: every rejected node's plugin (a PreFilter rejection marks all nodes with it). */
export function rejectorsOf(statuses: ReadonlyMap<string, FilterStatus>): Rejectors {
  if (!statuses.size) return NO_REJECTORS;
  const unschedulable = new Set<string>();
  for (const st of statuses.values()) if (st.plugin) unschedulable.add(st.plugin);
  return { unschedulable, pending: NO_REJECTORS.pending };
}

/**
 * isPodWorthRequeuing: backoff when no plugin rejected the pod (an error, no nodes) or the pod is unknown; otherwise,
 * for every rejecting plugin that registered the event, its hint (absent or throwing: Queue) decides; a Queue from a
 * pending plugin is 'immediate', from an unschedulable one 'backoff'; no Queue at all is 'skip'.
 */
export function requeueStrategy(profile: Profile, pod: Pod | undefined, rejectors: Rejectors, ev: ClusterEvent): Requeue {
  if (!pod || (!rejectors.unschedulable.size && !rejectors.pending.size)) return 'backoff';
  let verdict: Requeue = 'skip';
  for (const plugin of profile.filters) {
    const pending = rejectors.pending.has(plugin.name);
    if (!pending && !rejectors.unschedulable.has(plugin.name)) continue;
    for (const h of plugin.events ?? []) {
      if (h.resource !== ev.resource || !h.actions.includes(ev.action)) continue;
      let queue = true;
      if (h.hint) {
        try {
          queue = h.hint(pod, ev, plugin);
        } catch {
          queue = true;
        }
      }
      if (!queue) continue;
      if (pending) return 'immediate';
      if (!rejectors.pending.size) return 'backoff';
      verdict = 'backoff';
    }
  }
  return verdict;
}
