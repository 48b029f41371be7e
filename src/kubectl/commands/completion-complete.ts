import type { KubectlIO } from '../kubectl-io';
import { CommandContext } from '../cli/command-context';
import { apiResourcesFlags, globalFlags } from '../cli/commands-table';
import { parseFlags, type FlagSpec } from '../cli/parse-flags';
import { ROOT_HELP } from '../cli/root-help';
import { names, parse, type Parsed } from '../completion';
import { localFlagUsages, type FlagUsage } from '../cli/flag-usages';
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

/** p's command path, continued into sub-commands kubectl 1.32 has and we do not (`apply view-last-applied`). */
function flagPath(p: Parsed): string {
  let path = p.path;
  for (const w of p.positionals) {
    if (!localFlagUsages(`${path} ${w}`)) break;
    path += ` ${w}`;
  }
  return path;
}

const asUsage = (f: FlagSpec, usage: string): FlagUsage => ({ name: f.name, short: f.short ?? '', usage, required: false, repeatable: f.type === 'stringSlice' || f.type === 'stringArray' });
const byName = (a: FlagUsage, b: FlagUsage) => (a.name < b.name ? -1 : 1);

/** Persistent flags of kubectl's parent commands (shadowing the global flag of that name in their sub-commands). */
const PERSISTENT: Record<string, FlagUsage[]> = {
  config: [{ name: 'kubeconfig', short: '', usage: 'use a particular kubeconfig file', required: false, repeatable: false }],
};

/** Flags path inherits: kubectl's global flags, shadowed by a parent's persistent flag; none the command defines itself. */
function inheritedFlags(path: string, locals: FlagUsage[]): FlagUsage[] {
  const shadow = PERSISTENT[path.split(' ')[0]] ?? [];
  const globals = globalFlags.filter((f) => f.name !== 'help').map((f) => shadow.find((p) => p.name === f.name) ?? asUsage(f, globalFlagUsage(f.name) ?? ''));
  return globals.filter((g) => !locals.some((l) => l.name === g.name)).sort(byName);
}

/**
 * cobra's flag-name completion for `kubectl PATH… -…`: the unset required flags matching toComplete when
 * there are any; else the inherited flags, then the command's own (each sorted by name), leaving out flags already given
 * unless they can repeat; `--name` and `-x` forms starting with toComplete, each with the usage's first line.
 */
function flagCompletions(p: Parsed, toComplete: string): string[] {
  const path = flagPath(p);
  const help = (name: string) => asUsage(globalFlags.find((f) => f.name === 'help')!, `help for ${name}`);
  let inherited: FlagUsage[] = [];
  let locals: FlagUsage[];
  if (!p.def) locals = [...globalFlags.filter((f) => f.name !== 'help').map((f) => asUsage(f, globalFlagUsage(f.name) ?? '')), help('kubectl')].sort(byName);
  else {
    const own = localFlagUsages(path) ?? p.def.flags.filter((f) => !globalFlags.some((g) => g.name === f.name)).map((f) => asUsage(f, ''));
    locals = [...own, ...(PERSISTENT[path] ?? []), help(path.split(' ').at(-1)!)].sort(byName);
    inherited = inheritedFlags(path, locals);
  }
  const forms = (f: FlagUsage) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])].filter((form) => form.startsWith(toComplete)).map((form) => (f.usage ? `${form}\t${f.usage}` : form));
  const all = [...inherited, ...locals];
  const required = all.filter((f) => f.required && !p.setFlags.has(f.name)).flatMap(forms);
  if (required.length) return required;
  return all.filter((f) => f.repeatable || !p.setFlags.has(f.name)).flatMap(forms);
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
  if (toComplete.startsWith('-')) return { comps: flagCompletions(p, toComplete), directive: nofile };
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
  // `kubectl options` writes cobra's messages to stdout (NewCmdOptions sets its output).
  const trailer = `${debug ?? ''}Completion ended with directive: ${directiveName(directive)}\n`;
  if (parse(args.slice(0, -1)).path === 'options') io.stdout(trailer);
  else io.stderr(trailer);
  return 0;
}
