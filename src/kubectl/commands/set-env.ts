import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunFlag, fileFlags, printFlags } from '../cli/commands-table';
import { editPodTemplates, matchContainer, type PodContainer } from './pod-template-edit';
import { resolveResourceArgs } from './resource-args';

export const setEnvFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'containers', short: 'c', type: 'string' }, { name: 'from', type: 'string' },
  { name: 'prefix', type: 'string' }, { name: 'env', short: 'e', type: 'stringArray' }, { name: 'keys', type: 'stringSlice' },
  { name: 'list', type: 'bool' }, { name: 'resolve', type: 'bool' }, { name: 'local', type: 'bool' }, { name: 'all', type: 'bool' },
  { name: 'overwrite', type: 'bool' }, { name: 'field-manager', type: 'string' }, { name: 'selector', short: 'l', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'bool' }, { name: 'record', type: 'bool' },
];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name?: string; key: string };
    secretKeyRef?: { name?: string; key: string };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { containerName?: string; resource: string };
  };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/** envutil.SplitEnvironmentFromResources: resources first, then KEY=VAL / KEY- arguments; undefined when mixed. */
export function splitEnvArgs(args: string[]): { resources: string[]; envArgs: string[] } | undefined {
  const resources: string[] = [];
  const envArgs: string[] = [];
  for (const a of args) {
    const isEnv = /^.+=/s.test(a) || a.endsWith('-');
    if (isEnv) envArgs.push(a);
    else if (envArgs.length) return undefined;
    else resources.push(a);
  }
  return { resources, envArgs };
}

/** envutil.ParseEnv: KEY=VAL adds, KEY- removes, "-" reads KEY=VAL lines from stdin ('#' starts a comment). */
export function parseEnvArgs(specs: string[], stdin: string | undefined): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  const set = new Set<string>();
  for (const spec of specs) {
    if (spec === '-') {
      if (stdin === undefined) throw new RawError("error: when '-' is used, STDIN must be open");
      for (let line of stdin.split('\n')) {
        if (line.includes('#')) line = line.slice(0, line.indexOf('#'));
        const eq = line.indexOf('=');
        if (eq >= 0) env.push({ name: line.slice(0, eq), value: line.slice(eq + 1) });
      }
    } else if (spec.includes('=')) {
      const name = spec.slice(0, spec.indexOf('='));
      if (!ENV_NAME.test(name)) throw new RawError(`error: ${JSON.stringify(name)} is not a valid key name: ${ENV_NAME_MSG}`);
      set.add(name);
      env.push({ name, value: spec.slice(spec.indexOf('=') + 1) });
    } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
    else throw new RawError(`error: unknown environment variable: ${spec}`);
  }
  if (remove.some((r) => set.has(r))) throw new RawError('error: can not both modify and remove the same environment variable in the same command');
  return { env, remove };
}

/** kubectl's updateEnv: replaces same-named variables in place, drops removed ones, appends the new ones. */
export function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const covered = new Set(remove);
  const out: EnvVar[] = [];
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) covered.add(e.name);
    out.push(newer ?? e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(e);
  }
  return out;
}

function refString(from: NonNullable<EnvVar['valueFrom']>): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name ?? ''}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name ?? ''}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef) return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** --from=configmap/x|secret/x: one valueFrom variable per data key (sorted), named by keyToEnvName. */
async function envFromSources(ctx: CommandContext): Promise<EnvVar[]> {
  const { requests } = await resolveResourceArgs(ctx, [ctx.str('from')]);
  const keys = ctx.list('keys');
  const env: EnvVar[] = [];
  for (const req of requests) {
    for (const name of req.names) {
      const obj = await ctx.io.client.call<{ kind?: string; data?: Record<string, string>; metadata?: { name?: string } }>({
        method: 'GET',
        path: resourcePath(req.info, req.info.namespaced ? (req.namespace ?? ctx.namespace) : undefined, name),
      });
      const refKind = obj.kind === 'Secret' ? 'secretKeyRef' : obj.kind === 'ConfigMap' ? 'configMapKeyRef' : undefined;
      if (!refKind) throw new RawError('error: unsupported resource specified in --from');
      for (const key of Object.keys(obj.data ?? {}).sort()) {
        if (keys.length && !keys.includes(key)) continue;
        const envName = key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
        if (envName !== key) ctx.err(`Warning: key ${key} transferred to ${envName}\n`);
        env.push({ name: envName, valueFrom: { [refKind]: { key, name: obj.metadata?.name } } });
      }
    }
  }
  return env;
}

/**
 * kubectl set env (TYPE NAME | -l | --all | -f) KEY=VAL… KEY-… [-e KEY=VAL] [--from=configmap/x|secret/x]
 * [--prefix] [-c glob] [--list] [--overwrite=false]: updates every selected container (init containers
 * too); prints "kind.group/name env updated", or with --list the resulting environment per container.
 * Errors as kubectl 1.32 (validation before any request; per-object errors after the others).
 */
export async function runSetEnv(ctx: CommandContext): Promise<void> {
  if (ctx.bool('all') && ctx.str('selector')) throw new RawError('error: cannot set --all and --selector at the same time');
  const split = splitEnvArgs(ctx.args);
  if (!split) throw new RawError(`error: all resources must be specified before environment changes: ${ctx.args.join(' ')}`);
  const list = ctx.bool('list');
  if (!ctx.list('filename').length && split.resources.length < 1) throw new RawError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (list && ctx.str('output')) throw new RawError('error: --list and --output may not be specified together');
  if (ctx.list('keys').length && !ctx.str('from')) throw new RawError('error: when specifying --keys, a configmap or secret must be provided with --from');
  const { env, remove } = parseEnvArgs([...ctx.list('env'), ...split.envArgs], ctx.io.stdin);
  if (ctx.str('from')) env.push(...(await envFromSources(ctx)));
  const prefix = ctx.str('prefix');
  if (prefix) for (const e of env) e.name = prefix + e.name;
  const selector = ctx.str('containers') || '*';
  const overwrite = !ctx.flags.set.has('overwrite') || ctx.bool('overwrite');
  await editPodTemplates(
    ctx,
    split.resources,
    'env updated',
    (spec, t) => {
      const selected = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].filter((c) => matchContainer(selector, c.name));
      if (!selected.length) {
        ctx.err(`Warning: ${t.kind}/${t.name} does not have any containers matching ${JSON.stringify(selector)}\n`);
        return;
      }
      for (const c of selected as (Omit<PodContainer, 'env'> & { env?: EnvVar[] })[]) {
        if (!overwrite) {
          const clash = env.map((e) => [e, c.env?.find((x) => x.name === e.name)] as const).find(([e, cur]) => cur && (cur.value ?? '') !== (e.value ?? ''));
          if (clash) return `'${clash[1]!.name}' already has a value (${clash[1]!.value ?? ''}), and --overwrite is false`;
        }
        const next = updateEnv(c.env ?? [], env, remove);
        if (next.length) c.env = next;
        else delete c.env;
        if (list) {
          ctx.out(`# ${t.kind} ${t.name}, container ${c.name}\n`);
          for (const e of next) ctx.out(e.valueFrom ? `# ${e.name} from ${refString(e.valueFrom)}\n` : `${e.name}=${e.value ?? ''}\n`);
        }
      }
    },
    { list },
  );
}
