import type { Container, EnvVar, EphemeralContainer, Pod, SecurityContext } from 'kubernetes-types/core/v1';
import { Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { attachToContainer, findContainer } from './attach';
import { debugNode, nodeTarget, randomSuffix } from './debug-node';
import { waitForPod } from './run';

const b = (name: string, short?: string): FlagSpec => ({ name, type: 'bool', ...(short ? { short } : {}) });
const s = (name: string, short?: string): FlagSpec => ({ name, type: 'string', ...(short ? { short } : {}) });

export const debugFlags: FlagSpec[] = [
  b('arguments-only'), b('attach'), s('container', 'c'), s('copy-to'), s('custom'), { name: 'env', type: 'stringArray' },
  { name: 'filename', short: 'f', type: 'stringSlice' }, s('image'), s('image-pull-policy'), b('keep-annotations'), b('keep-init-containers'),
  b('keep-labels'), b('keep-liveness'), b('keep-readiness'), b('keep-startup'), s('profile'), b('quiet', 'q'), b('replace'), b('same-node'),
  { name: 'set-image', type: 'stringSlice' }, b('share-processes'), b('stdin', 'i'), s('target'), b('tty', 't'),
];

const PROFILES = ['legacy', 'general', 'baseline', 'netadmin', 'restricted', 'sysadmin'];
/** The securityContext each debug profile gives the debug container (legacy, general and baseline: none). */
const PROFILE_SECURITY: Record<string, SecurityContext | undefined> = {
  restricted: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  netadmin: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
  sysadmin: { privileged: true },
};

/** A debugger-xxxxx name (kubectl's suffix is random; see randomSuffix), skipping names the pod already has. */
function debugName(ctx: CommandContext, pod: Pod): string {
  const seedText = pod.metadata?.uid ?? pod.metadata?.name ?? '';
  for (let salt = Number(pod.metadata?.resourceVersion ?? 0); ; salt++) {
    const name = `debugger-${randomSuffix(ctx, seedText, salt)}`;
    if (!findContainer(pod, name)) return name;
  }
}

function envOf(ctx: CommandContext): EnvVar[] {
  return ctx.list('env').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? { name: kv, value: '' } : { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
}

/**
 * kubectl debug POD --image=IMAGE [-c NAME] [--target=C] [-i] [-t] [--attach] [--copy-to=NAME] [-- COMMAND…], as
 * kubectl 1.32: validates (kubectl's errors and notices, the legacy-profile deprecation line), then either
 * PATCHes pods/NAME/ephemeralcontainers (strategic merge) adding the debug container, or with --copy-to creates
 * a copy of the pod with the debug container added (or -c's container changed), or for node/NAME creates a
 * node-debugger pod on that node (debug-node.ts); with -i (or --attach) it waits
 * until that container runs, then attaches (or prints its log when it already ended).
 */
export async function runDebug(ctx: CommandContext): Promise<void> {
  const dash = ctx.flags.argsLenAtDash;
  const names = dash >= 0 ? ctx.args.slice(0, dash) : ctx.args;
  const command = dash >= 0 ? ctx.args.slice(dash) : [];
  const stdin = ctx.bool('stdin');
  const tty = ctx.bool('tty');
  const attach = ctx.flags.set.has('attach') ? ctx.bool('attach') : stdin;
  const image = ctx.str('image');
  const copyTo = ctx.str('copy-to');
  const container = ctx.str('container');
  const quiet = ctx.bool('quiet');
  const profile = ctx.str('profile') || 'legacy';
  if (ctx.flags.set.has('attach') && attach && !image && !container) throw new RawError('error: you must specify --container or create a new container using --image in order to attach.');
  if (copyTo) {
    if (!image && !ctx.list('set-image').length && !command.length) throw new RawError('error: you must specify --image, --set-image or command arguments.');
    if (command.length && !container && !image) throw new RawError('error: you must specify an existing container or a new image when specifying args.');
  } else if (ctx.bool('replace')) throw new RawError('error: --replace may only be used with --copy-to.');
  else if (ctx.bool('same-node')) throw new RawError('error: --same-node may only be used with --copy-to.');
  else if (ctx.list('set-image').length) throw new RawError('error: --set-image may only be used with --copy-to.');
  else if (!image) throw new RawError('error: you must specify --image when not using --copy-to.');
  if (!names.length && !ctx.list('filename').length) throw new RawError('error: NAME or filename is required for debug');
  const pull = ctx.str('image-pull-policy');
  if (pull && !['Always', 'IfNotPresent', 'Never'].includes(pull)) throw new RawError(`error: invalid image pull policy: ${pull}`);
  const target = ctx.str('target');
  if (target) {
    if (copyTo) throw new RawError('error: --target is incompatible with --copy-to. Use --share-processes instead.');
    if (!quiet) ctx.out(`Targeting container "${target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  }
  if (tty && !stdin) throw new RawError('error: -i/--stdin is required for containers with -t/--tty=true');
  if (!PROFILES.includes(profile)) throw new RawError(`error: unknown profile: ${profile}`);
  if (profile === 'legacy') ctx.err('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n');

  for (const name of names) {
    const node = nodeTarget(name);
    if (node !== undefined) {
      const o = { container: container || 'debugger', image, env: envOf(ctx), pullPolicy: pull, stdin, tty, command, argsOnly: ctx.bool('arguments-only'), profile, quiet };
      const created = await debugNode(ctx, node, o);
      if (attach) await attachDebug(ctx, created.podName, created.container);
      continue;
    }
    const pod = await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ctx.namespace, name) });
    const debugContainer = (p: Pod) => (container ? container : quietName(ctx, debugName(ctx, p), quiet));
    const common = (cname: string): Container => ({
      name: cname,
      ...(image ? { image } : {}),
      ...(command.length ? (ctx.bool('arguments-only') ? { args: command } : { command }) : {}),
      ...(envOf(ctx).length ? { env: envOf(ctx) } : {}),
      ...(pull ? { imagePullPolicy: pull } : {}),
      terminationMessagePolicy: 'File',
      ...(stdin ? { stdin: true } : {}),
      ...(tty ? { tty: true } : {}),
      ...(PROFILE_SECURITY[profile] ? { securityContext: structuredClone(PROFILE_SECURITY[profile]) } : {}),
    });
    let podName = name;
    let cname: string;
    if (copyTo) {
      const copied = copyPod(ctx, pod, copyTo);
      cname = container || '';
      const existing = cname ? copied.spec!.containers.find((c) => c.name === cname) : undefined;
      if (existing) Object.assign(existing, common(cname), { image: image || existing.image });
      else if (image) {
        cname = debugContainer(copied);
        copied.spec!.containers.push(common(cname));
      } else cname = '';
      await ctx.io.client.call({ method: 'POST', path: resourcePath(Pods, ctx.namespace), body: copied });
      if (ctx.bool('replace')) await ctx.io.client.call({ method: 'DELETE', path: resourcePath(Pods, ctx.namespace, name), body: { gracePeriodSeconds: 0 } });
      podName = copyTo;
    } else {
      cname = debugContainer(pod);
      const ec: EphemeralContainer = { ...(common(cname) as EphemeralContainer), ...(target ? { targetContainerName: target } : {}) };
      try {
        await ctx.io.client.call({ method: 'PATCH', path: resourcePath(Pods, pod.metadata?.namespace ?? ctx.namespace, name, 'ephemeralcontainers'), contentType: 'application/strategic-merge-patch+json', body: { spec: { ephemeralContainers: [ec] } } });
      } catch (err) {
        const e = err as { code?: number; status?: { details?: { name?: string } }; message?: string };
        if (e.code === 404 && !e.status?.details?.name) throw new RawError(`error: ephemeral containers are disabled for this cluster (error from server: ${JSON.stringify(e.message ?? '')})`);
        throw err;
      }
    }
    if (attach && cname) await attachDebug(ctx, podName, cname);
  }
}

function quietName(ctx: CommandContext, name: string, quiet: boolean): string {
  if (!quiet) ctx.out(`Defaulting debug container name to ${name}.\n`);
  return name;
}

/** generatePodCopyWithDebugContainer: labels, annotations and spec (no ephemeral containers; unscheduled unless --same-node). */
function copyPod(ctx: CommandContext, pod: Pod, name: string): Pod {
  const spec = structuredClone(pod.spec!);
  delete spec.ephemeralContainers;
  if (ctx.flags.set.has('share-processes')) spec.shareProcessNamespace = ctx.bool('share-processes');
  if (!ctx.bool('same-node')) delete spec.nodeName;
  const images = new Map(ctx.list('set-image').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  for (const c of spec.containers) {
    const img = images.get(c.name) ?? images.get('*');
    if (img) c.image = img;
  }
  const meta = pod.metadata ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: meta.namespace, ...(meta.labels ? { labels: meta.labels } : {}), ...(meta.annotations ? { annotations: meta.annotations } : {}) }, spec };
}

const statusOf = (pod: Pod, name: string) =>
  [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s) => s.name === name);

/** handleAttachPod: wait until the container runs (or ended: its log instead), then attach as `kubectl attach` does. */
async function attachDebug(ctx: CommandContext, podName: string, cname: string): Promise<void> {
  const { pod } = await waitForPod(ctx, podName, (p) => !!(statusOf(p, cname)?.state?.running || statusOf(p, cname)?.state?.terminated), 0);
  const logs = async () => {
    const text = await ctx.io.client.call<unknown>({ method: 'GET', path: resourcePath(Pods, ctx.namespace, podName, 'log'), query: { container: cname } });
    ctx.out(typeof text === 'string' ? text : JSON.stringify(text));
  };
  if (statusOf(pod, cname)?.state?.terminated) return logs();
  const found = findContainer(pod, cname);
  if (!found) throw new RawError(`error: cannot attach to the container: container ${cname} not found in pod ${podName}`);
  try {
    await attachToContainer(ctx, pod, found);
  } catch (err) {
    ctx.err(`warning: couldn't attach to pod/${podName}, falling back to streaming logs: ${(err instanceof Error ? err.message : String(err)).replace(/^error: /, '')}\n`);
    await logs();
  }
}

export const debugCommand: CommandDef = {
  name: 'debug',
  short: 'Create debugging sessions for troubleshooting workloads and nodes',
  usage: 'kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]',
  flags: debugFlags,
  run: runDebug,
};
