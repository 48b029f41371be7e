import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError, SilentExit, formatError } from '../cli/errors';
import { flagInt, type FlagSpec } from '../cli/parse-flags';
import { parseGoDuration } from '../cli/go-duration';
import type { CommandDef } from '../cli/commands-table';
import { dryRunMode } from '../apply/apply-targets';
import { cordonFlags, cordonNode, visitNodes } from './cordon';
import { goDurationString, podsForDeletion } from './drain-filters';

const drainFlags: FlagSpec[] = [
  ...cordonFlags,
  ...['force', 'ignore-daemonsets', 'delete-emptydir-data', 'delete-local-data', 'disable-eviction'].map((name) => ({ name, type: 'bool' as const })),
  { name: 'grace-period', type: 'int' }, { name: 'timeout', type: 'string' }, { name: 'pod-selector', type: 'string' },
  { name: 'skip-wait-for-delete-timeout', type: 'int' }, { name: 'chunk-size', type: 'int' },
];

const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 404;

/** Discovery's /api/v1 lists pods/eviction (kubectl's CheckEvictionSupport); false when it does not. */
async function evictionSupported(ctx: CommandContext): Promise<boolean> {
  const list = await ctx.io.client.call<{ resources?: { name: string; kind: string }[] }>({ method: 'GET', path: '/api/v1' });
  return !!list.resources?.some((r) => r.name === 'pods/eviction' && r.kind === 'Eviction');
}

class Drainer {
  readonly dry;
  readonly grace: number;
  readonly timeoutMs: number;

  constructor(private readonly ctx: CommandContext) {
    this.dry = dryRunMode(ctx);
    this.grace = ctx.flags.set.has('grace-period') ? flagInt(ctx.flags, 'grace-period', -1) : -1;
    this.timeoutMs = ctx.str('timeout') ? parseGoDuration(ctx.str('timeout'), 'timeout') : 0;
  }

