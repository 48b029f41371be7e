import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import { CronExpressionParser } from 'cron-parser';
import { rfc3339 } from '../../../api/clock';
import { CronJobs, Jobs, metaKey, objectKey } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { controllerRefOf, newControllerRef } from '../pod-utils';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** At most this many missed start times are walked (kube gives up and logs TooManyMissedTimes past 100). */
const MAX_MISSED = 100;

const finishedType = (j: Job) => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;

/** The schedule times in (after, upTo], earliest first, at most MAX_MISSED + 1; throws on an unparseable schedule. */
export function scheduleTimes(schedule: string, after: number, upTo: number, timeZone = 'UTC'): { times: number[]; next: number } {
  const it = CronExpressionParser.parse(schedule, { currentDate: new Date(after), tz: timeZone });
  const times: number[] = [];
  for (;;) {
    const t = it.next().getTime();
    if (t > upTo || times.length > MAX_MISSED) return { times, next: t };
    times.push(t);
  }
}

/**
 * cronjob-controller (v2), per CronJob key, on the cluster clock:
 * - drops finished or vanished Jobs from status.active (Normal SawCompletedJob "Saw completed job: NAME,
 *   condition: Complete|Failed"), setting lastSuccessfulTime from a Complete job's completionTime;
 * - unless suspended, takes the most recent unmet schedule time since lastScheduleTime (else creation), skipping it
 *   when older than startingDeadlineSeconds (Warning MissSchedule), when its Job exists, or under
 *   concurrencyPolicy Forbid with active Jobs (Normal JobAlreadyActive); Replace deletes the active Jobs first;
 * - creates Job "<cronjob>-<minutes since epoch>" from jobTemplate (annotation
 *   batch.kubernetes.io/cronjob-scheduled-timestamp, controller ownerReference; Normal SuccessfulCreate
 *   "Created job NAME"), recording it in status.active and lastScheduleTime;
 * - deletes finished Jobs beyond successfulJobsHistoryLimit (3) / failedJobsHistoryLimit (1), oldest first
 *   (Normal SuccessfulDelete "Deleted job NAME"), Background propagation;
 * - requeues for the next schedule time. An unparseable schedule records Warning UnparseableSchedule.
 */
