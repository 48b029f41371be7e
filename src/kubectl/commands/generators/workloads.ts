import { resourcePath } from '../../../api/resources';
import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { flagInt } from '../../cli/parse-flags';
import { commandArgs, createCommonFlags, containerNameFromImage, explicitNamespace, i, objectMeta, requireFlags, requireName, s, sa, sortedMap, type Generator } from './generator';

/** kubectl create deployment NAME --image=… [--replicas] [--port] [-- COMMAND…]. */
export const deploymentGenerator: Generator = {
  name: 'deployment',
  short: 'Create a deployment with the specified name',
  usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  flags: [...createCommonFlags, sa('image'), i('replicas', 'r'), i('port')],
  resource: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  createError: 'failed to create deployment: ',
  build(ctx) {
    const name = requireName(ctx);
    requireFlags(ctx, 'image');
    const images = ctx.list('image');
    const command = commandArgs(ctx);
    if (images.length > 1 && command.length) throw new RawError('error: cannot specify multiple --image options and command');
    const labels = { app: name };
    const port = flagInt(ctx.flags, 'port', -1);
    const containers = images.map((image, idx) => {
      const c: Record<string, unknown> = { name: containerNameFromImage(image), image };
      if (idx === 0 && command.length) c.command = command;
      if (idx === 0 && port >= 0) c.ports = [{ containerPort: port }];
      c.resources = {};
      return c;
    });
    return {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: objectMeta(name, labels, explicitNamespace(ctx)),
      spec: {
        replicas: flagInt(ctx.flags, 'replicas', 1),
        selector: { matchLabels: labels },
        template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
        strategy: {},
      },
      status: {},
    };
  },
};

function jobSpec(name: string, image: string, command: string[]): Record<string, unknown> {
  const c: Record<string, unknown> = { name, image };
  if (command.length) c.command = command;
  c.resources = {};
  return { template: { metadata: { creationTimestamp: null }, spec: { containers: [c], restartPolicy: 'Never' } } };
}

interface CronJobLike {
  kind?: string;
  metadata: { name: string; uid?: string };
  spec?: { jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } };
}

/**
 * The Job `kubectl create job NAME --from=cronjob/CJ` builds: the CronJob's jobTemplate (GET from the server,
 * also with --dry-run=client), annotation cronjob.kubernetes.io/instantiate=manual (template annotations win),
 * the template's labels, and a controller ownerReference to the CronJob.
 */
async function jobFromCronJob(ctx: CommandContext, name: string, from: string): Promise<Record<string, unknown>> {
  const slash = from.indexOf('/');
  if (slash <= 0) throw new RawError('error: resource(s) were provided, but no name was specified');
  const info = (await ctx.mapper()).resolve(from.slice(0, slash));
  const cj = await ctx.io.client.call<CronJobLike>({ method: 'GET', path: resourcePath(info, info.namespaced ? ctx.namespace : undefined, from.slice(slash + 1)) });
  if (cj.kind !== 'CronJob') throw new RawError(`error: unknown object type *v1.${String(cj.kind)}`);
  const template = cj.spec?.jobTemplate ?? {};
  const meta = objectMeta(name, undefined, explicitNamespace(ctx));
  if (template.metadata?.labels && Object.keys(template.metadata.labels).length) meta.labels = sortedMap(template.metadata.labels);
  meta.annotations = sortedMap({ 'cronjob.kubernetes.io/instantiate': 'manual', ...template.metadata?.annotations });
  meta.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }];
  const spec: Record<string, unknown> = structuredClone(template.spec ?? {});
  // A typed PodTemplateSpec always carries metadata.creationTimestamp (null when unset).
  if (spec.template) {
    const { metadata, ...rest } = spec.template as { metadata?: Record<string, unknown> };
    spec.template = { metadata: { creationTimestamp: null, ...metadata }, ...rest };
  }
  return { kind: 'Job', apiVersion: 'batch/v1', metadata: meta, spec, status: {} };
}

/** kubectl create job NAME (--image=… [-- COMMAND…] | --from=cronjob/NAME). */
export const jobGenerator: Generator = {
  name: 'job',
  short: 'Create a job with the specified name',
  usage: 'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
  flags: [...createCommonFlags, s('image'), s('from')],
  resource: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  createError: 'failed to create job: ',
  async build(ctx) {
    const name = requireName(ctx);
    const [image, from] = [ctx.str('image'), ctx.str('from')];
    if (!image === !from) throw new RawError('error: either --image or --from must be specified');
    if (from && commandArgs(ctx).length) throw new RawError('error: cannot specify --from and command');
    if (from) return jobFromCronJob(ctx, name, from);
    return { kind: 'Job', apiVersion: 'batch/v1', metadata: objectMeta(name, undefined, explicitNamespace(ctx)), spec: jobSpec(name, image, commandArgs(ctx)), status: {} };
  },
};

/** kubectl create cronjob NAME --image=… --schedule=… [--restart] [-- COMMAND…]. */
export const cronJobGenerator: Generator = {
  name: 'cronjob',
  short: 'Create a cron job with the specified name',
  usage: 'kubectl create cronjob NAME --image=image --schedule=\'0/5 * * * ?\' -- [COMMAND] [args...] [flags] [options]',
  flags: [...createCommonFlags, s('image'), s('schedule'), s('restart')],
  resource: { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true },
  createError: 'failed to create cronjob: ',
  build(ctx) {
    const name = requireName(ctx);
    requireFlags(ctx, 'image', 'schedule');
    const restart = ctx.str('restart') || 'OnFailure';
    if (restart !== 'OnFailure' && restart !== 'Never') throw new RawError(`error: restart policy must be one of [OnFailure Never], got ${restart}`);
    const spec = jobSpec(name, ctx.str('image'), commandArgs(ctx)) as { template: { spec: { restartPolicy: string } } };
    spec.template.spec.restartPolicy = restart;
    return {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: objectMeta(name, undefined, explicitNamespace(ctx)),
      spec: { schedule: ctx.str('schedule'), jobTemplate: { metadata: { name, creationTimestamp: null }, spec } },
      status: {},
    };
  },
};
