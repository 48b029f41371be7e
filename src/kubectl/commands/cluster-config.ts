import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { alignTable } from '../printers/table-printer';
import { checkOutputFormat, printObjects } from '../printers/print-objects';

export const DEFAULT_SERVER = 'https://127.0.0.1:6443';
const CONTEXT = 'kubernetes-admin@tabernetes';
const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });
const b = (name: string): FlagSpec => ({ name, type: 'bool' });

/** The tab's kubeconfig: one cluster, user and context (as `npm run serve` writes it). */
function kubeconfig(ctx: CommandContext): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { server: ctx.io.server ?? DEFAULT_SERVER }, name: 'tabernetes' }],
    contexts: [{ context: { cluster: 'tabernetes', namespace: ctx.io.namespace ?? 'default', user: 'kubernetes-admin' }, name: CONTEXT }],
    'current-context': CONTEXT,
    kind: 'Config',
    preferences: {},
    users: [{ name: 'kubernetes-admin', user: {} }],
  };
}


/** kubectl cluster-info: the control plane and kube-system cluster services (coloured on a terminal, as kubectl). */
async function runClusterInfo(ctx: CommandContext): Promise<void> {
  if (ctx.args[0] === 'dump') throw new RawError('error: cluster-info dump is not supported yet by this kubectl');
  const server = ctx.io.server ?? DEFAULT_SERVER;
  const [GREEN, YELLOW, RESET] = ctx.io.tty ? ['\x1b[0;32m', '\x1b[0;33m', '\x1b[0m'] : ['', '', ''];
  let out = `${GREEN}Kubernetes control plane${RESET} is running at ${YELLOW}${server}${RESET}\n`;
  const services = await ctx.io.client
    .call<{ items: { metadata: { name: string; namespace: string; labels?: Record<string, string> }; spec?: { ports?: { name?: string; port: number }[] } }[] }>({
      method: 'GET',
      path: '/api/v1/namespaces/kube-system/services',
      query: { labelSelector: 'kubernetes.io/cluster-service=true' },
    })
    .catch(() => ({ items: [] }));
  for (const svc of services.items) {
    let name = svc.metadata.name;
    const port = svc.spec?.ports?.[0];
    if (port) {
      // utilnet.JoinSchemeNamePort: scheme:name:port, name:port, or name.
      const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
      name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name;
    }
    const title = svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name;
    out += `${GREEN}${title}${RESET} is running at ${YELLOW}${server}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy${RESET}\n`;
  }
  ctx.out(out + "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
}

/** kubectl api-versions: every group/version the server serves, sorted. */
async function runApiVersions(ctx: CommandContext): Promise<void> {
  const mapper = await ctx.mapper();
  const versions = new Set(mapper.resources.map((r) => (r.group ? `${r.group}/${r.version}` : r.version)));
  ctx.out([...versions].sort().map((v) => v + '\n').join(''));
}

const configSub = (name: string, short: string, flags: FlagSpec[], run: (ctx: CommandContext) => Promise<void>): CommandDef => ({
  name,
  short,
  usage: `kubectl config ${name} [options]`,
  flags,
  run,
});

export const clusterInfoCommand: CommandDef = { name: 'cluster-info', short: 'Display cluster information', usage: 'kubectl cluster-info [flags] [options]', flags: [], run: runClusterInfo };
export const apiVersionsCommand: CommandDef = { name: 'api-versions', short: 'Print the supported API versions on the server, in the form of "group/version"', usage: 'kubectl api-versions [options]', flags: [], run: runApiVersions };

/** kubectl config view|current-context|get-contexts|use-context|set-context|get-clusters|get-users over the tab's fixed kubeconfig. */
export const configCommand: CommandDef = {
  name: 'config',
  short: 'Modify kubeconfig files',
  usage: 'kubectl config SUBCOMMAND [options]',
  flags: [],
  subcommands: [
    configSub('view', 'Display merged kubeconfig settings or a specified kubeconfig file', [s('output', 'o'), s('template'), b('minify'), b('raw'), b('flatten'), b('merge')], async (ctx) => {
      const format = checkOutputFormat(ctx.str('output') || 'yaml', ctx.str('template'));
      ctx.out(printObjects([kubeconfig(ctx)], format, true));
    }),
    configSub('current-context', 'Display the current-context', [], async (ctx) => ctx.out(`${CONTEXT}\n`)),
    configSub('get-contexts', 'Describe one or many contexts', [s('output', 'o'), b('no-headers')], async (ctx) => {
      if (ctx.args.length && !ctx.args.includes(CONTEXT)) throw new RawError(`error: context ${ctx.args.find((a) => a !== CONTEXT)} not found`);
      if (ctx.str('output') === 'name') return ctx.out(`${CONTEXT}\n`);
      const head = ctx.bool('no-headers') ? '' : 'CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n';
      ctx.out(alignTable(`${head}*\t${CONTEXT}\ttabernetes\tkubernetes-admin\t${ctx.io.namespace ?? 'default'}\n`));
    }),
    {
      ...configSub('use-context', 'Set the current-context in a kubeconfig file', [], async (ctx) => {
        if (ctx.args.length !== 1) throw new RawError(`error: Unexpected args: [${ctx.args.join(' ')}]`);
        if (ctx.args[0] !== CONTEXT) throw new RawError(`error: no context exists with the name: "${ctx.args[0]}"`);
        ctx.out(`Switched to context "${CONTEXT}".\n`);
      }),
      aliases: ['use'],
      usage: 'kubectl config use-context CONTEXT_NAME [options]',
    },
    configSub('set-context', 'Set a context entry in kubeconfig', [b('current'), s('namespace'), s('cluster'), s('user')], async (ctx) => {
      // The tab's kubeconfig has one context; only it (by name or --current) can change, and only its namespace.
      const name = ctx.bool('current') ? CONTEXT : ctx.args[0];
      if (!name) throw new RawError('error: you must specify a non-empty context name or --current');
      if (name !== CONTEXT) throw new RawError(`error: only the context "${CONTEXT}" can be set in this kubectl`);
      const ns = ctx.flags.values.get('namespace');
      if (typeof ns === 'string' && ns) ctx.io.setNamespace?.(ns);
      ctx.out(`Context "${CONTEXT}" modified.\n`);
    }),
    configSub('get-clusters', 'Display clusters defined in the kubeconfig', [], async (ctx) => ctx.out('NAME\ntabernetes\n')),
    configSub('get-users', 'Display users defined in the kubeconfig', [], async (ctx) => ctx.out('NAME\nkubernetes-admin\n')),
  ],
  async run(ctx) {
    ctx.out('Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n');
  },
};
