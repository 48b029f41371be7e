// Node-only: the kubeconfig `npm run serve` writes, and the subset of kubeconfig loading `npm run kubectl` needs.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';

export const CONTEXT_NAME = 'kubernetes-admin@tabernetes';

/**
 * kubeadm's admin.conf shape for a plain-http server: cluster "tabernetes", user "kubernetes-admin", namespace
 * default. insecure-skip-tls-verify is set because @kubernetes/client-node refuses http:// servers without it.
 */
export function serveKubeconfig(server: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'tabernetes', cluster: { server, 'insecure-skip-tls-verify': true } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: 'tabernetes', user: 'kubernetes-admin', namespace: 'default' } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
    users: [{ name: 'kubernetes-admin', user: {} }],
  });
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  context?: T;
  user?: T;
}

interface KubeconfigFile {
  clusters?: Named<{ server?: string }>[];
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[];
  users?: Named<{ token?: string }>[];
  'current-context'?: string;
}

export interface ResolvedContext {
  server: string;
  namespace?: string;
  token?: string;
}

/** Thrown with kubectl's text when no usable context exists. */
export class KubeconfigError extends Error {}

/**
 * Resolves the context kubectl would use: files from --kubeconfig, else $KUBECONFIG (path list, first
 * definition of a name wins), else ~/.kube/config; the context from --context, else current-context;
 * --server/-s and -n override. Only token auth is carried (plain http servers need none).
 */
export async function resolveContext(flags: { kubeconfig?: string; context?: string; server?: string; env?: NodeJS.ProcessEnv }): Promise<ResolvedContext> {
  const env = flags.env ?? process.env;
  const paths = flags.kubeconfig ? [flags.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  const merged: Required<Pick<KubeconfigFile, 'clusters' | 'contexts' | 'users'>> & { current?: string } = { clusters: [], contexts: [], users: [] };
  for (const p of paths) {
    let text: string;
    try {
      text = await readFile(p, 'utf8');
    } catch (err) {
      if (flags.kubeconfig) throw new KubeconfigError(`error: stat ${p}: no such file or directory`);
      void err;
      continue;
    }
    const doc = (parseYaml(text) ?? {}) as KubeconfigFile;
    for (const k of ['clusters', 'contexts', 'users'] as const) {
      for (const item of doc[k] ?? []) if (!merged[k].some((x) => x.name === item.name)) (merged[k] as Named<unknown>[]).push(item as Named<unknown>);
    }
    merged.current ??= doc['current-context'] || undefined;
  }
  const ctxName = flags.context || merged.current;
  const ctx = merged.contexts.find((c) => c.name === ctxName)?.context;
  if (flags.context && !ctx) throw new KubeconfigError(`Error in configuration: context was not found for specified context: ${flags.context}`);
  const server = flags.server || merged.clusters.find((c) => c.name === ctx?.cluster)?.cluster?.server;
  if (!server) throw new KubeconfigError('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  const token = merged.users.find((u) => u.name === ctx?.user)?.user?.token;
  return { server: server.replace(/\/+$/, ''), ...(ctx?.namespace ? { namespace: ctx.namespace } : {}), ...(token ? { token } : {}) };
}
