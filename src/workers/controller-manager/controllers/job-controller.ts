import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api/clock';
import { Jobs, metaKey, objectKey, Pods } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { podsToDelete } from '../pod-ranking';
import { controllerRefOf, isPodReady, newControllerRef, podFromTemplate } from '../pod-utils';

/** The finalizer job pods carry until the job controller has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Pod failure backoff: 10s, doubling per failure, capped at 6 minutes. */
export const JOB_BACKOFF_MS = 10_000;
export const JOB_BACKOFF_MAX_MS = 360_000;

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
export const jobFinished = (j: Job) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * job-controller (NonIndexed completion mode), per job key:
 * - pods are created from the template (generateName "<job>-", controller ownerReference, the
 *   batch.kubernetes.io/job-tracking finalizer) up to min(parallelism, completions − succeeded) active pods
 *   (parallelism when completions is unset, until one succeeds); events SuccessfulCreate "Created pod: NAME";
 * - finished pods are counted through status.uncountedTerminatedPods: uids recorded first, finalizers removed,
 *   then moved into succeeded/failed, so a crash never counts a pod twice; deleting non-succeeded pods count as failed;
 * - after a failure, replacements wait 10s·2^(failed−1) (max 6m) from the last failure;
 * - failed > backoffLimit (default 6) → FailureTarget then, once no pod is active, Failed (BackoffLimitExceeded
 *   "Job has reached the specified backoff limit"); activeDeadlineSeconds past startTime → DeadlineExceeded
 *   "Job was active longer than specified deadline"; active pods are deleted (SuccessfulDelete). Warning event
 *   with the same reason/message;
 * - enough successes → SuccessCriteriaMet, then Complete (CompletionsReached "Reached expected number of
 *   succeeded pods"), completionTime, Normal "Completed" "Job completed".
 * Status keeps startTime, active, ready, terminating, succeeded, failed, uncountedTerminatedPods as 1.32 writes them.
 */
export function jobController(): ControllerDescriptor {
  return {
    name: 'job-controller',
    component: 'job-controller',
    requires: [Jobs],
    setup(ctx: ControllerContext): ControllerDef {
      const jobs = ctx.factory.informerFor<Job>(Jobs);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const lastFailure = new Map<string, number>();
      const enqueuePod = (p: Pod) => {
        const ref = controllerRefOf(p);
        if (ref?.kind === 'Job') ctx.queue.add(objectKey(p.metadata?.namespace, ref.name));
      };
      const subs = [
        jobs.addEventHandler({ onAdd: (j) => ctx.queue.add(metaKey(j)), onUpdate: (_o, j) => ctx.queue.add(metaKey(j)), onDelete: (j) => lastFailure.delete(metaKey(j)) }),
        pods.addEventHandler({ onAdd: enqueuePod, onUpdate: (_o, p) => enqueuePod(p), onDelete: enqueuePod }),
      ];
      const subject = (j: Job) => ({ kind: 'Job', apiVersion: 'batch/v1', metadata: j.metadata });
      const ignore404 = (err: unknown) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      };
      const dropFinalizer = (p: Pod) =>
        ctx.client.patch(Pods, p.metadata!.name!, p.metadata?.namespace, 'merge', {
          metadata: { finalizers: (p.metadata?.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), resourceVersion: p.metadata?.resourceVersion },
        }).catch(ignore404);
      const cond = (type: string, reason: string, message: string, now: number): JobCondition => ({ type, status: 'True', lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now), reason, message });

      async function reconcile(key: string) {
        const job0 = jobs.lister().get(key);
        if (!job0) return;
        let job = job0;
        const owned = pods.lister().list(job.metadata?.namespace).filter((p) => controllerRefOf(p)?.uid === job.metadata?.uid);
        const tracked = owned.filter((p) => p.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER));
        if (jobFinished(job)) {
          for (const p of tracked) await dropFinalizer(p);
          return;
        }
        const now = ctx.clock.now();
        const ns = job.metadata?.namespace ?? 'default';
        const status: JobStatus = structuredClone(job.status ?? {});
        status.startTime ??= rfc3339(now);
        const writeStatus = async () => {
          job = await ctx.client.update<Job>(Jobs, { ...job, status }, 'status');
        };

        // count finished pods: uncounted → finalizers removed → counters
        const unc = { succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods?.failed ?? [])] };
        const seen = new Set([...unc.succeeded, ...unc.failed]);
        let added = false;
        for (const p of tracked) {
          const uid = p.metadata?.uid ?? '';
          if (seen.has(uid)) continue;
          if (p.status?.phase === 'Succeeded') unc.succeeded.push(uid);
          else if (p.status?.phase === 'Failed' || p.metadata?.deletionTimestamp) {
            unc.failed.push(uid);
            lastFailure.set(key, now);
          } else continue;
          added = true;
        }
        if (added) {
          status.uncountedTerminatedPods = unc;
          await writeStatus();
        }
        const uncounted = new Set([...unc.succeeded, ...unc.failed]);
        for (const p of tracked) if (uncounted.has(p.metadata?.uid ?? '')) await dropFinalizer(p);
        status.succeeded = (status.succeeded ?? 0) + unc.succeeded.length;
        status.failed = (status.failed ?? 0) + unc.failed.length;
        status.uncountedTerminatedPods = {};

        let active = owned.filter((p) => !terminal(p) && !p.metadata?.deletionTimestamp && !uncounted.has(p.metadata?.uid ?? ''));
        const succeeded = status.succeeded;
        const failed = status.failed;
        const completions = job.spec?.completions ?? undefined;
        const parallelism = job.spec?.parallelism ?? 1;
        const backoffLimit = job.spec?.backoffLimit ?? 6;
        const deadline = job.spec?.activeDeadlineSeconds !== undefined ? Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000 : undefined;
        const has = (type: string) => (status.conditions ?? []).some((c) => c.type === type && c.status === 'True');
        let failure: [string, string] | undefined;
        if (has('FailureTarget')) {
          const c = status.conditions!.find((x) => x.type === 'FailureTarget')!;
          failure = [c.reason ?? '', c.message ?? ''];
        } else if (failed > backoffLimit) failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
        else if (deadline !== undefined && now >= deadline) failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
        const complete = !failure && (has('SuccessCriteriaMet') || (completions !== undefined ? succeeded >= completions : succeeded > 0 && !active.length));
        let result: { requeueAfter: number } | undefined;
        let activeCount = active.length;
        let terminatingCount = owned.filter((p) => p.metadata?.deletionTimestamp && !terminal(p)).length;

        if (failure || complete) {
          if (failure && !has('FailureTarget')) {
            status.conditions = [...(status.conditions ?? []), cond('FailureTarget', failure[0], failure[1], now)];
            ctx.recorder.event(subject(job), 'Warning', failure[0], failure[1]);
          }
          if (complete && !has('SuccessCriteriaMet')) status.conditions = [...(status.conditions ?? []), cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now)];
          for (const p of active) {
            await ctx.client.delete(Pods, p.metadata!.name!, ns).then(() => ctx.recorder.event(subject(job), 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`), ignore404);
          }
          terminatingCount += active.length;
          activeCount = 0;
          active = [];
          if (!terminatingCount && !tracked.some((p) => !uncounted.has(p.metadata?.uid ?? ''))) {
            if (failure) status.conditions = [...(status.conditions ?? []), cond('Failed', failure[0], failure[1], now)];
            else {
              status.conditions = [...(status.conditions ?? []), cond('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now)];
              status.completionTime = rfc3339(now);
              ctx.recorder.event(subject(job), 'Normal', 'Completed', 'Job completed');
            }
          }
        } else {
          const want = completions === undefined ? (succeeded > 0 ? 0 : parallelism) : Math.max(0, Math.min(completions - succeeded, parallelism));
          const diff = active.length - want;
          if (diff < 0) {
            const delay = failed > 0 ? Math.min(JOB_BACKOFF_MS * 2 ** (failed - 1), JOB_BACKOFF_MAX_MS) : 0;
            const wait = (lastFailure.get(key) ?? 0) + delay - now;
            if (failed > 0 && wait > 0) result = { requeueAfter: wait };
            else {
              const ref = newControllerRef(job, 'batch/v1', 'Job');
              let remaining = -diff;
              for (let batch = 1; remaining > 0; batch *= 2) {
                const size = Math.min(batch, remaining);
                remaining -= size;
                const results = await Promise.allSettled(Array.from({ length: size }, () => {
                  const pod = podFromTemplate(job.spec?.template, ns, job.metadata?.name ?? '', ref);
                  pod.metadata!.finalizers = [...(pod.metadata!.finalizers ?? []), JOB_TRACKING_FINALIZER];
                  return ctx.client.create<Pod>(Pods, pod, ns);
                }));
                const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
                for (const r of results) {
                  if (r.status === 'fulfilled') activeCount++;
                  if (r.status === 'fulfilled') ctx.recorder.event(subject(job), 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name}`);
                  else ctx.recorder.event(subject(job), 'Warning', 'FailedCreate', `Error creating: ${errMessage(r.reason)}`);
                }
                if (bad) throw bad.reason;
              }
            }
          } else if (diff > 0) {
            for (const p of podsToDelete(active, active, diff, now)) {
              activeCount--;
              terminatingCount++;
              await ctx.client.delete(Pods, p.metadata!.name!, ns).then(() => ctx.recorder.event(subject(job), 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`), ignore404);
            }
          }
          if (deadline !== undefined) result = { requeueAfter: Math.max(1, Math.min(result?.requeueAfter ?? Infinity, deadline - now)) };
        }
        status.active = activeCount;
        status.ready = active.filter(isPodReady).length;
        status.terminating = terminatingCount;
        if (!status.succeeded) delete status.succeeded;
        if (!status.failed) delete status.failed;
        if (!status.active) delete status.active;
        if (JSON.stringify(status) !== JSON.stringify(job.status)) await writeStatus();
        return result;
      }

      return { reconcile, workers: 2, disposables: subs };
    },
  };
}
