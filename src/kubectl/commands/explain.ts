import type { CommandContext } from '../cli/command-context';
import { NoResourceMatchError, RawError } from '../cli/errors';
import { ExplainError, explainDocument, type OpenApiDoc } from '../explain/render-explain';
import type { ApiResourceInfo } from '../resource-mapper';

/**
 * kubectl explain TYPE[.FIELD…] [--recursive] [--api-version=G/V]: documentation from the server's
 * OpenAPI v3 (GET /openapi/v3, then the group-version document), rendered as kubectl 1.32 renders it.
 */
export async function runExplain(ctx: CommandContext): Promise<void> {
  const [arg] = ctx.args;
  if (!arg) {
    throw new RawError(
      'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee \'kubectl explain -h\' for help and examples',
    );
  }
  const [resourceArg, ...fieldPath] = arg.split('.');
  const mapper = await ctx.mapper();
  let info: ApiResourceInfo;
  try {
    info = mapper.resolve(resourceArg);
  } catch (err) {
    // explain prints this one without kubectl's usual "error: " prefix.
    if (err instanceof NoResourceMatchError) throw new RawError(`the server doesn't have a resource type "${err.resource}"`);
    throw err;
  }
  const apiVersion = ctx.str('api-version');
  if (apiVersion) {
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const hit = mapper.resources.find((r) => r.resource === info.resource && r.group === g && r.version === v);
    if (!hit) throw new RawError(`error: couldn't find resource for "${g ? `${g}/` : ''}${v}, Kind=${info.kind}"`);
    info = hit;
  }
  const root = await ctx.io.client.call<{ paths?: Record<string, { serverRelativeURL: string }> }>({ method: 'GET', path: '/openapi/v3' });
  const key = info.group ? `apis/${info.group}/${info.version}` : `api/${info.version}`;
  const entry = root.paths?.[key];
  if (!entry) throw new RawError(`error: GVR (${info.group ? `${info.group}/` : ''}${info.version}, Resource=${info.resource}) not found in OpenAPI schema`);
  const [path, query] = entry.serverRelativeURL.split('?');
  const params = Object.fromEntries((query ?? '').split('&').filter(Boolean).map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]));
  const doc = await ctx.io.client.call<OpenApiDoc>({ method: 'GET', path, query: params });
  try {
    ctx.out(explainDocument(doc, info, fieldPath, ctx.bool('recursive')));
  } catch (err) {
    if (!(err instanceof ExplainError)) throw err;
    ctx.out(err.printed);
    throw new RawError(err.message);
  }
}
