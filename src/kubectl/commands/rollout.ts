import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { ErrorList, RawError } from '../cli/errors';
import { flagInt, type FlagSpec } from '../cli/parse-flags';
import { tabwrite, describeTabOptions } from '../printers/tabwriter';
import { kindPrefix } from '../resource-mapper';
import { visitObjects, type KubeObj, type Target } from './visit-objects';
import { controllerRevisions, undoWithRevisions, workloadStatus } from './rollout-revisions';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });
const b = (name: string, short?: string): FlagSpec => ({ name, short, type: 'bool' });
const i = (name: string): FlagSpec => ({ name, type: 'int' });
const common: FlagSpec[] = [{ name: 'filename', short: 'f', type: 'stringSlice' }, b('recursive', 'R'), s('kustomize', 'k'), s('selector', 'l'), s('output', 'o'), s('template')];

interface Deployment extends KubeObj {
  spec?: { replicas?: number; paused?: boolean; selector?: { matchLabels?: Record<string, string> }; template?: KubeObj };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; reason?: string }[] };
}

async function deployments(ctx: CommandContext): Promise<Target[]> {
  if (!ctx.args.length && !ctx.list('filename').length) throw new RawError(`error: required resource not specified`);
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  if (errors.length) throw new ErrorList(errors);
  return targets;
}

const label = (t: Target) => `${kindPrefix({ kind: t.kind, group: t.group })}/${t.name}`;
const resourceName = (t: Target) => (t.info ? (t.info.group ? `${t.info.resource}.${t.info.group}` : t.info.resource) : t.kind);

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** kubectl's errors for kinds without a history viewer / rollbacker (polymorphichelpers' visitor). */
function requireWorkload(t: Target, what: 'history' | 'rollbacker' | 'restart'): void {
  if (WORKLOADS.includes(t.kind) && t.group === 'apps') return;
  if (what === 'restart') throw new RawError(`error: ${resourceName(t)} "${t.name}" restarting is not supported`);
  throw new RawError(`error: error retrieving ${what} for "${t.kind}", no visitor method exists for {${t.group} ${t.kind}}`);
}


async function patch(ctx: CommandContext, t: Target, body: unknown, type = 'application/strategic-merge-patch+json'): Promise<void> {
  if (!t.info) return;
  await ctx.io.client.call({ method: 'PATCH', path: resourcePath(t.info, t.namespace, t.name), body, contentType: type, query: { fieldManager: 'kubectl-rollout' } });
}

