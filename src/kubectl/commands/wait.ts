import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { parseGoDuration } from '../cli/go-duration';
import type { FlagSpec } from '../cli/parse-flags';
import { JsonPath } from '../printers/jsonpath/jsonpath';
import { relaxedJsonPath } from '../printers/custom-columns';
import { kindPrefix } from '../resource-mapper';
import { visitObjects, type KubeObj, type Target } from './visit-objects';

export const waitFlags: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'for', type: 'string' }, { name: 'timeout', type: 'string' }, { name: 'all', type: 'bool' }, { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' }, { name: 'field-selector', type: 'string' }, { name: 'local', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' }, { name: 'template', type: 'string' },
];

type Check = (obj: KubeObj | undefined) => boolean;

/** Parses --for: delete, condition=TYPE[=VALUE], jsonpath={…}=VALUE (kubectl's conditionFuncFor; create is waitCreated). */
function parseFor(spec: string): { check: Check; deletion: boolean } {
  const lower = spec.toLowerCase();
  if (lower === 'delete') return { check: (o) => o === undefined, deletion: true };
  if (lower.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = (eq < 0 ? rest : rest.slice(0, eq)).toLowerCase();
    const value = (eq < 0 ? 'true' : rest.slice(eq + 1)).toLowerCase();
    return {
      deletion: false,
      check: (o) => ((o?.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? []).some((c) => c.type?.toLowerCase() === type && c.status?.toLowerCase() === value),
    };
  }
  if (lower.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    const close = rest.lastIndexOf('}');
    const path = close >= 0 ? rest.slice(0, close + 1) : rest.split('=')[0];
    const tail = rest.slice(path.length);
    const value = tail.startsWith('=') ? tail.slice(1) : undefined;
    const jp = new JsonPath(relaxedJsonPath(path), true);
    return {
      deletion: false,
      check: (o) => {
        if (!o) return false;
        const found = jp.results(o).flat();
        if (value === undefined) return found.length > 0;
        return found.length === 1 && String(found[0]) === value;
      },
    };
  }
  throw new RawError(`error: unrecognized condition: "${spec}"`);
}

/**
 * kubectl wait --for=create|delete|condition=…|jsonpath=… [--timeout=30s]: polls each object once per cluster
 * second until the condition holds ("kind/name condition met"), the timeout passes ("timed out waiting
 * for the condition on kinds/name"), or io.signal aborts.
 */
export async function runWait(ctx: CommandContext): Promise<void> {
  const forSpec = ctx.str('for');
  if (!forSpec) throw new RawError('error: unrecognized condition: ""');
  const timeout = ctx.str('timeout') ? parseGoDuration(ctx.str('timeout'), 'timeout') : 30_000;
  if (forSpec.toLowerCase() === 'create') return waitCreated(ctx, timeout);
  const { check, deletion } = parseFor(forSpec);
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  if (errors.length) {
    if (!deletion) throw new ErrorList(errors);
  }
  if (!targets.length && !errors.length) throw new RawError('error: no matching resources found');
  const deadline = ctx.io.clock.now() + timeout;
  const failures: unknown[] = [];
  for (const t of targets) {
    if (await waitOne(ctx, t, check, deadline, timeout === 0)) ctx.out(`${kindPrefix({ kind: t.kind, group: t.group })}/${t.name} condition met\n`);
    else if (ctx.io.signal?.aborted) return;
    else failures.push(new Error(`timed out waiting for the condition on ${t.info?.resource ?? t.kind}/${t.name}`));
  }
  if (failures.length) throw new ErrorList(failures);
}

async function waitOne(ctx: CommandContext, t: Target, check: Check, deadline: number, once: boolean): Promise<boolean> {
  // kubectl shares one deadline across objects: once it has passed, later objects fail unchecked.
  if (!once && ctx.io.clock.now() >= deadline) return false;
  for (;;) {
    let obj: KubeObj | undefined;
    try {
      obj = await ctx.io.client.call<KubeObj>({ method: 'GET', path: resourcePath(t.info!, t.namespace, t.name) });
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 404) throw err;
    }
    if (check(obj)) return true;
    if (once || ctx.io.signal?.aborted || ctx.io.clock.now() >= deadline) return false;
    await ctx.io.clock.sleep(Math.min(1000, deadline - ctx.io.clock.now()));
  }
}

const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;

/**
 * --for=create (kubectl 1.31+): looks the arguments up every 500 ms until none is NotFound (other errors end
 * it), then prints "kind/name condition met" for each; "error: timed out waiting for the condition" when
 * the timeout passes first (--timeout=0: one look), "error: no matching resources found" when nothing matched.
 */
async function waitCreated(ctx: CommandContext, timeout: number): Promise<void> {
  const deadline = ctx.io.clock.now() + timeout;
  for (;;) {
    const { targets, errors } = await visitObjects(ctx, ctx.args);
    if (!errors.some(isNotFound)) {
      if (errors.length) throw new ErrorList(errors);
      if (!targets.length) throw new RawError('error: no matching resources found');
      for (const t of targets) ctx.out(`${kindPrefix({ kind: t.kind, group: t.group })}/${t.name} condition met\n`);
      return;
    }
    if (ctx.io.signal?.aborted) return;
    if (ctx.io.clock.now() >= deadline) throw new RawError('error: timed out waiting for the condition');
    await ctx.io.clock.sleep(Math.min(500, deadline - ctx.io.clock.now()));
  }
}
