import { fieldValidation } from '../cli/field-validation';
import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { addSourceToErr, ErrorList } from '../cli/errors';
import { dryRunMode, loadApplyTargets, type ApplyTarget } from '../apply/apply-targets';
import { goCompactJson, threeWayMergePatch } from '../apply/three-way-patch';
import { threeWayStrategicPatch } from '../apply/three-way-strategic';
import { applyFieldManager, checkServerSideFlags, serverSideApply } from '../apply/server-side-apply';
import type { ApiResourceInfo } from '../resource-mapper';
import { checkPruneFlags, prune } from '../apply/prune';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The object with its last-applied annotation, as kubectl's GetModifiedConfiguration builds it: the
 * annotation is the compact, key-sorted JSON of the object (without that annotation, with
 * "annotations":{} when it had none) plus a newline.
 */
export function withLastApplied(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...((obj.metadata as Record<string, unknown>) ?? {}) };
  const annots = { ...((meta.annotations as Record<string, string>) ?? {}) };
  delete annots[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...meta, annotations: annots } };
  const json = goCompactJson(bare) + '\n';
  return { ...obj, metadata: { ...meta, annotations: { ...annots, [LAST_APPLIED]: json } } };
}

function withoutLastApplied(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = { ...((obj.metadata as Record<string, unknown>) ?? {}) };
  const annots = { ...((meta.annotations as Record<string, string>) ?? {}) };
  delete annots[LAST_APPLIED];
  return { ...obj, metadata: { ...meta, annotations: annots } };
}

/**
 * kubectl apply. Client-side: per object GET; 404 → create with the last-applied annotation; else a
 * three-way patch (strategic merge patch for built-in kinds, JSON merge patch for custom resources);
 * "{}" → unchanged. --server-side: one apply PATCH per object ("serverside-applied"). --prune then deletes
 * what the manifests no longer contain (apply/prune.ts); it is skipped when an object failed. Objects are applied
 * in order; errors are collected and reported after the rest were applied (kubectl's behaviour).
 */
export async function runApply(ctx: CommandContext): Promise<void> {
  const output = ctx.str('output');
  const format = checkOutputFormat(output, ctx.str('template'));
  const dry = dryRunMode(ctx);
  checkServerSideFlags(ctx, dry);
  checkPruneFlags(ctx);
  const targets = await loadApplyTargets(ctx, 'apply');
  const serverSide = ctx.bool('server-side');
  const errors: unknown[] = [];
  const visited = new Set<string>();
  for (const t of targets) {
    try {
      const { verb, result } = serverSide ? { verb: 'serverside-applied', result: await serverSideApply(ctx, t, dry.server) } : await applyOne(ctx, t, dry);
      const uid = (result.metadata as { uid?: string } | undefined)?.uid;
      if (uid) visited.add(uid);
      if (output) ctx.out(printObjects([result], format, true));
      else ctx.out(`${kindPrefix(t.info)}/${t.obj.metadata?.name ?? ''} ${verb}${dry.suffix}\n`);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ErrorList(errors);
  if (ctx.bool('prune')) await prune(ctx, targets, visited, dry);
}

/**
 * One object through client-side apply. annotate=false is kubectl diff's variant (GetModifiedConfiguration
 * without the annotation): the patch leaves last-applied alone and a create sends the manifest as it is.
 */
export async function applyOne(ctx: CommandContext, t: ApplyTarget, dry: { server: boolean; client: boolean }, annotate = true): Promise<{ verb: string; result: Record<string, unknown> }> {
  const name = t.obj.metadata?.name ?? '';
  const client = ctx.io.client;
  const query: Record<string, string> = { fieldManager: applyFieldManager(ctx), fieldValidation: fieldValidation(ctx) };
  if (dry.server) query.dryRun = 'All';
  const modified = annotate ? withLastApplied(t.obj) : withoutLastApplied(t.obj);
  let live: Record<string, unknown> | undefined;
  const res = await client.raw({ method: 'GET', path: resourcePath(t.info, t.namespace, name) });
  if (res.status === 404) live = undefined;
  else if (res.status >= 200 && res.status < 300) live = res.body as Record<string, unknown>;
  else {
    const err = new ApiError(res.status, res.body as never);
    throw addSourceToErr(`retrieving current configuration of:\nResource: "${resourceString(t)}", GroupVersionKind: "${gvkString(t)}"\nName: "${name}", Namespace: "${t.namespace ?? ''}"\nfrom server for:`, t.source, err);
  }
  if (!live) {
    if (dry.client) return { verb: 'created', result: modified };
    try {
      const created = await client.call<Record<string, unknown>>({ method: 'POST', path: resourcePath(t.info, t.namespace), body: annotate ? modified : t.obj, query });
      return { verb: 'created', result: created };
    } catch (err) {
      throw addSourceToErr('creating', t.source, err);
    }
  }
  const liveAnnots = ((live.metadata as { annotations?: Record<string, string> })?.annotations ?? {}) as Record<string, string>;
  const original = liveAnnots[LAST_APPLIED] ? safeParse(liveAnnots[LAST_APPLIED]) : undefined;
  const strategic = isBuiltIn(t.info);
  const patch = strategic ? threeWayStrategicPatch(original, modified, live) : threeWayMergePatch(original, modified, live);
  if (Object.keys(patch).length === 0) return { verb: 'unchanged', result: live };
  if (dry.client) return { verb: 'configured', result: modified };
  try {
    const patched = await client.call<Record<string, unknown>>({
      method: 'PATCH',
      path: resourcePath(t.info, t.namespace, name),
      body: patch,
      contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
      query,
    });
    return { verb: 'configured', result: patched };
  } catch (err) {
    const info = `Resource: "${resourceString(t)}", GroupVersionKind: "${gvkString(t)}"\nName: "${name}", Namespace: "${t.namespace ?? ''}"`;
    throw addSourceToErr(`applying patch:\n${goCompactJson(patch)}\nto:\n${info}\nfor:`, t.source, err);
  }
}

/** Kinds kubectl's scheme knows (strategic merge patch); custom resources live in groups with a dot outside *.k8s.io. */
export function isBuiltIn(info: Pick<ApiResourceInfo, 'group'>): boolean {
  const g = info.group ?? '';
  return !g.includes('.') || g.endsWith('.k8s.io');
}

function resourceString(t: ApplyTarget): string {
  return `${t.info.group ? `${t.info.group}/` : '/'}${t.info.version}, Resource=${t.info.resource}`;
}

function gvkString(t: ApplyTarget): string {
  return `${t.info.group ? `${t.info.group}/` : '/'}${t.info.version}, Kind=${t.info.kind}`;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