  async podsOn(node: string) {
    const query: Record<string, string> = { fieldSelector: `spec.nodeName=${node}` };
    if (this.ctx.str('pod-selector')) query.labelSelector = this.ctx.str('pod-selector');
    const list = await this.ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: '/api/v1/pods', query });
    return podsForDeletion(list.items, {
      force: this.ctx.bool('force'),
      ignoreDaemonSets: this.ctx.bool('ignore-daemonsets'),
      deleteEmptyDirData: this.ctx.bool('delete-emptydir-data') || this.ctx.bool('delete-local-data'),
      daemonSetError: async (ns, name) => {
        try {
          await this.ctx.io.client.call({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/daemonsets/${name}` });
          return undefined;
        } catch (err) {
          if (err instanceof ApiError) return { message: err.message, notFound: isNotFound(err) };
          throw err;
        }
      },
    });
  }

  /** Polls each pod every second until it is gone (or replaced by a new uid), printing "pod/x <verb>". */
  private async waitGone(pods: Pod[], verb: string, deadline: number): Promise<Pod[]> {
    let pending = pods;
    for (;;) {
      const still: Pod[] = [];
      for (const pod of pending) {
        try {
          const live = await this.ctx.io.client.call<Pod>({ method: 'GET', path: `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}` });
          if (live.metadata?.uid !== pod.metadata?.uid) this.ctx.out(`pod/${pod.metadata?.name} ${verb}\n`);
          else still.push(pod);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          this.ctx.out(`pod/${pod.metadata?.name} ${verb}\n`);
        }
      }
      pending = still;
      if (!pending.length || this.ctx.io.clock.now() >= deadline || this.ctx.io.signal?.aborted) return pending;
      await this.ctx.io.clock.sleep(Math.min(1000, deadline - this.ctx.io.clock.now()));
    }
  }

  private deleteOptions(): Record<string, unknown> | undefined {
    const opts: Record<string, unknown> = {};
    if (this.grace >= 0) opts.gracePeriodSeconds = this.grace;
    if (this.dry.server) opts.dryRun = ['All'];
    return Object.keys(opts).length ? opts : undefined;
  }

  /** kubectl's evictPods: every pod concurrently; 429s (a PodDisruptionBudget) are retried every 5s until --timeout. */
  private async evict(pods: Pod[], deadline: number): Promise<string[]> {
    const one = async (pod: Pod): Promise<string | undefined> => {
      const ns = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      for (;;) {
        this.ctx.out(`evicting pod ${ns}/${name}${this.dry.server ? ' (server dry run)' : ''}\n`);
        if (this.ctx.io.clock.now() >= deadline) return `error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: global timeout reached: ${goDurationString(this.timeoutMs)}`;
        try {
          await this.ctx.io.client.call({
            method: 'POST',
            path: `/api/v1/namespaces/${ns}/pods/${name}/eviction`,
            body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, ...(this.deleteOptions() ? { deleteOptions: this.deleteOptions() } : {}) },
          });
          break;
        } catch (err) {
          if (isNotFound(err)) return undefined;
          if (!(err instanceof ApiError) || err.code !== 429) return `error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: ${err instanceof Error ? err.message : String(err)}`;
          this.ctx.err(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)} (will retry after 5s): ${err.message}\n`);
          if (this.ctx.io.signal?.aborted) return 'interrupted';
          await this.ctx.io.clock.sleep(5000);
        }
      }
      if (this.dry.server) return undefined;
      const left = await this.waitGone([pod], 'evicted', deadline);
      return left.length ? `error when waiting for pod ${JSON.stringify(name)} in namespace ${JSON.stringify(ns)} to terminate: global timeout reached: ${goDurationString(this.timeoutMs)}` : undefined;
    };
    return (await Promise.all(pods.map(one))).filter((e): e is string => !!e);
  }

  /** kubectl's deletePods (no eviction API, or --disable-eviction): deletes all, then waits for all. */
  private async delete(pods: Pod[], deadline: number): Promise<string[]> {
    for (const pod of pods) {
      try {
        await this.ctx.io.client.call({ method: 'DELETE', path: `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`, body: this.deleteOptions() });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (this.dry.server) return [];
    const left = await this.waitGone(pods, 'deleted', deadline);
    return left.length ? ['timed out waiting for the condition'] : [];
  }

  /** deleteOrEvictPodsSimple for one node; resolves with the errors that stop the drain (an aggregate in kubectl). */
  async drain(node: Node): Promise<unknown[]> {
    const name = node.metadata?.name ?? '';
    const list = await this.podsOn(name);
    if (list.errors.length) return list.errors.map((e) => new RawError(e));
    if (list.warnings) this.ctx.err(`Warning: ${list.warnings}\n`);
    if (this.dry.client) {
      for (const p of list.pods) this.ctx.out(`evicting pod ${p.metadata?.namespace}/${p.metadata?.name} (dry run)\n`);
      return [];
    }
    const deadline = this.timeoutMs > 0 ? this.ctx.io.clock.now() + this.timeoutMs : Number.MAX_SAFE_INTEGER;
    let errors: string[];
    try {
      errors = !this.ctx.bool('disable-eviction') && list.pods.length && (await evictionSupported(this.ctx)) ? await this.evict(list.pods, deadline) : await this.delete(list.pods, deadline);
    } catch (err) {
      errors = [err instanceof ApiError ? err.message : String(err)];
      this.reportPending(name, errors[0], await this.podsOn(name));
      return [err];
    }
    if (errors.length) this.reportPending(name, aggregateText(errors), await this.podsOn(name));
    return errors.map((e) => new RawError(e));
  }

  private reportPending(node: string, err: string, pending: { pods: Pod[] }): void {
    if (!pending.pods.length) return;
    this.ctx.err(`There are pending pods in node ${JSON.stringify(node)} when an error occurred: ${err}\n`);
    for (const p of pending.pods) this.ctx.err(`pod/${p.metadata?.name}\n`);
  }
}

/** utilerrors.Aggregate's Error(): the one message, or "[a, b]". */
function aggregateText(msgs: string[]): string {
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

/**
 * kubectl drain NODE… | -l: cordons every node first, then per node evicts (policy/v1 Eviction, when the
 * server lists pods/eviction and --disable-eviction is not set) or deletes its pods and waits for them to
 * go, printing kubectl's lines; the first node that cannot be drained stops the command (exit 1) with
 * "error: unable to drain node …" and the list of nodes still pending.
 */
export async function runDrain(ctx: CommandContext): Promise<void> {
  const drainer = new Drainer(ctx);
  const { nodes, errors } = await visitNodes(ctx, 'drain');
  if (errors.length) throw errors[0];
  for (const node of nodes) await cordonNode(ctx, node, true, 'cordoned');
  const drained = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const errs = await drainer.drain(node);
    if (!errs.length) {
      drained.add(name);
      ctx.out(`node/${name} drained${drainer.dry.suffix}\n`);
      continue;
    }
    const text = aggregateText(errs.map((e) => (e instanceof Error ? e.message : String(e))));
    ctx.err(`error: unable to drain node ${JSON.stringify(name)} due to error: ${text}, continuing command...\n`);
    ctx.err(`There are pending nodes to be drained:\n${nodes.filter((n) => !drained.has(n.metadata?.name ?? '')).map((n) => ` ${n.metadata?.name}\n`).join('')}`);
    ctx.err(errs.length === 1 && errs[0] instanceof ApiError ? formatError(errs[0]) : errs.map((e) => `${e instanceof Error ? e.message : String(e)}\n`).join(''));
    throw new SilentExit(1);
  }
}

export const drainCommand: CommandDef = { name: 'drain', short: 'Drain node in preparation for maintenance', usage: 'kubectl drain NODE [options]', flags: drainFlags, run: runDrain };
