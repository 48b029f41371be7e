import type { CronJob, Job, JobSpec } from 'kubernetes-types/batch/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { humanDuration } from '../../../api/duration';
import { formatLabelSelector, labelSelectorAsSelector } from '../../../api/label-selector';
import { CronJobs, Jobs } from '../../../api/resources';
import { goStringMap, invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, containerCells, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';
import { defaultTemplate, embeddedMeta, goLabelSelector, immutableSelector, nonNegative, validatePodTemplate } from './workload-validation';

/** batch/v1 Job (generated selector unless manualSelector) and CronJob. */

const as = <T>(o: KubeObject) => o as unknown as T;
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const LEGACY_UID_LABEL = 'controller-uid';
const LEGACY_NAME_LABEL = 'job-name';

function validateJobTemplate(t: PodTemplateSpec | undefined, path: string): FieldError[] {
  const errs = validatePodTemplate(t, path);
  const rp = t?.spec?.restartPolicy;
  if (t && rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(rp === undefined ? required(`${path}.spec.restartPolicy`, 'valid values: "OnFailure", "Never"') : notSupported(`${path}.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  }
  return errs;
}

function validateJobSpec(spec: JobSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [
    ...nonNegative(spec?.parallelism, `${path}.parallelism`),
    ...nonNegative(spec?.completions, `${path}.completions`),
    ...nonNegative(spec?.backoffLimit, `${path}.backoffLimit`),
  ];
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) errs.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than 0'));
  const mode = spec?.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec?.completions === undefined) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  errs.push(...validateJobTemplate(spec?.template, `${path}.template`));
  return errs;
}

function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultTemplate(spec.template);
}

function jobStatus(job: Job): string {
  const has = (t: string) => (job.status?.conditions ?? []).some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

const wideCols = (selectorDoc: string) => [
  column('Containers', 'string', 'Names of each container in the template.', 1),
  column('Images', 'string', 'Images referenced by each container in the template.', 1),
  column('Selector', 'string', selectorDoc, 1),
];
const JOB_SELECTOR_DOC = 'A label query over pods that should match the pod count. Normally, the system sets this field for you.';

export const jobStrategy = defineStrategy({
  ref: Jobs,
  singularName: 'job',
  categories: ['all'],
  status: true,
  generation: true,
  defaults(o) {
    const job = as<Job>(o);
    const spec = (job.spec ??= {} as JobSpec);
    const labels = spec.template?.metadata?.labels;
    if (labels && !Object.keys(job.metadata?.labels ?? {}).length) (job.metadata ??= {}).labels = { ...labels };
    defaultJobSpec(spec);
  },
  prepareForCreate(o) {
    const job = as<Job>(o);
    const spec = job.spec!;
    if (spec.manualSelector === true) return;
    const uid = job.metadata?.uid ?? '';
    const name = job.metadata?.name ?? '';
    const t = (spec.template ??= {});
    t.metadata = { ...(t.metadata ?? {}), labels: { ...(t.metadata?.labels ?? {}), [LEGACY_NAME_LABEL]: name, [JOB_NAME_LABEL]: name, [LEGACY_UID_LABEL]: uid, [CONTROLLER_UID_LABEL]: uid } };
    spec.selector ??= {};
    spec.selector.matchLabels = { ...(spec.selector.matchLabels ?? {}) };
    spec.selector.matchLabels[CONTROLLER_UID_LABEL] ??= uid;
  },
  validate(o) {
    const job = as<Job>(o);
    const spec = job.spec;
    const errs = validateJobSpec(spec, 'spec');
    if (!spec?.selector) errs.push(required('spec.selector'));
    else {
      if (spec.manualSelector !== true) {
        const ml = spec.selector.matchLabels ?? {};
        const generated = Object.keys(ml).length === 1 && ml[CONTROLLER_UID_LABEL] === job.metadata?.uid && !spec.selector.matchExpressions?.length;
        if (!generated) errs.push(invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
      }
      const sel = labelSelectorAsSelector(spec.selector);
      const labels = spec.template?.metadata?.labels;
      if (sel !== 'nothing' && !sel.empty && !sel.matches(labels)) errs.push(invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    }
    return errs;
  },
  validateUpdate(o, old) {
    const a = as<Job>(o).spec;
    const b = as<Job>(old).spec;
    const errs = immutableSelector(a?.selector, b?.selector);
    if (a?.completions !== b?.completions) errs.push(invalid('spec.completions', a?.completions ?? null, 'field is immutable'));
    if (a?.completionMode !== b?.completionMode) errs.push(invalid('spec.completionMode', a?.completionMode ?? '', 'field is immutable'));
    return errs;
  },
  selectableFields: (o) => ({ 'status.successful': String(as<Job>(o).status?.succeeded ?? 0) }),
  columns: [
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The completion status of the job.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...wideCols(JOB_SELECTOR_DOC),
  ],
  row(o, now) {
    const job = as<Job>(o);
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions !== undefined) completions = `${succeeded}/${job.spec.completions}`;
    else completions = (job.spec?.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${job.spec!.parallelism}` : `${succeeded}/1`;
    const start = job.status?.startTime ? Date.parse(job.status.startTime) : undefined;
    const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
    const duration = start === undefined ? '' : humanDuration(end - start);
    return named(o, jobStatus(job), completions, duration, age(o, now), ...containerCells(job.spec?.template?.spec), formatLabelSelector(job.spec?.selector));
  },
});

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

export const cronJobStrategy = defineStrategy({
  ref: CronJobs,
  singularName: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  status: true,
  generation: true,
  defaults(o) {
    const spec = (as<CronJob>(o).spec ??= {} as CronJob['spec'] & object);
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    if (spec.jobTemplate) embeddedMeta(spec.jobTemplate);
    defaultTemplate(spec.jobTemplate?.spec?.template);
  },
  validate(o) {
    const spec = as<CronJob>(o).spec;
    const errs: FieldError[] = [];
    if (!spec?.schedule) errs.push(required('spec.schedule'));
    else if (!spec.schedule.startsWith('@')) {
      // robfig/cron ParseStandard's field count check (TZ=/CRON_TZ= prefixes aside)
      const fields = spec.schedule.replace(/^(CRON_)?TZ=\S+\s*/, '').trim().split(/\s+/).filter(Boolean);
      if (fields.length !== 5) errs.push(invalid('spec.schedule', spec.schedule, `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`));
    }
    if (spec?.timeZone && spec.schedule?.includes('TZ=')) errs.push(invalid('spec.schedule', spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    if (spec?.concurrencyPolicy && !CONCURRENCY.includes(spec.concurrencyPolicy)) errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY));
    errs.push(...nonNegative(spec?.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
    errs.push(...nonNegative(spec?.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'), ...nonNegative(spec?.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
    if (!spec?.jobTemplate) errs.push(required('spec.jobTemplate'));
    else errs.push(...validateJobSpec(spec.jobTemplate.spec, 'spec.jobTemplate.spec'));
    return errs;
  },
  columns: [
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wideCols(JOB_SELECTOR_DOC),
  ],
  row(o, now) {
    const cj = as<CronJob>(o);
    const last = cj.status?.lastScheduleTime ? age({ metadata: { creationTimestamp: cj.status.lastScheduleTime } }, now) : '<none>';
    const suspend = cj.spec?.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False';
    const jt = cj.spec?.jobTemplate?.spec;
    return named(o, cj.spec?.schedule ?? '', cj.spec?.timeZone ?? '<none>', suspend, (cj.status?.active ?? []).length, last, age(o, now), ...containerCells(jt?.template?.spec), formatLabelSelector(jt?.selector));
  },
});
