import type { Job } from 'kubernetes-types/batch/v1';
import { Jobs, metaKey } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { jobFinished } from './job-controller';

/**
 * ttl-after-finished-controller: a finished Job (Complete or Failed condition) with ttlSecondsAfterFinished is
 * deleted with propagationPolicy Foreground (its pods first) once that many seconds have passed since it finished
 * (completionTime, else the terminal condition's lastTransitionTime); before then it is requeued for that moment.
 * The delete carries a uid precondition; 404/409 are ignored.
 */
export function ttlAfterFinishedController(): ControllerDescriptor {
  return {
    name: 'ttl-after-finished-controller',
    component: 'ttl-after-finished-controller',
    requires: [Jobs],
    setup(ctx: ControllerContext): ControllerDef {
      const jobs = ctx.factory.informerFor<Job>(Jobs);
      const enqueue = (j: Job) => {
        if (j.spec?.ttlSecondsAfterFinished !== undefined && jobFinished(j) && !j.metadata?.deletionTimestamp) ctx.queue.add(metaKey(j));
      };
      const sub = jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, j) => enqueue(j) });

      async function reconcile(key: string) {
        const j = jobs.lister().get(key);
        if (!j || j.spec?.ttlSecondsAfterFinished === undefined || !jobFinished(j) || j.metadata?.deletionTimestamp) return;
        const done = j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
        const finishedAt = Date.parse(j.status?.completionTime ?? done?.lastTransitionTime ?? '');
        const expiry = (Number.isFinite(finishedAt) ? finishedAt : ctx.clock.now()) + j.spec.ttlSecondsAfterFinished * 1000;
        if (ctx.clock.now() < expiry) return { requeueAfter: expiry - ctx.clock.now() };
        try {
          await ctx.client.delete(Jobs, j.metadata!.name!, j.metadata?.namespace, { propagationPolicy: 'Foreground', preconditions: { uid: j.metadata?.uid } });
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
        }
      }

      return { reconcile, disposables: [sub] };
    },
  };
}
