import type { KubectlIO } from '../kubectl-io';
import { CommandContext } from '../cli/command-context';
import { apiResourcesFlags, globalFlags, type CommandDef } from '../cli/commands-table';
import { parseFlags, type FlagSpec } from '../cli/parse-flags';
import { ROOT_HELP } from '../cli/root-help';
import { names, parse } from '../completion';
import { ResourceMapper } from '../resource-mapper';
import { runApiResources } from './api-resources';
import { COMPLETION_SHELLS } from './completion-scripts';
import { globalFlagUsage } from './options-command';

/** cobra's ShellCompDirective bits. */
export const Directive = { Error: 1, NoSpace: 2, NoFileComp: 4, FilterFileExt: 8, FilterDirs: 16, KeepOrder: 32 } as const;

/** cobra's rendering of a directive: "ShellCompDirectiveDefault" or the set bits' names joined by ", ". */
export function directiveName(d: number): string {
  if (d === 0) return 'ShellCompDirectiveDefault';
  return Object.entries(Directive).filter(([, bit]) => d & bit).map(([n]) => `ShellCompDirective${n}`).join(', ');
}

/** Every kubectl 1.32 command cobra offers at the top level, with its short description. */
function topLevelCommands(): [string, string][] {
  const fromHelp = [...ROOT_HELP.matchAll(/^ {2}([a-z][\w-]*) {2,}(.+)$/gm)].map((m): [string, string] => [m[1], m[2]]);
  const extra: [string, string][] = [['help', 'Help about any command'], ['options', 'Print the list of flags inherited by all commands']];
  return [...fromHelp, ...extra].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const OUTPUT_FORMATS = ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'custom-columns', 'custom-columns-file'];
const PODS_WITHIN = ['daemonsets', 'deployments', 'pods', 'jobs', 'replicasets', 'replicationcontrollers', 'services', 'statefulsets'];
/** Commands whose arguments are TYPE NAME… or TYPE/NAME…, limited to these types when a list is given. */
const TYPE_AND_NAME: Record<string, string[] | undefined> = {
  get: undefined, describe: undefined, delete: undefined, edit: undefined, label: undefined, annotate: undefined, patch: undefined,
  wait: undefined, explain: undefined, 'set image': undefined, 'set env': undefined, 'set resources': undefined,
  scale: ['deployment', 'replicaset', 'replicationcontroller', 'statefulset'],
  autoscale: ['deployment', 'replicaset', 'replicationcontroller', 'statefulset'],
  expose: ['deployment', 'pod', 'replicaset', 'replicationcontroller', 'service'],
  'rollout history': ['deployment', 'daemonset', 'statefulset'], 'rollout status': ['deployment', 'daemonset', 'statefulset'],
  'rollout undo': ['deployment', 'daemonset', 'statefulset'], 'rollout restart': ['deployment', 'daemonset', 'statefulset'],
  'rollout pause': ['deployment'], 'rollout resume': ['deployment'],
};
/** Commands whose first argument is a pod (or TYPE/NAME of something with pods). */
const POD_FIRST = new Set(['logs', 'exec', 'attach', 'port-forward']);
const NODE_FIRST = new Set(['cordon', 'uncordon', 'drain', 'taint']);

interface Result {
  comps: string[];
  directive: number;
  /** Lines cobra prints on stderr before "Completion ended…". */
  debug?: string;
}

function flagCompletions(def: CommandDef | undefined, toComplete: string): string[] {
  const line = (f: FlagSpec, form: string, local: boolean) => {
    const usage = f.name === 'help' ? `help for ${def ? def.name : 'kubectl'}` : local ? undefined : globalFlagUsage(f.name);
    return usage ? `${form}\t${usage}` : form;
  };
  const forms = (f: FlagSpec, local: boolean) => [line(f, `--${f.name}`, local), ...(f.short && !toComplete.startsWith('--') ? [line(f, `-${f.short}`, local)] : [])];
  const byName = (a: FlagSpec, b: FlagSpec) => (a.name < b.name ? -1 : 1);
  const globals = globalFlags.filter((f) => f.name !== 'help').sort(byName);
  const help = globalFlags.find((f) => f.name === 'help') as FlagSpec;
  const locals = [...(def?.flags ?? []).filter((f) => !globalFlags.some((g) => g.name === f.name)), help].sort(byName);
  return [...globals.flatMap((f) => forms(f, false)), ...locals.flatMap((f) => forms(f, true))];
}

async function resourceTypes(io: KubectlIO, toComplete: string): Promise<string[]> {
  let out = '';
  const ctx = new CommandContext({ ...io, stdout: (t) => void (out += t), stderr: () => undefined }, parseFlags(['-o', 'name', '--cached', '--verbs=get'], apiResourcesFlags), 'kubectl api-resources');
  await runApiResources(ctx).catch(() => undefined);
  const cut = toComplete.lastIndexOf(',') + 1;
  const [prefix, suffix] = [toComplete.slice(0, cut), toComplete.slice(cut)];
  return out.split('\n').filter((r) => r && r.startsWith(suffix)).map((r) => prefix + r);
}

