import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { toGoYaml } from '../printers/go-yaml';

/** The client's version.Info; gitVersion says which kubectl this imitates. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'js/wasm',
};
const KUSTOMIZE = 'v5.5.0';

/** kubectl version [--client] [-o json|yaml]: client, Kustomize and server (GET /version) versions. */
export async function runVersion(ctx: CommandContext): Promise<void> {
  const output = ctx.str('output');
  if (output && output !== 'json' && output !== 'yaml') throw new RawError('error: --output must be \'yaml\' or \'json\'');
  let server: Record<string, string> | undefined;
  let serverErr: unknown;
  if (!ctx.bool('client')) {
    try {
      server = await ctx.io.client.call<Record<string, string>>({ method: 'GET', path: '/version' });
    } catch (err) {
      serverErr = err;
    }
  }
  if (output) {
    const doc: Record<string, unknown> = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE };
    if (server) doc.serverVersion = server;
    ctx.out(output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toGoYaml(doc));
  } else {
    let text = `Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE}\n`;
    if (server) text += `Server Version: ${server.gitVersion}\n`;
    ctx.out(text);
  }
  if (server) {
    const skew = Math.abs(parseInt(server.minor ?? '32', 10) - 32);
    if (skew > 1) ctx.err(`WARNING: version difference between client (1.32) and server (${server.major}.${parseInt(server.minor, 10)}) exceeds the supported minor version skew of +/-1\n`);
  }
  if (serverErr) throw serverErr;
}
