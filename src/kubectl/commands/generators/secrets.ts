import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { appendHash } from './append-hash';
import { base64 } from './config';
import { b, createCommonFlags, explicitNamespace, objectMeta, requireName, s, sa, sortedMap, type Generator } from './generator';
import { checkX509KeyPair } from './tls-key-pair';

type Obj = Record<string, unknown>;

function secret(ctx: CommandContext, name: string, data: Record<string, string>, type: string): Obj {
  const obj: Obj = { kind: 'Secret', apiVersion: 'v1', metadata: objectMeta(name, undefined, explicitNamespace(ctx)), data: sortedMap(data), type };
  return ctx.bool('append-hash') ? appendHash(obj) : obj;
}

/** kubectl create secret tls NAME --cert=path --key=path: the files' bytes as tls.crt/tls.key, checked as a pair. */
export const secretTlsGenerator: Generator = {
  name: 'tls',
  short: 'Create a TLS secret',
  usage: 'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, s('cert'), s('key'), b('append-hash')],
  resource: { group: '', version: 'v1', resource: 'secrets', namespaced: true },
  createError: 'failed to create secret ',
  async build(ctx) {
    const name = requireName(ctx);
    const certPath = ctx.str('cert');
    const keyPath = ctx.str('key');
    if (!certPath || !keyPath) throw new RawError('error: key and cert must be specified');
    const read = async (path: string) => {
      const text = await ctx.io.readFile?.(path);
      if (text === undefined) throw new RawError(`error: Cannot read file ${path}, open ${path}: no such file or directory`);
      return text;
    };
    const cert = await read(certPath);
    const key = await read(keyPath);
    checkX509KeyPair(cert, key);
    return secret(ctx, name, { 'tls.crt': base64(cert), 'tls.key': base64(key) }, 'kubernetes.io/tls');
  },
};

/** Go's json.Marshal string escaping on top of JSON.stringify (struct field order kept). */
const goCompact = (v: unknown) => JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

/** The .dockerconfigjson kubectl builds: {"auths":{server:{username,password,email?,auth}}}, compact. */
export function dockerConfigJson(server: string, username: string, password: string, email: string): string {
  const entry: Record<string, string> = {};
  if (username) entry.username = username;
  if (password) entry.password = password;
  if (email) entry.email = email;
  const auth = base64(`${username}:${password}`);
  if (auth) entry.auth = auth;
  return goCompact({ auths: { [server]: entry } });
}

/**
 * kubectl create secret docker-registry NAME (--docker-username --docker-password [--docker-server] [--docker-email]
 * | --from-file=[key=]path): with --from-file the files win (default key .dockerconfigjson).
 */
export const secretDockerRegistryGenerator: Generator = {
  name: 'docker-registry',
  short: 'Create a secret for use with a Docker registry',
  usage: 'kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, s('docker-server'), s('docker-username'), s('docker-password'), s('docker-email'), sa('from-file'), b('append-hash')],
  resource: { group: '', version: 'v1', resource: 'secrets', namespaced: true },
  createError: 'failed to create secret ',
  async build(ctx) {
    const name = requireName(ctx);
    const files = ctx.list('from-file');
    const server = ctx.flags.set.has('docker-server') ? ctx.str('docker-server') : 'https://index.docker.io/v1/';
    const [user, pass] = [ctx.str('docker-username'), ctx.str('docker-password')];
    if (!files.length && (!user || !pass || !server)) {
      throw new RawError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
    }
    const data: Record<string, string> = {};
    for (const src of files) {
      const eq = src.indexOf('=');
      const path = eq < 0 ? src : src.slice(eq + 1);
      const key = eq < 0 ? '.dockerconfigjson' : src.slice(0, eq);
      const text = await ctx.io.readFile?.(path);
      if (text === undefined) throw new RawError(`error: error reading ${path}: no such file or directory`);
      if (Object.hasOwn(data, key)) throw new RawError(`error: cannot add key ${key}, another key by that name already exists`);
      data[key] = base64(text);
    }
    if (!files.length) data['.dockerconfigjson'] = base64(dockerConfigJson(server, user, pass, ctx.str('docker-email')));
    return secret(ctx, name, data, 'kubernetes.io/dockerconfigjson');
  },
};
