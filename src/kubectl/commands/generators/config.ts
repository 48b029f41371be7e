import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { appendHash } from './append-hash';
import { b, createCommonFlags, explicitNamespace, objectMeta, parseKeyValue, requireName, s, sa, sortedMap, type Generator } from './generator';

/** --from-literal=k=v and --from-file=[key=]path (contents from io.readFile) into one key → text map. */
export async function collectSources(ctx: CommandContext): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  const put = (k: string, v: string) => {
    if (Object.hasOwn(data, k)) throw new RawError(`error: cannot add key ${k}, another key by that name already exists in Data for ConfigMap "${ctx.args[0]}"`);
    data[k] = v;
  };
  for (const src of ctx.list('from-file')) {
    const eq = src.indexOf('=');
    const path = eq < 0 ? src : src.slice(eq + 1);
    const key = eq < 0 ? (path.split('/').at(-1) ?? path) : src.slice(0, eq);
    const text = await ctx.io.readFile?.(path);
    if (text === undefined) throw new RawError(`error: error reading ${path}: no such file or directory`);
    put(key, text);
  }
  for (const src of ctx.list('from-literal')) {
    const [k, v] = parseKeyValue(src, (x) => `invalid literal source ${x}, expected key=value`);
    put(k, v);
  }
  for (const file of ctx.list('from-env-file')) {
    const text = await ctx.io.readFile?.(file);
    if (text === undefined) throw new RawError(`error: error reading ${file}: no such file or directory`);
    for (const line of text.split('\n')) {
      const t = line.replace(/^\s+/, '');
      if (!t || t.startsWith('#')) continue;
      const eq = t.indexOf('=');
      if (eq < 0) put(t, '');
      else put(t.slice(0, eq), t.slice(eq + 1));
    }
  }
  return data;
}

const sourceFlags = [sa('from-literal'), sa('from-file'), sa('from-env-file'), b('append-hash')];

export const configMapGenerator: Generator = {
  name: 'configmap',
  short: 'Create a config map from a local file, directory or literal value',
  usage: 'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, ...sourceFlags],
  resource: { group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  createError: 'failed to create configmap: ',
  async build(ctx) {
    const name = requireName(ctx);
    const data = await collectSources(ctx);
    const obj: Record<string, unknown> = { kind: 'ConfigMap', apiVersion: 'v1', metadata: objectMeta(name, undefined, explicitNamespace(ctx)) };
    if (Object.keys(data).length) obj.data = sortedMap(data);
    return ctx.bool('append-hash') ? appendHash(obj) : obj;
  },
};

/** Standard base64 of text's UTF-8 bytes (Secret data). */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63] + (i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? abc[n & 63] : '=');
  }
  return out;
}

export const secretGenericGenerator: Generator = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value',
  usage: 'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, ...sourceFlags, s('type')],
  resource: { group: '', version: 'v1', resource: 'secrets', namespaced: true },
  createError: 'failed to create secret ',
  async build(ctx) {
    const name = requireName(ctx);
    const data = await collectSources(ctx);
    const obj: Record<string, unknown> = { kind: 'Secret', apiVersion: 'v1', metadata: objectMeta(name, undefined, explicitNamespace(ctx)) };
    if (Object.keys(data).length) obj.data = sortedMap(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])));
    if (ctx.str('type')) obj.type = ctx.str('type');
    return ctx.bool('append-hash') ? appendHash(obj) : obj;
  },
};

export const namespaceGenerator: Generator = {
  name: 'namespace',
  short: 'Create a namespace with the specified name',
  usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
  flags: createCommonFlags,
  resource: { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  build(ctx) {
    return { kind: 'Namespace', apiVersion: 'v1', metadata: objectMeta(requireName(ctx)), spec: {}, status: {} };
  },
};

export const serviceAccountGenerator: Generator = {
  name: 'serviceaccount',
  short: 'Create a service account with the specified name',
  usage: 'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
  flags: createCommonFlags,
  resource: { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  createError: 'failed to create serviceaccount: ',
  build(ctx) {
    return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: objectMeta(requireName(ctx), undefined, explicitNamespace(ctx)) };
  },
};
