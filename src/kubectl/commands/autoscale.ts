import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { flagInt, type FlagSpec } from '../cli/parse-flags';
import { dryRunFlag, fileFlags, printFlags, type CommandDef } from '../cli/commands-table';
import { dryRunMode } from '../apply/apply-targets';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { withLastApplied } from './apply';
import { visitObjects } from './visit-objects';

const autoscaleFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'min', type: 'int' }, { name: 'max', type: 'int' }, { name: 'cpu-percent', type: 'int' },
  { name: 'name', type: 'string' }, { name: 'save-config', type: 'bool' }, { name: 'record', type: 'bool' }, { name: 'field-manager', type: 'string' },
];

const HPA = { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true };

/**
 * The autoscaling/v1 HPA kubectl 1.32 builds, fields in Go struct order (so -o json matches): min and
 * cpu-percent only when given (>= 1 / >= 0).
 */
export function buildHpa(name: string, target: { apiVersion: string; kind: string; name: string }, min: number, max: number, cpuPercent: number): Record<string, unknown> {
  return {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v1',
    metadata: { name, creationTimestamp: null },
    spec: {
      scaleTargetRef: { kind: target.kind, name: target.name, apiVersion: target.apiVersion },
      ...(min > 0 ? { minReplicas: min } : {}),
      maxReplicas: max,
      ...(cpuPercent >= 0 ? { targetCPUUtilizationPercentage: cpuPercent } : {}),
    },
    status: { currentReplicas: 0, desiredReplicas: 0 },
  };
}

/** Discovery lists <resource>/scale in the target's group version. */
async function hasScale(ctx: CommandContext, group: string, version: string, resource: string): Promise<boolean> {
  const list = await ctx.io.client.call<{ resources?: { name: string }[] }>({ method: 'GET', path: group ? `/apis/${group}/${version}` : `/api/${version}` });
  return !!list.resources?.some((r) => r.name === `${resource}/scale`);
}

/**
 * kubectl autoscale (TYPE NAME | TYPE/NAME | -f) --max=N [--min=N] [--cpu-percent=N] [--name=x]: creates an
 * autoscaling/v1 HorizontalPodAutoscaler per target that has a scale subresource; prints
 * "horizontalpodautoscaler.autoscaling/x autoscaled[ (dry run)]" or the object with -o.
 */
export async function runAutoscale(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  if (!ctx.flags.set.has('max')) throw new RawError('error: required flag(s) "max" not set');
  const max = flagInt(ctx.flags, 'max', -1);
  const min = ctx.flags.set.has('min') ? flagInt(ctx.flags, 'min', -1) : -1;
  const cpu = ctx.flags.set.has('cpu-percent') ? flagInt(ctx.flags, 'cpu-percent', -1) : -1;
  if (max < 1) throw new RawError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new RawError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  if (!ctx.args.length && !ctx.list('filename').length) {
    throw new RawError(
      `error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`,
    );
  }
  const dry = dryRunMode(ctx);
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  for (const t of targets) {
    if (!t.info) continue;
    if (!(await hasScale(ctx, t.info.group, t.info.version, t.info.resource))) {
      const gv = t.info.group ? `${t.info.group}/${t.info.version}` : `/${t.info.version}`;
      errors.push(new RawError(`error: cannot autoscale a ${t.kind}: could not find scale subresource for ${gv}, Resource=${t.info.resource} in discovery information`));
      continue;
    }
    const apiVersion = t.info.group ? `${t.info.group}/${t.info.version}` : t.info.version;
    let hpa = buildHpa(ctx.str('name') || t.name, { apiVersion, kind: t.kind, name: t.name }, min, max, cpu);
    if (ctx.bool('save-config')) hpa = withLastApplied(hpa);
    let result = hpa;
    if (!dry.client) {
      try {
        result = await ctx.io.client.call<Record<string, unknown>>({
          method: 'POST',
          path: resourcePath(HPA, t.namespace ?? ctx.namespace),
          body: hpa,
          query: { fieldManager: ctx.str('field-manager') || 'kubectl-autoscale', ...(dry.server ? { dryRun: 'All' } : {}) },
        });
      } catch (err) {
        errors.push(err);
        continue;
      }
    }
    if (format.format) ctx.out(printObjects([result], format, true, { typed: dry.client }));
    else ctx.out(`horizontalpodautoscaler.autoscaling/${(result.metadata as { name: string }).name} autoscaled${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}

export const autoscaleCommand: CommandDef = {
  name: 'autoscale',
  short: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  usage: 'kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]',
  flags: autoscaleFlags,
  run: runAutoscale,
};
