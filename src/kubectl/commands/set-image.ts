import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix, type ApiResourceInfo } from '../resource-mapper';
import { checkOutputFormat, printTypedObject } from '../printers/print-objects';
import { visitObjects, type KubeObj, type Target } from './visit-objects';

interface Container {
  name: string;
  image?: string;
}

/** The pod spec inside an object (Pod, workload template, CronJob job template), or undefined. */
export function podSpecPath(obj: KubeObj): string[] | undefined {
  const kind = String(obj.kind ?? '');
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].includes(kind)) return ['spec', 'template', 'spec'];
  return undefined;
}

/** podSpecPath(t.obj), or undefined after adding kubectl's error for an object without a pod template to errors. */
export function podSpecPathOrError(t: Target, info: ApiResourceInfo, errors: unknown[]): string[] | undefined {
  const path = podSpecPath(t.obj);
  if (!path) errors.push(new RawError(`error: ${info.resource}/${t.name} the object is not a pod or does not have a pod template: *${info.version}.${t.kind}`));
  return path;
}

function nest(path: string[], leaf: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), leaf) as Record<string, unknown>;
}

/**
 * kubectl set image (TYPE NAME | -l | --all) CONTAINER=IMAGE… ("*" for all containers): a strategic
 * merge patch of the changed containers' images; prints "kind/name image updated" (nothing when no
 * image changes). Unknown container names fail with kubectl's text.
 */
export async function runSetImage(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const resources = ctx.args.filter((a) => !a.includes('='));
  const images = Object.fromEntries(ctx.args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  if (!Object.keys(images).length) throw new RawError('error: at least one image update is required');
  const dry = dryRunMode(ctx);
  const { targets, errors } = await visitObjects(ctx, resources);
  for (const t of targets) {
    if (!t.info) continue;
    const path = podSpecPathOrError(t, t.info, errors);
    if (!path) continue;
    const spec = path.reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, t.obj);
    const changes: { key: string; list: Container[] }[] = [];
    let matched = false;
    for (const key of ['initContainers', 'containers']) {
      const list = (spec?.[key] as Container[] | undefined) ?? [];
      const changed = list.filter((c) => images['*'] !== undefined || images[c.name] !== undefined);
      if (changed.length) matched = true;
      const updated = changed.map((c) => ({ image: images[c.name] ?? images['*'], name: c.name })).filter((c, i) => c.image !== changed[i].image);
      if (updated.length) changes.push({ key, list: updated });
    }
    const missing = Object.keys(images).filter((n) => n !== '*' && !['initContainers', 'containers'].some((k) => ((spec?.[k] as Container[] | undefined) ?? []).some((c) => c.name === n)));
    if (missing.length || !matched) {
      errors.push(new RawError(`error: unable to find container named "${missing[0] ?? Object.keys(images)[0]}"`));
      continue;
    }
    if (!changes.length) continue;
    const body = nest(path, Object.fromEntries(changes.map((c) => [c.key, c.list])));
    const result = dry.client
      ? withImages(t.obj, path, changes)
      : await ctx.io.client.call<Record<string, unknown>>({
          method: 'PATCH',
          path: resourcePath(t.info, t.namespace, t.name),
          body,
          contentType: 'application/strategic-merge-patch+json',
          query: { fieldManager: ctx.str('field-manager') || 'kubectl-set', ...(dry.server ? { dryRun: 'All' } : {}) },
        });
    // The builder decodes into typed objects: -o json prints a known kind in Go struct order.
    if (format.format) ctx.out(printTypedObject(result, format));
    else ctx.out(`${kindPrefix(t.info)}/${t.name} image updated${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}

/** A copy of obj with the changed containers' images set (what a client dry run prints). */
function withImages(obj: Record<string, unknown>, path: string[], changes: { key: string; list: Container[] }[]): Record<string, unknown> {
  const copy = structuredClone(obj);
  const spec = path.reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, copy);
  for (const { key, list } of changes) {
    for (const u of list) {
      const c = ((spec?.[key] as Container[] | undefined) ?? []).find((x) => x.name === u.name);
      if (c) c.image = u.image;
    }
  }
  return copy;
}
