import type { Node, Pod } from 'kubernetes-types/core/v1';
import { milliValue, quantityValue } from '../../api/quantity';
import { NodeMetricsResource, Nodes, PodMetricsResource, Pods } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { tabwrite, tableTabOptions } from '../printers/tabwriter';
import { goDuration } from '../../workers/kubelet/go-format';

type Usage = Record<string, string>;
interface NodeMetrics { metadata: { name: string }; usage: Usage }
interface PodMetrics { metadata: { name: string; namespace: string }; containers: Array<{ name: string; usage: Usage }> }

/** kubectl's metricsCreationDelay: a pod older than this without metrics is reported. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

/** A quantity in nano-units (exact for the n/u/m/'' forms metrics-server writes; else via MilliValue). */
function nanos(q: string | undefined): number {
  const m = /^(\d+)(n|u|m|)$/.exec(q ?? '');
  if (!m) return milliValue(q) * 1e6;
  return Number(m[1]) * { n: 1, u: 1e3, m: 1e6, '': 1e9 }[m[2] as 'n' | 'u' | 'm' | ''];
}
const cpuCell = (nano: number) => `${Math.ceil(nano / 1e6)}m`;
const memCell = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))}Mi`;
const row = (cells: string[]) => cells.map((c) => `${c}\t`).join('') + '\n';

async function requireMetricsApi(ctx: CommandContext): Promise<void> {
  const groups = await ctx.io.client.call<{ groups?: Array<{ name: string; versions?: Array<{ version: string }> }> }>({ method: 'GET', path: '/apis' });
  const ok = groups.groups?.some((g) => g.name === 'metrics.k8s.io' && g.versions?.some((v) => v.version === 'v1beta1'));
  if (!ok) throw new RawError('error: Metrics API not available');
}

function checkSortBy(ctx: CommandContext): string {
  const sortBy = ctx.str('sort-by');
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new RawError('error: --sort-by accepts only cpu or memory');
  return sortBy;
}

/** kubectl top pod [NAME | -l label] [-A] [--containers] [--sum] [--sort-by=cpu|memory] [--no-headers]. */
export async function runTopPod(ctx: CommandContext): Promise<void> {
  const sortBy = checkSortBy(ctx);
  const name = ctx.args[0];
  const selector = ctx.str('selector');
  const fieldSelector = ctx.str('field-selector');
  if (name && (selector || fieldSelector)) throw new RawError('error: only one of NAME or selector can be provided');
  await requireMetricsApi(ctx);
  const all = ctx.bool('all-namespaces');
  const ns = all ? undefined : ctx.namespace;
  const client = ctx.io.client;
  const items = name
    ? [await client.get<PodMetrics>(PodMetricsResource, name, ns)]
    : (await client.list<PodMetrics>(PodMetricsResource, ns, { labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined })).items;
  if (!items.length) {
    const pods = (await client.list<Pod>(Pods, ns, { labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined })).items;
    for (const p of pods) {
      const age = ctx.io.clock.now() - Date.parse(p.metadata?.creationTimestamp ?? '');
      if (age > METRICS_CREATION_DELAY_MS) throw new RawError(`error: Metrics not available for pod ${p.metadata?.namespace}/${p.metadata?.name}, age: ${goDuration(age)}`);
    }
    if (pods.length) throw new RawError('error: metrics not available yet');
    ctx.err(all ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
    return;
  }
  const containers = ctx.bool('containers');
  const usage = (m: PodMetrics) => ({ cpu: m.containers.reduce((a, c) => a + nanos(c.usage.cpu), 0), memory: m.containers.reduce((a, c) => a + quantityValue(c.usage.memory), 0) });
  const sorted = [...items].sort((a, b) => {
    if (sortBy) return usage(b)[sortBy as 'cpu' | 'memory'] - usage(a)[sortBy as 'cpu' | 'memory'];
    if (all && a.metadata.namespace !== b.metadata.namespace) return a.metadata.namespace < b.metadata.namespace ? -1 : 1;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  let text = '';
  const width = 3 + (all ? 1 : 0) + (containers ? 1 : 0);
  if (!ctx.bool('no-headers')) text += row([...(all ? ['NAMESPACE'] : []), ...(containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
  for (const m of sorted) {
    const lead = all ? [m.metadata.namespace] : [];
    if (containers) {
      const cs = [...m.containers].sort((a, b) => (sortBy ? nanosOrBytes(b, sortBy) - nanosOrBytes(a, sortBy) : a.name < b.name ? -1 : 1));
      for (const c of cs) text += row([...lead, m.metadata.name, c.name, cpuCell(nanos(c.usage.cpu)), memCell(quantityValue(c.usage.memory))]);
    } else {
      const u = usage(m);
      text += row([...lead, m.metadata.name, cpuCell(u.cpu), memCell(u.memory)]);
    }
  }
  if (ctx.bool('sum')) {
    const cpu = items.reduce((a, m) => a + usage(m).cpu, 0);
    const mem = items.reduce((a, m) => a + usage(m).memory, 0);
    text += row([...Array<string>(width - 2).fill(''), '________', '________']);
    text += row([...Array<string>(width - 3).fill(''), '', cpuCell(cpu), memCell(mem)]);
  }
  ctx.out(tabwrite(text, tableTabOptions));
}

const nanosOrBytes = (c: { usage: Usage }, by: string) => (by === 'cpu' ? nanos(c.usage.cpu) : quantityValue(c.usage.memory));

/** kubectl top node [NAME | -l label] [--show-capacity] [--sort-by=cpu|memory] [--no-headers]. */
export async function runTopNode(ctx: CommandContext): Promise<void> {
  const sortBy = checkSortBy(ctx);
  const name = ctx.args[0];
  const selector = ctx.str('selector');
  if (name && selector) throw new RawError('error: only one of NAME or selector can be provided');
  await requireMetricsApi(ctx);
  const client = ctx.io.client;
  const metrics = name ? [await client.get<NodeMetrics>(NodeMetricsResource, name)] : (await client.list<NodeMetrics>(NodeMetricsResource, undefined, { labelSelector: selector || undefined })).items;
  const nodes = name ? [await client.get<Node>(Nodes, name)] : (await client.list<Node>(Nodes, undefined, { labelSelector: selector || undefined })).items;
  if (!metrics.length) throw new RawError('error: metrics not available yet');
  const available = new Map(nodes.map((n) => [n.metadata?.name ?? '', (ctx.bool('show-capacity') ? n.status?.capacity : n.status?.allocatable) ?? {}]));
  const sorted = [...metrics].sort((a, b) => {
    if (sortBy === 'cpu') return nanos(b.usage.cpu) - nanos(a.usage.cpu);
    if (sortBy === 'memory') return quantityValue(b.usage.memory) - quantityValue(a.usage.memory);
    return a.metadata.name < b.metadata.name ? -1 : 1;
  });
  let text = ctx.bool('no-headers') ? '' : row(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
  const pct = (used: number, total: number) => `${total ? Math.trunc((used / total) * 100) : 0}%`;
  for (const m of sorted) {
    const avail = available.get(m.metadata.name);
    const cpuMilli = Math.ceil(nanos(m.usage.cpu) / 1e6);
    const memBytes = quantityValue(m.usage.memory);
    const cells = [m.metadata.name, cpuCell(nanos(m.usage.cpu))];
    if (avail) cells.push(pct(cpuMilli, milliValue(avail.cpu)));
    cells.push(memCell(memBytes));
    if (avail) cells.push(pct(memBytes * 1000, milliValue(avail.memory)));
    text += row(cells);
    available.delete(m.metadata.name);
  }
  for (const missing of [...available.keys()].sort()) text += row([missing, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  ctx.out(tabwrite(text, tableTabOptions));
}

const b = (name: string, short?: string): FlagSpec => ({ name, short, type: 'bool' });
const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });

const TOP_HELP = `Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use "kubectl top <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

export const topCommand: CommandDef = {
  name: 'top',
  short: 'Display resource (CPU/memory) usage',
  usage: 'kubectl top [flags] [options]',
  flags: [],
  async run(ctx) {
    ctx.out(TOP_HELP);
  },
  subcommands: [
    {
      name: 'pod',
      aliases: ['pods', 'po'],
      short: 'Display resource (CPU/memory) usage of pods',
      usage: 'kubectl top pod [NAME | -l label] [options]',
      flags: [b('all-namespaces', 'A'), s('selector', 'l'), s('field-selector'), b('containers'), b('no-headers'), s('sort-by'), b('sum'), b('use-protocol-buffers')],
      run: runTopPod,
    },
    {
      name: 'node',
      aliases: ['nodes', 'no'],
      short: 'Display resource (CPU/memory) usage of nodes',
      usage: 'kubectl top node [NAME | -l label] [options]',
      flags: [s('selector', 'l'), b('no-headers'), s('sort-by'), b('show-capacity'), b('use-protocol-buffers')],
      run: runTopNode,
    },
  ],
};