/** What cobra + kubectl's completion functions answer for `kubectl ARGS… TOCOMPLETE`. */
async function completeArgs(args: string[], toComplete: string, io: KubectlIO): Promise<Result> {
  const nofile = Directive.NoFileComp;
  let p = parse(args);
  const eq = /^(--?[^=]+)=(.*)$/.exec(toComplete);
  if (eq) {
    p = parse([...args, eq[1]]);
    toComplete = eq[2];
  }
  const mapper = () => ResourceMapper.discover(io.client).catch(() => ResourceMapper.fromResources([]));
  const ns = p.namespace || io.namespace || 'default';
  const nameComps = async (type: string, prefix: string) => (await names(io.client, await mapper(), type, ns)).filter((n) => n.startsWith(prefix));
  if (p.prevFlag) {
    if (p.prevFlag === 'output') return { comps: [...OUTPUT_FORMATS, ...(p.path === 'get' ? ['wide'] : [])].filter((f) => f.startsWith(toComplete)), directive: nofile };
    if (p.prevFlag === 'namespace') return { comps: await nameComps('namespaces', toComplete), directive: nofile };
    if (['context', 'cluster', 'user'].includes(p.prevFlag)) return { comps: [], directive: nofile };
    return { comps: [], directive: 0 };
  }
  if (!p.def && p.path) {
    // kubectl treats an unknown command as a plugin, finds none, and falls back to file completion.
    const debug = `[Debug] Cleared global flags for plugin completion\n[Debug] [Error] unable to find a command for arguments: [${[p.path, ...p.positionals].join(' ')}]\n`;
    return { comps: [], directive: 0, debug };
  }
  if (toComplete.startsWith('-')) return { comps: flagCompletions(p.def, toComplete).filter((c) => c.startsWith(toComplete)), directive: nofile };
  if (!p.def) return { comps: topLevelCommands().filter(([n]) => n.startsWith(toComplete)).map(([n, d]) => `${n}\t${d}`), directive: nofile };
  const a = p.positionals;
  if (p.def.subcommands && a.length === 0) {
    return { comps: [...p.def.subcommands].sort((x, y) => (x.name < y.name ? -1 : 1)).filter((c) => c.name.startsWith(toComplete)).map((c) => `${c.name}\t${c.short.replace(/\.$/, '')}`), directive: nofile };
  }
  if (p.path === 'completion') return { comps: a.length ? [] : COMPLETION_SHELLS.filter((s) => s.startsWith(toComplete)), directive: nofile };
  if (POD_FIRST.has(p.path)) {
    if (a.length === 1 && p.path === 'logs' && !a[0].includes('/')) {
      const pod = await io.client.call<{ spec?: { initContainers?: { name: string }[]; containers?: { name: string }[] } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods/${a[0]}` }).catch(() => undefined);
      return { comps: [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].map((c) => c.name).filter((n) => n.startsWith(toComplete)), directive: nofile };
    }
    if (a.length > 0) return { comps: [], directive: nofile };
    const slash = toComplete.indexOf('/');
    if (slash >= 0) {
      const type = toComplete.slice(0, slash);
      return { comps: (await nameComps(type, toComplete.slice(slash + 1))).map((n) => `${type}/${n}`), directive: nofile };
    }
    const pods = await nameComps('pods', toComplete);
    return { comps: [...pods, ...PODS_WITHIN.filter((r) => r.startsWith(toComplete)).map((r) => `${r}/`)], directive: pods.length ? nofile : nofile | Directive.NoSpace };
  }
  if (NODE_FIRST.has(p.path)) return { comps: a.length ? [] : await nameComps('nodes', toComplete), directive: nofile };
  if (!(p.path in TYPE_AND_NAME)) return { comps: [], directive: 0 };
  const allowed = TYPE_AND_NAME[p.path];
  if (a.length > 0 && !a[0].includes('/')) return { comps: (await nameComps(a[0], toComplete)).filter((n) => !a.slice(1).includes(n)), directive: nofile };
  const slash = toComplete.indexOf('/');
  if (slash >= 0) {
    const type = toComplete.slice(0, slash);
    return { comps: (await nameComps(type, toComplete.slice(slash + 1))).map((n) => `${type}/${n}`).filter((c) => !a.includes(c)), directive: nofile };
  }
  const types = allowed ? allowed.filter((t) => t.startsWith(toComplete)) : await resourceTypes(io, toComplete);
  if (a.length === 0) return { comps: types, directive: nofile };
  return { comps: types.map((t) => `${t}/`), directive: nofile | Directive.NoSpace };
}

/**
 * cobra's hidden `__complete` / `__completeNoDesc` (args: the words after "kubectl", the last one the word
 * being completed, possibly ""): one candidate per line (`value\tdescription` when descriptions are on and
 * there is one), then `:<directive>`; "Completion ended with directive: …" on stderr. Always exits 0.
 */
export async function runCobraComplete(args: string[], io: KubectlIO, descriptions: boolean): Promise<number> {
  const toComplete = args.length ? args[args.length - 1] : '';
  const { comps, directive, debug } = await completeArgs(args.slice(0, -1), toComplete, io);
  const lines = comps.map((c) => (descriptions ? c : c.split('\t')[0]));
  io.stdout(lines.map((l) => `${l}\n`).join('') + `:${directive}\n`);
  io.stderr(`${debug ?? ''}Completion ended with directive: ${directiveName(directive)}\n`);
  return 0;
}
