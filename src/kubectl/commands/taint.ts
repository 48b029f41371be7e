import type { Node, Taint } from 'kubernetes-types/core/v1';
import { isQualifiedName, isValidLabelValue } from '../../api/label-validation';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunFlag, printFlags, type CommandDef } from '../cli/commands-table';
import { dryRunMode } from '../apply/apply-targets';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { visitObjects } from './visit-objects';

const taintFlags: FlagSpec[] = [
  ...printFlags, dryRunFlag, { name: 'all', type: 'bool' }, { name: 'overwrite', type: 'bool' }, { name: 'selector', short: 'l', type: 'string' },
  { name: 'validate', type: 'string' }, { name: 'field-manager', type: 'string' },
];

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

class TaintUsageError extends RawError {
  constructor(msg: string) {
    super(`error: ${msg}\nSee 'kubectl taint -h' for help and examples`);
  }
}

/** Taint.ToString(): key[=value][:effect]. */
const taintString = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;

/** kubectl's parseTaint: "key[=value]:effect" or a bare key (removals); texts as kubectl's. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  if (parts.length > 2) throw new TaintUsageError(`invalid taint spec: ${spec}`);
  let key = parts[0];
  let value = '';
  let effect = '';
  if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw new TaintUsageError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new TaintUsageError(`invalid taint spec: ${spec}`);
    [key, value = ''] = kv;
    const verrs = isValidLabelValue(value);
    if (verrs.length) throw new TaintUsageError(`invalid taint spec: ${spec}, ${verrs.join('; ')}`);
  }
  const kerrs = isQualifiedName(key);
  if (kerrs.length) throw new TaintUsageError(`invalid taint spec: ${spec}, ${kerrs.join('; ')}`);
  return { key, ...(value ? { value } : {}), effect } as Taint;
}

/** ParseTaints: additions (an effect is required; no duplicate key+effect) and removals (KEY[:EFFECT]-). */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, effect: t.effect } as Taint);
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new TaintUsageError(`invalid taint spec: ${spec}`);
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new TaintUsageError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    add.push(t);
  }
  return { add, remove };
}

/** reorganizeTaints: the new list (additions first, then untouched old taints) and the verb kubectl prints. */
export function reorganizeTaints(old: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): { taints: Taint[]; operation: string; errors: string[] } {
  let taints = [...add, ...old.filter((o) => !add.some((a) => a.key === o.key && a.effect === o.effect))];
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    removed = taints.length !== before;
    if (!removed) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { taints, operation, errors };
}

/**
 * kubectl taint NODE-TYPE (NAME… | -l | --all) KEY[=VAL]:EFFECT… KEY[:EFFECT]-…: patches spec.taints
 * and prints "node/x tainted|untainted|modified" (no dry-run suffix, as kubectl). Without --overwrite an
 * existing key+effect fails; only node types are accepted.
 */
export async function runTaint(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const a of ctx.args) {
    const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
    if (isTaint) taintArgs.push(a);
    else if (taintArgs.length) throw new RawError(`error: all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  if (!resources.length) throw new RawError('error: one or more resources must be specified as <resource> <name>');
  if (!taintArgs.length) throw new RawError('error: at least one taint update is required');
  const { add, remove } = parseTaints(taintArgs);
  const mapper = await ctx.mapper();
  let kind: string;
  try {
    kind = mapper.resolve(resources[0].toLowerCase()).kind;
  } catch {
    throw new RawError(`the server doesn't have a resource type "${resources[0].toLowerCase()}"`);
  }
  if (kind !== 'Node') throw new RawError(`error: invalid resource type ${resources[0].toLowerCase()}, only node types are supported`);
  const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `${r.key}=${r.effect ?? ''}`));
  if (conflicts.length) throw new RawError(`error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  const dry = dryRunMode(ctx);
  const overwrite = ctx.bool('overwrite');
  const { targets, errors } = await visitObjects(ctx, ctx.bool('all') || ctx.str('selector') ? ['nodes'] : ['nodes', ...resources.slice(1)]);
  for (const t of targets) {
    const node = t.obj as Node;
    const old = node.spec?.taints ?? [];
    if (!overwrite) {
      const exists = add.filter((a) => old.some((o) => o.key === a.key && o.effect === a.effect)).map((a) => a.key);
      if (exists.length) {
        errors.push(new RawError(`error: node ${t.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`));
        continue;
      }
    }
    const r = reorganizeTaints(old, add, remove, overwrite);
    if (r.errors.length) {
      errors.push(new RawError(`error: ${r.errors.length === 1 ? r.errors[0] : `[${r.errors.join(', ')}]`}`));
      continue;
    }
    let result: Node = { ...node, spec: { ...node.spec, taints: r.taints } };
    if (!dry.client) {
      result = await ctx.io.client.call<Node>({
        method: 'PATCH',
        path: `/api/v1/nodes/${t.name}`,
        body: { spec: { taints: r.taints.length ? r.taints : null } },
        contentType: 'application/merge-patch+json',
        query: { fieldManager: ctx.str('field-manager') || 'kubectl-taint', ...(dry.server ? { dryRun: 'All' } : {}) },
      });
    }
    ctx.out(format.format ? printObjects([result as Record<string, unknown>], format, true) : `node/${t.name} ${r.operation}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}

export const taintCommand: CommandDef = {
  name: 'taint',
  short: 'Update the taints on one or more nodes',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  flags: taintFlags,
  run: runTaint,
};