export function cronJobController(): ControllerDescriptor {
  return {
    name: 'cronjob-controller',
    component: 'cronjob-controller',
    requires: [CronJobs, Jobs],
    setup(ctx: ControllerContext): ControllerDef {
      const cronjobs = ctx.factory.informerFor<CronJob>(CronJobs);
      const jobs = ctx.factory.informerFor<Job>(Jobs);
      const enqueueOwner = (j: Job) => {
        const ref = controllerRefOf(j);
        if (ref?.kind === 'CronJob') ctx.queue.add(objectKey(j.metadata?.namespace, ref.name));
      };
      const subs = [
        cronjobs.addEventHandler({ onAdd: (c) => ctx.queue.add(metaKey(c)), onUpdate: (_o, c) => ctx.queue.add(metaKey(c)) }),
        jobs.addEventHandler({ onAdd: enqueueOwner, onUpdate: (_o, j) => enqueueOwner(j), onDelete: enqueueOwner }),
      ];
      const subject = (c: CronJob) => ({ kind: 'CronJob', apiVersion: 'batch/v1', metadata: c.metadata });
      const ignore404 = (err: unknown) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      };
      const deleteJob = (cj: CronJob, j: { metadata?: { name?: string } } | ObjectReference) => {
        const name = 'metadata' in j ? j.metadata?.name : (j as ObjectReference).name;
        return ctx.client.delete(Jobs, name ?? '', cj.metadata?.namespace, { propagationPolicy: 'Background' })
          .then(() => ctx.recorder.event(subject(cj), 'Normal', 'SuccessfulDelete', `Deleted job ${name}`), ignore404);
      };

      async function reconcile(key: string) {
        const cj = cronjobs.lister().get(key);
        if (!cj) return;
        const now = ctx.clock.now();
        const ns = cj.metadata?.namespace ?? 'default';
        const owned = jobs.lister().list(ns).filter((j) => controllerRefOf(j)?.uid === cj.metadata?.uid);
        const status = structuredClone(cj.status ?? {});
        const byUid = new Map(owned.map((j) => [j.metadata?.uid, j]));
        status.active = (status.active ?? []).filter((ref) => {
          const j = byUid.get(ref.uid);
          const done = j && finishedType(j);
          if (j && done) {
            ctx.recorder.event(subject(cj), 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${done}`);
            if (done === 'Complete' && j.status?.completionTime && (!status.lastSuccessfulTime || status.lastSuccessfulTime < j.status.completionTime)) status.lastSuccessfulTime = j.status.completionTime;
          }
          return !!j && !done;
        });
        let requeueAfter: number | undefined;
        if (!cj.spec?.suspend && !cj.metadata?.deletionTimestamp) {
          const since = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? rfc3339(now));
          const sds = cj.spec?.startingDeadlineSeconds;
          const earliest = sds !== undefined ? Math.max(since, now - sds * 1000) : since;
          let times: number[] = [];
          try {
            const r = scheduleTimes(cj.spec?.schedule ?? '', Math.min(earliest, now), now, cj.spec?.timeZone ?? 'UTC');
            times = r.times;
            requeueAfter = Math.max(1, r.next - now + 100);
          } catch (err) {
            ctx.recorder.event(subject(cj), 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule}" : ${err instanceof Error ? err.message : err}`);
            return;
          }
          const scheduled = times.at(-1);
          const name = scheduled !== undefined ? `${cj.metadata?.name}-${Math.floor(scheduled / 60_000)}` : '';
          if (scheduled === undefined || status.active.some((r) => r.name === name) || owned.some((j) => j.metadata?.name === name)) {
            // nothing due, or already started
          } else if (sds !== undefined && scheduled + sds * 1000 < now) {
            ctx.recorder.event(subject(cj), 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString()}`);
          } else if (cj.spec?.concurrencyPolicy === 'Forbid' && status.active.length) {
            ctx.recorder.event(subject(cj), 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
          } else {
            if (cj.spec?.concurrencyPolicy === 'Replace') {
              for (const ref of status.active) await deleteJob(cj, ref);
              status.active = [];
            }
            const tmpl = cj.spec?.jobTemplate;
            const job: Job = {
              apiVersion: 'batch/v1',
              kind: 'Job',
              metadata: {
                name,
                namespace: ns,
                labels: { ...tmpl?.metadata?.labels },
                annotations: { ...tmpl?.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduled) },
                ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
              },
              spec: structuredClone(tmpl?.spec ?? { template: {} }),
            };
            try {
              const created = await ctx.client.create<Job>(Jobs, job, ns);
              ctx.recorder.event(subject(cj), 'Normal', 'SuccessfulCreate', `Created job ${name}`);
              status.active.push({ kind: 'Job', namespace: ns, name, uid: created.metadata?.uid, apiVersion: 'batch/v1', resourceVersion: created.metadata?.resourceVersion });
            } catch (err) {
              if (!(err instanceof ApiError && err.code === 409)) {
                ctx.recorder.event(subject(cj), 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : err}`);
                throw err;
              }
            }
            status.lastScheduleTime = rfc3339(scheduled);
          }
        }
        for (const [type, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]] as const) {
          const done = owned.filter((j) => finishedType(j) === type && !j.metadata?.deletionTimestamp);
          done.sort((a, b) => (a.status?.startTime ?? a.metadata?.creationTimestamp ?? '').localeCompare(b.status?.startTime ?? b.metadata?.creationTimestamp ?? ''));
          for (const j of done.slice(0, Math.max(0, done.length - limit))) await deleteJob(cj, j);
        }
        if (!status.active.length) delete status.active;
        if (JSON.stringify(status) !== JSON.stringify(cj.status ?? {})) await ctx.client.update(CronJobs, { ...cj, status }, 'status');
        return requeueAfter !== undefined ? { requeueAfter } : undefined;
      }

      return { reconcile, disposables: subs };
    },
  };
}