/** The message kubectl's DeploymentStatusViewer prints for a deployment, and whether it is done. */
export function deploymentStatus(d: Deployment): { message: string; done: boolean } {
  const name = d.metadata?.name ?? '';
  const gen = (d.metadata as { generation?: number } | undefined)?.generation ?? 0;
  const st = d.status ?? {};
  if (gen > (st.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
  if (st.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) throw new RawError(`error: deployment "${name}" exceeded its progress deadline`);
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
  if ((st.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
  if ((st.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}

/** rollout status: prints the status on each change (polling once per cluster second) until done, --watch=false, or Ctrl-C. */
async function runStatus(ctx: CommandContext): Promise<void> {
  for (const t of await deployments(ctx)) {
    if (!WORKLOADS.includes(t.kind) || t.group !== 'apps') throw new RawError(`error: no status viewer has been implemented for ${t.kind}`);
    let last = '';
    for (;;) {
      if (ctx.io.signal?.aborted) return;
      const d = await ctx.io.client.call<Deployment>({ method: 'GET', path: resourcePath(t.info!, t.namespace, t.name) });
      const { message, done } = t.kind === 'Deployment' ? deploymentStatus(d) : workloadStatus({ ...t, obj: d });
      if (message !== last) ctx.out(message);
      last = message;
      if (done || (ctx.flags.set.has('watch') && !ctx.bool('watch'))) break;
      await ctx.io.clock.sleep(1000);
    }
  }
}

async function runRestart(ctx: CommandContext): Promise<void> {
  for (const t of await deployments(ctx)) {
    requireWorkload(t, 'restart');
    if (t.kind === 'Deployment' && (t.obj as Deployment).spec?.paused) throw new RawError(`error: can't restart paused deployment (run rollout resume first)`);
    const at = new Date(ctx.io.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await patch(ctx, t, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
    ctx.out(`${label(t)} restarted\n`);
  }
}

function pauser(paused: boolean) {
  return async (ctx: CommandContext): Promise<void> => {
    const errors: unknown[] = [];
    for (const t of await deployments(ctx)) {
      if (t.kind !== 'Deployment') {
        errors.push(new RawError(`error: ${resourceName(t)} "${t.name}" ${paused ? 'pausing' : 'resuming'} is not supported`));
        continue;
      }
      if (!!(t.obj as Deployment).spec?.paused === paused) {
        errors.push(new RawError(`error: ${resourceName(t)} "${t.name}" ${paused ? 'is already paused' : 'is not paused'}`));
        continue;
      }
      await patch(ctx, t, { spec: { paused: paused ? true : null } }, 'application/merge-patch+json');
      ctx.out(`${label(t)} ${paused ? 'paused' : 'resumed'}\n`);
    }
    if (errors.length) throw new ErrorList(errors);
  };
}

/** The deployment's ReplicaSets (owned, matching its selector) by revision number. */
async function revisions(ctx: CommandContext, t: Target): Promise<Map<number, KubeObj>> {
  const d = t.obj as Deployment;
  const selector = Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const rsPath = `/apis/apps/v1/namespaces/${t.namespace ?? ctx.namespace}/replicasets`;
  const list = await ctx.io.client.call<{ items: KubeObj[] }>({ method: 'GET', path: rsPath, query: selector ? { labelSelector: selector } : undefined });
  const uid = (d.metadata as { uid?: string } | undefined)?.uid;
  const out = new Map<number, KubeObj>();
  for (const rs of list.items) {
    const owners = (rs.metadata as { ownerReferences?: { uid?: string }[] } | undefined)?.ownerReferences ?? [];
    if (uid && !owners.some((o) => o.uid === uid)) continue;
    const rev = Number(rs.metadata?.annotations?.[REVISION] ?? NaN);
    if (Number.isInteger(rev)) out.set(rev, rs);
  }
  return out;
}

async function runHistory(ctx: CommandContext): Promise<void> {
  for (const t of await deployments(ctx)) {
    requireWorkload(t, 'history');
    const revs = t.kind === 'Deployment' ? await revisions(ctx, t) : await controllerRevisions(ctx, t);
    const wanted = flagInt(ctx.flags, 'revision', 0);
    if (wanted > 0) {
      if (!revs.has(wanted)) throw new RawError(`error: unable to find the specified revision`);
      throw new RawError('error: --revision is not supported yet by this kubectl');
    }
    const sorted = [...revs.keys()].sort((x, y) => x - y);
    let table = 'REVISION\tCHANGE-CAUSE\n';
    for (const r of sorted) table += `${r}\t${revs.get(r)?.metadata?.annotations?.[CHANGE_CAUSE] || '<none>'}\n`;
    ctx.out(`${label(t)} \n${sorted.length ? tabwrite(table, describeTabOptions) : 'No rollout history found.'}\n`);
  }
}

async function runUndo(ctx: CommandContext): Promise<void> {
  for (const t of await deployments(ctx)) {
    requireWorkload(t, 'rollbacker');
    if (t.kind !== 'Deployment') {
      ctx.out(`${label(t)} ${await undoWithRevisions(ctx, t, flagInt(ctx.flags, 'to-revision', 0))}\n`);
      continue;
    }
    const d = t.obj as Deployment;
    if (d.spec?.paused) throw new RawError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
    const revs = await revisions(ctx, t);
    let to = flagInt(ctx.flags, 'to-revision', 0);
    if (to === 0) {
      const sorted = [...revs.keys()].sort((x, y) => y - x);
      if (sorted.length < 2) throw new RawError(`error: no rollout history found for deployment "${t.name}"`);
      to = sorted[1];
    }
    const rs = revs.get(to);
    if (!rs) throw new RawError(`error: unable to find specified revision ${to} in history`);
    const template = structuredClone((rs.spec as { template?: KubeObj } | undefined)?.template ?? {});
    const labels = { ...(template.metadata?.labels ?? {}) };
    delete labels['pod-template-hash'];
    template.metadata = { ...template.metadata, labels };
    if (JSON.stringify(template) === JSON.stringify(d.spec?.template)) {
      ctx.out(`${label(t)} skipped rollback (current template already matches revision ${to})\n`);
      continue;
    }
    const annotations = { ...(d.metadata?.annotations ?? {}) };
    for (const k of Object.keys(rs.metadata?.annotations ?? {})) if (k !== REVISION && !k.startsWith('deployment.kubernetes.io/')) annotations[k] = rs.metadata!.annotations![k];
    await patch(ctx, t, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ], 'application/json-patch+json');
    ctx.out(`${label(t)} rolled back\n`);
  }
}

const sub = (name: string, short: string, flags: FlagSpec[], run: (ctx: CommandContext) => Promise<void>): CommandDef => ({
  name,
  short,
  usage: `kubectl rollout ${name} RESOURCE [options]`,
  flags: [...common, ...flags],
  run,
});

/** kubectl rollout status|history|undo|restart for Deployments, StatefulSets and DaemonSets; pause|resume for Deployments. */
export const rolloutCommand: CommandDef = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  usage: 'kubectl rollout SUBCOMMAND [options]',
  flags: [],
  subcommands: [
    sub('history', 'View rollout history', [i('revision')], runHistory),
    sub('pause', 'Mark the provided resource as paused', [s('field-manager')], pauser(true)),
    sub('restart', 'Restart a resource', [s('field-manager')], runRestart),
    sub('resume', 'Resume a paused resource', [s('field-manager')], pauser(false)),
    sub('status', 'Show the status of the rollout', [b('watch', 'w'), i('revision'), s('timeout')], runStatus),
    sub('undo', 'Undo a previous rollout', [i('to-revision'), { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' }], runUndo),
  ],
  async run(ctx) {
    ctx.out(
      'Manage the deployment of one or more resources.\n\nAvailable Commands:\n' +
        (this.subcommands ?? []).map((c) => `  ${c.name.padEnd(11)}${c.short}\n`).join('') +
        '\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n',
    );
  },
};
