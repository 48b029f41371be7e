import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import type { ApiResourceInfo } from '../resource-mapper';
import { readSources } from '../cli/read-sources';

/** One thing to fetch: a whole collection (names empty) or named objects of one resource. */
export interface ResourceRequest {
  info: ApiResourceInfo;
  names: string[];
  /** Namespace for this request (from the manifest for -f), else the command's. */
  namespace?: string;
}

export interface ResolvedArgs {
  requests: ResourceRequest[];
  /** True when exactly one object was named (kubectl's singleItemImplied). */
  singleItem: boolean;
}

/**
 * kubectl's ResourceTypeOrNameArgs plus -f: "TYPE[,TYPE…] [NAME…]" or "TYPE/NAME…", or the objects of
 * the -f sources. Errors with kubectl's texts (unknown type, mixed forms).
 */
export async function resolveResourceArgs(ctx: CommandContext, args: string[]): Promise<ResolvedArgs> {
  const mapper = await ctx.mapper();
  const files = ctx.list('filename');
  if (files.length || ctx.str('kustomize')) {
    const objs = await readSources(ctx, files);
    const requests: ResourceRequest[] = [];
    for (const { obj, source } of objs) {
      const info = mapper.forKind(String(obj.apiVersion), String(obj.kind));
      if (!info) throw mappingNotFound(obj, source);
      requests.push({ info, names: [obj.metadata?.name ?? ''], namespace: obj.metadata?.namespace });
    }
    return { requests, singleItem: requests.length === 1 };
  }
  if (args.some((a) => a.includes('/'))) {
    const requests: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0) {
        throw new RawError(
          // kubectl names its binary and "get" here whatever the command is.
          `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      }
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (!name) throw new RawError(`error: arguments in resource/name form must have a single resource and name`);
      requests.push({ info: mapper.resolve(type), names: [name] });
    }
    return { requests, singleItem: requests.length === 1 };
  }
  const [types, ...names] = args;
  const infos = types
    .split(',')
    .filter((t) => t)
    .flatMap((t) => {
      try {
        return [mapper.resolve(t)];
      } catch (err) {
        const category = mapper.expandCategory(t);
        if (category.length) return category;
        throw err;
      }
    });
  if (names.length && infos.length > 1) {
    return { requests: infos.flatMap((info) => names.map((n) => ({ info, names: [n] }))), singleItem: false };
  }
  return { requests: infos.map((info) => ({ info, names })), singleItem: infos.length === 1 && names.length === 1 };
}

export function mappingNotFound(obj: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: string; namespace?: string } }, source: string): RawError {
  return new RawError(
    `error: resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${String(obj.kind)}" in version "${String(obj.apiVersion)}"\nensure CRDs are installed first`,
  );
}
