import type { CronJob, Job, JobTemplateSpec } from 'kubernetes-types/batch/v1';
import type { Event } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { humanDuration } from '../../api/duration';
import { labelSelectorAsSelector } from '../../api/label-selector';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { rfc1123z } from './describe-pod';
import { controlledBy, describePodTemplate, selectorString } from './describe-pod-template';

const isSet = <T>(v: T | undefined | null): v is T => v !== undefined && v !== null;

function selectorLine(sel: LabelSelector | undefined): string {
  try {
    labelSelectorAsSelector(sel);
    return `Selector:\t${selectorString(sel)}\n`;
  } catch (err) {
    return `Selector:\tFailed to get selector: ${(err as Error).message}\n`;
  }
}

/** capIndexesListOrNone: cut after the first comma at or beyond softLimit, with "...". */
function capIndexes(indexes: string | undefined, softLimit: number): string {
  if (!indexes) return '<none>';
  const ix = indexes.indexOf(',', softLimit);
  return ix < 0 ? indexes : indexes.slice(0, ix + 1) + '...';
}

/** kubectl describe job. */
export function describeJob(job: Job, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? { template: {} };
  const st = job.status ?? {};
  w.write(0, `Name:\t${job.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${job.metadata?.namespace ?? ''}\n`);
  w.write(0, selectorLine(spec.selector));
  printLabelsMultiline(w, 'Labels', job.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', job.metadata?.annotations);
  const by = controlledBy(job.metadata);
  if (by) w.write(0, `Controlled By:\t${by}\n`);
  if (isSet(spec.parallelism)) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${isSet(spec.completions) ? spec.completions : '<unset>'}\n`);
  if (isSet(spec.completionMode)) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (isSet(spec.suspend)) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (isSet(spec.backoffLimit)) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (isSet(spec.ttlSecondsAfterFinished)) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (isSet(spec.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = isSet(st.ready) ? ` (${st.ready} Ready)` : '';
  w.write(0, `Pods Statuses:\t${st.active ?? 0} Active${ready} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(st.completedIndexes, 50)}\n`);
  describePodTemplate(spec.template, w);
  if (events) describeEvents(events, w, now);
  return w.toString();
}

function describeJobTemplate(t: JobTemplateSpec | undefined, w: PrefixWriter): void {
  const spec = t?.spec;
  w.write(0, spec?.selector ? selectorLine(spec.selector) : 'Selector:\t<unset>\n');
  w.write(0, `Parallelism:\t${isSet(spec?.parallelism) ? spec.parallelism : '<unset>'}\n`);
  w.write(0, `Completions:\t${isSet(spec?.completions) ? spec.completions : '<unset>'}\n`);
  if (isSet(spec?.activeDeadlineSeconds)) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  describePodTemplate(spec?.template ?? {}, w);
}

/** kubectl describe cronjob (1.32 layout: no Time Zone line). */
export function describeCronJob(cj: CronJob, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? { schedule: '', jobTemplate: {} };
  w.write(0, `Name:\t${cj.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${cj.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', cj.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', cj.metadata?.annotations);
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${isSet(spec.suspend) ? (spec.suspend ? 'True' : 'False') : '<unset>'}\n`);
  w.write(0, `Successful Job History Limit:\t${isSet(spec.successfulJobsHistoryLimit) ? spec.successfulJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Failed Job History Limit:\t${isSet(spec.failedJobsHistoryLimit) ? spec.failedJobsHistoryLimit : '<unset>'}\n`);
  w.write(0, `Starting Deadline Seconds:\t${isSet(spec.startingDeadlineSeconds) ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`);
  describeJobTemplate(spec.jobTemplate, w);
  w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
  const active = cj.status?.active ?? [];
  w.write(0, 'Active Jobs:\t');
  w.writeLine(active.length ? active.map((j) => j.name ?? '').join(', ') : '<none>');
  if (events) describeEvents(events, w, now);
  return w.toString();
}
