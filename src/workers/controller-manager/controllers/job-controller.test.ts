import { describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { startFakeManager } from '../testing/workload-fixtures';
import { garbageCollector } from './garbage-collector';
import { JOB_TRACKING_FINALIZER, jobController } from './job-controller';
import { ttlAfterFinishedController } from './ttl-after-finished-controller';

function job(name: string, spec: Partial<NonNullable<Job['spec']>>) {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { ...spec, template: { metadata: { labels: { job: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'hello-world' }] } } } };
}

const finish = (api: FakeApiHandler, p: Pod, phase: 'Succeeded' | 'Failed') => api.put('pods', { ...(p as object), status: { phase } } as never);
const jobOf = (api: FakeApiHandler, name = 'pi') => api.get('batch/jobs', 'default', name) as unknown as Job;

describe('job-controller', () => {
  it('runs completions one at a time, counts through finalizers, and completes', async () => {
    const { api, cm, settle, pods, events } = await startFakeManager([jobController()]);
    const j = api.put('batch/jobs', job('pi', { completions: 2, parallelism: 1 }));
    await settle();
    let ps = pods();
    expect(ps).toHaveLength(1);
    expect(ps[0].metadata?.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(ps[0].metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: j.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(jobOf(api).status).toMatchObject({ active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(jobOf(api).status?.startTime).toBeTruthy();
    finish(api, ps[0], 'Succeeded');
    await settle();
    ps = pods();
    expect(ps).toHaveLength(2);
    expect(ps.find((p) => p.status?.phase === 'Succeeded')?.metadata?.finalizers ?? []).toEqual([]);
    expect(jobOf(api).status).toMatchObject({ active: 1, succeeded: 1 });
    finish(api, ps.find((p) => p.status?.phase !== 'Succeeded')!, 'Succeeded');
    await settle();
    const st = jobOf(api).status!;
    expect(st).toMatchObject({ succeeded: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(st.active).toBeUndefined();
    expect(st.completionTime).toBeTruthy();
    expect(st.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    expect(events().map((e) => e.reason)).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'Completed']);
    expect(events().at(-1)).toMatchObject({ type: 'Normal', message: 'Job completed', source: { component: 'job-controller' } });
    cm.dispose();
  });

  it('backs off 10s then 20s between failures and fails after backoffLimit', async () => {
    const { api, clock, cm, settle, pods, events } = await startFakeManager([jobController()]);
    api.put('batch/jobs', job('pi', { backoffLimit: 2 }));
    await settle();
    const running = () => pods().filter((p) => !p.status?.phase);
    finish(api, running()[0], 'Failed');
    await settle();
    expect(running()).toHaveLength(0);
    await clock.advance(9_000);
    expect(running()).toHaveLength(0);
    await clock.advance(1_000);
    await settle();
    expect(running()).toHaveLength(1);
    finish(api, running()[0], 'Failed');
    await settle();
    await clock.advance(19_000);
    expect(running()).toHaveLength(0);
    await clock.advance(1_000);
    await settle();
    expect(running()).toHaveLength(1);
    finish(api, running()[0], 'Failed');
    await settle();
    const st = jobOf(api).status!;
    expect(st.failed).toBe(3);
    expect(st.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(events().find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
    expect(pods().every((p) => !(p.metadata?.finalizers ?? []).length)).toBe(true);
    cm.dispose();
  });

  it('fails a job past activeDeadlineSeconds, deleting its active pods', async () => {
    const { api, clock, cm, settle, pods, events } = await startFakeManager([jobController()]);
    api.put('batch/jobs', job('pi', { activeDeadlineSeconds: 5, parallelism: 2, completions: 4 }));
    await settle();
    expect(pods()).toHaveLength(2);
    await clock.advance(5_000);
    await settle();
    await settle();
    expect(pods()).toHaveLength(0);
    expect(jobOf(api).status?.conditions?.map((c) => [c.type, c.reason])).toEqual([['FailureTarget', 'DeadlineExceeded'], ['Failed', 'DeadlineExceeded']]);
    expect(jobOf(api).status?.failed).toBe(2);
    expect(events().filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
    expect(events().find((e) => e.reason === 'DeadlineExceeded')?.message).toBe('Job was active longer than specified deadline');
    cm.dispose();
  });
});

describe('ttl-after-finished-controller', () => {
  it('deletes a finished job ttlSecondsAfterFinished later, pods first (Foreground)', async () => {
    const { api, clock, cm, settle, pods } = await startFakeManager([jobController(), ttlAfterFinishedController(), garbageCollector()]);
    api.put('batch/jobs', job('pi', { ttlSecondsAfterFinished: 30 }));
    await settle();
    finish(api, pods()[0], 'Succeeded');
    await settle();
    expect(jobOf(api).status?.conditions?.some((c) => c.type === 'Complete')).toBe(true);
    await clock.advance(29_000);
    expect(jobOf(api)).toBeTruthy();
    await clock.advance(1_000);
    await settle();
    await settle();
    const del = api.requests.find((r) => r.method === 'DELETE' && r.path.endsWith('/jobs/pi'));
    expect(del?.body).toMatchObject({ propagationPolicy: 'Foreground' });
    expect(jobOf(api)).toBeUndefined();
    expect(pods()).toHaveLength(0);
    cm.dispose();
  });
});
