import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { readSources } from '../cli/read-sources';
import type { Manifest } from '../manifests/parse-manifests';
import type { ApiResourceInfo } from '../resource-mapper';
import { mappingNotFound } from '../commands/resource-args';

export interface ApplyTarget {
  obj: Manifest;
  source: string;
  info: ApiResourceInfo;
  /** The namespace the object goes to (undefined for cluster-scoped). */
  namespace?: string;
}

/**
 * Loads -f sources and maps every object before anything is written (a parse, validation or mapping
 * error fails the whole command). Namespaced objects get metadata.namespace filled in, as kubectl's
 * builder does; an explicit -n that disagrees with the manifest is kubectl's namespace-mismatch error.
 */
export async function loadApplyTargets(ctx: CommandContext, verb: string): Promise<ApplyTarget[]> {
  const files = ctx.list('filename');
  if (files.length === 0 && !ctx.str('kustomize')) throw new RawError('error: must specify one of -f and -k');
  const loaded = await readSources(ctx, files);
  if (loaded.length === 0) throw new RawError(`error: no objects passed to ${verb}`);
  const mapper = await ctx.mapper();
  const targets: ApplyTarget[] = [];
  for (const { obj, source } of loaded) {
    const info = mapper.forKind(String(obj.apiVersion), String(obj.kind));
    if (!info) throw mappingNotFound(obj, source);
    let namespace: string | undefined;
    if (info.namespaced) {
      const own = obj.metadata?.namespace;
      if (own && ctx.explicitNamespace && own !== ctx.namespace) {
        throw new RawError(
          `error: the namespace from the provided object "${own}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
        );
      }
      namespace = own || ctx.namespace;
      obj.metadata = { ...(obj.metadata ?? {}), namespace };
    }
    targets.push({ obj, source, info, namespace });
  }
  return targets;
}

/** " (dry run)" / " (server dry run)" suffixes and the dryRun query, or an error for a bad value. */
export function dryRunMode(ctx: CommandContext): { suffix: string; server: boolean; client: boolean } {
  const v = ctx.str('dry-run', 'none');
  if (v === 'none' || v === '' || v === 'false') return { suffix: '', server: false, client: false };
  if (v === 'client' || v === 'true') return { suffix: ' (dry run)', server: false, client: true };
  if (v === 'server') return { suffix: ' (server dry run)', server: true, client: false };
  if (v === 'unchanged') return { suffix: ' (dry run)', server: false, client: true };
  throw new RawError(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}
