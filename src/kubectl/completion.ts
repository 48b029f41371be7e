import type { ApiClient } from '../client/api-client';
import { resourcePath } from '../api/resources';
import { globalFlags, type CommandDef } from './cli/commands-table';
import { commands } from './commands/registry';
import { ResourceMapper } from './resource-mapper';

/** What Tab completes: candidates for the word that starts at `from` and ends at the cursor. */
export interface Completion {
  from: number;
  word: string;
  candidates: string[];
}

const OUTPUTS = ['json', 'yaml', 'name', 'wide', 'jsonpath=', 'jsonpath-as-json=', 'custom-columns=', 'go-template='];
/** Commands whose first argument is a resource type and whose second is a name of that type. */
const TYPED = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'scale', 'patch', 'edit', 'explain', 'set image', 'rollout status', 'rollout history', 'rollout undo', 'rollout restart', 'wait']);
/** Commands whose first argument is a pod name. */
const POD_FIRST = new Set(['logs', 'exec', 'attach', 'port-forward']);

/** A command line's words (after "kubectl") read for completion: the command, its positionals, -n, a flag awaiting its value. */
export interface Parsed {
  def?: CommandDef;
  path: string;
  positionals: string[];
  namespace?: string;
  prevFlag?: string;
  /** Long names of the flags given (cobra's Changed), known ones only. */
  setFlags: Set<string>;
}

export function parse(words: string[]): Parsed {
  let def: CommandDef | undefined;
  let path = '';
  const positionals: string[] = [];
  let namespace: string | undefined;
  let prevFlag: string | undefined;
  const setFlags = new Set<string>();
  const flags = () => [...globalFlags, ...(def?.flags ?? [])];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    prevFlag = undefined;
    if (w.startsWith('-')) {
      const name = w.replace(/^-+/, '').split('=')[0];
      const spec = flags().find((f) => (w.startsWith('--') ? f.name === name : f.short === name));
      if (spec) setFlags.add(spec.name);
      if (spec && spec.type !== 'bool' && !w.includes('=') && spec.noOptDefault === undefined) {
        if (i + 1 < words.length) {
          if (spec.name === 'namespace') namespace = words[i + 1];
          i++;
        } else prevFlag = spec.name;
      } else if (spec?.name === 'namespace') namespace = w.split('=')[1];
      continue;
    }
    if (!def && path) {
      positionals.push(w);
      continue;
    }
    if (!def) {
      def = commands.get(w);
      path = w;
      continue;
    }
    const sub = def.subcommands?.find((c) => c.name === w || c.aliases?.includes(w));
    if (sub && positionals.length === 0) {
      def = sub;
      path += ` ${sub.name}`;
      continue;
    }
    positionals.push(w);
  }
  return { def, path, positionals, namespace, prevFlag, setFlags };
}

/** Names of the objects of a type (in namespace when namespaced); [] on any error. */
export async function names(client: ApiClient, mapper: ResourceMapper, type: string, namespace: string): Promise<string[]> {
  try {
    const info = mapper.resolve(type);
    const list = await client.call<{ items?: { metadata?: { name?: string } }[] }>({ method: 'GET', path: resourcePath(info, info.namespaced ? namespace : undefined) });
    return (list.items ?? []).map((i) => i.metadata?.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Tab completion for a terminal line (with or without a leading "kubectl"/"k"): command and sub-command
 * names, flags (--name), -o formats, namespaces after -n, resource types, and live object names
 * (TYPE NAME, TYPE/NAME, pods for logs/exec, pods and node/NAME for debug, POD: for cp). Never rejects: server errors yield no candidates.
 */
export async function complete(line: string, cursor: number, client: ApiClient, defaultNamespace = 'default'): Promise<Completion> {
  const before = line.slice(0, cursor);
  const m = /(\S*)$/.exec(before);
  const word = m ? m[1] : '';
  const from = cursor - word.length;
  const words = before.slice(0, from).trim().split(/\s+/).filter(Boolean);
  const done = (candidates: string[]): Completion => ({ from, word, candidates: [...new Set(candidates)].filter((c) => c.startsWith(word)).sort() });
  if (words.length === 0) return done(['kubectl', 'clear']);
  if (words[0] !== 'kubectl' && words[0] !== 'k') return done([]);
  const p = parse(words.slice(1));
  if (p.prevFlag === 'output') return done(OUTPUTS);
  const mapper = async () => ResourceMapper.discover(client).catch(() => ResourceMapper.fromResources([]));
  if (p.prevFlag === 'namespace') return done(await names(client, await mapper(), 'namespaces', ''));
  if (p.prevFlag) return done([]);
  if (!p.def) return done(word.startsWith('-') ? globalFlags.map((f) => `--${f.name}`) : [...commands.keys()]);
  if (word.startsWith('-')) return done([...p.def.flags, ...globalFlags].map((f) => `--${f.name}`));
  if (p.def.subcommands && p.positionals.length === 0) return done(p.def.subcommands.flatMap((c) => [c.name]));
  const ns = p.namespace ?? defaultNamespace;
  if (POD_FIRST.has(p.path) && p.positionals.length === 0) return done(await names(client, await mapper(), 'pods', ns));
  if (p.path === 'debug' && p.positionals.length === 0) {
    const mp = await mapper();
    if (!word.includes('/')) return done([...(await names(client, mp, 'pods', ns)), 'node/']);
    const type = word.slice(0, word.indexOf('/'));
    return done((await names(client, mp, type, ns)).map((n) => `${type}/${n}`));
  }
  // cp: a remote file spec starts with POD: (local paths are the terminal's business).
  if (p.path === 'cp' && p.positionals.length < 2 && !word.includes(':')) return done((await names(client, await mapper(), 'pods', ns)).map((n) => `${n}:`));
  if (!TYPED.has(p.path)) return done([]);
  const mp = await mapper();
  if (word.includes('/')) {
    const type = word.slice(0, word.indexOf('/'));
    return done((await names(client, mp, type, ns)).map((n) => `${type}/${n}`));
  }
  if (p.positionals.length === 0) {
    const types = mp.resources.filter((r) => r.preferred && r.verbs.includes('list')).map((r) => r.resource);
    return done(p.path === 'get' ? [...types, 'all'] : types);
  }
  return done(await names(client, mp, p.positionals[0].split(',')[0], ns));
}

/** The longest common prefix of candidates ('' for none). */
export function commonPrefix(candidates: string[]): string {
  if (!candidates.length) return '';
  let prefix = candidates[0];
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
