import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import { rfc3339 } from '../../../api';
import { startFakeManager } from '../testing/workload-fixtures';
import { cronJobController } from './cronjob-controller';

const cronJob = (spec: Partial<NonNullable<CronJob['spec']>> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'tick', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'hello-world' }] } } } }, ...spec },
});

describe('cronjob-controller', () => {
  it('creates a Job per schedule time on the cluster clock, tracks active, and honours Forbid', async () => {
    const { api, clock, cm, settle, events } = await startFakeManager([cronJobController()]);
    api.put('batch/cronjobs', cronJob({ concurrencyPolicy: 'Forbid' }));
    await settle();
    const jobs = () => api.list('batch/jobs') as unknown as Job[];
    expect(jobs()).toHaveLength(0);
    await clock.advance(61_000);
    await settle();
    const minute = Math.floor(Date.UTC(2026, 0, 1, 0, 1) / 60_000);
    expect(jobs().map((j) => j.metadata?.name)).toEqual([`tick-${minute}`]);
    expect(jobs()[0].metadata?.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:01:00Z' });
    expect(jobs()[0].metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    const cj = () => api.get('batch/cronjobs', 'default', 'tick') as unknown as CronJob;
    expect(cj().status?.lastScheduleTime).toBe('2026-01-01T00:01:00Z');
    expect(cj().status?.active?.map((r) => r.name)).toEqual([`tick-${minute}`]);
    await clock.advance(61_000);
    await settle();
    expect(jobs()).toHaveLength(1);
    expect(events().find((e) => e.reason === 'JobAlreadyActive')?.message).toBe('Not starting job because prior execution is running and concurrency policy is Forbid');
    const j = jobs()[0];
    api.put('batch/jobs', { ...(j as object), status: { completionTime: rfc3339(clock.now()), conditions: [{ type: 'Complete', status: 'True' }] } } as never);
    await settle();
    // the completed job leaves status.active, and the 00:02 run Forbid held back starts late
    expect(cj().status?.lastSuccessfulTime).toBe(rfc3339(clock.now()));
    expect(events().find((e) => e.reason === 'SawCompletedJob')?.message).toBe(`Saw completed job: tick-${minute}, condition: Complete`);
    expect(cj().status?.active?.map((r) => r.name)).toEqual([`tick-${minute + 1}`]);
    expect(cj().status?.lastScheduleTime).toBe('2026-01-01T00:02:00Z');
    expect(events().filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message)).toEqual([`Created job tick-${minute}`, `Created job tick-${minute + 1}`]);
    cm.dispose();
  });

  it('does nothing while suspended', async () => {
    const { api, clock, cm, settle } = await startFakeManager([cronJobController()]);
    api.put('batch/cronjobs', cronJob({ suspend: true }));
    await clock.advance(180_000);
    await settle();
    expect(api.list('batch/jobs')).toHaveLength(0);
    cm.dispose();
  });
});
