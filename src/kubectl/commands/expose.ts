import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunMode } from '../apply/apply-targets';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { createCommonFlags, objectMeta, sortedMap } from './generators/generator';
import { podSpecPath } from './set-image';
import { visitObjects, type KubeObj } from './visit-objects';

const s = (name: string): FlagSpec => ({ name, type: 'string' });
export const exposeFlags: FlagSpec[] = [
  ...createCommonFlags, { name: 'filename', short: 'f', type: 'stringSlice' }, { name: 'recursive', short: 'R', type: 'bool' }, s('kustomize'),
  s('port'), s('target-port'), s('protocol'), s('type'), s('name'), { name: 'labels', short: 'l', type: 'string' }, s('selector'),
  s('external-ip'), s('cluster-ip'), s('load-balancer-ip'), s('session-affinity'), s('override-type'), s('overrides'), s('container-port'),
];

interface ContainerPort {
  containerPort: number;
  protocol?: string;
}

/** The selector a Service gets for obj (kubectl's MapBasedSelectorForObject). */
function selectorFor(obj: KubeObj): Record<string, string> {
  const kind = String(obj.kind);
  const spec = (obj.spec ?? {}) as { selector?: Record<string, unknown>; template?: KubeObj };
  if (kind === 'Pod') {
    if (!obj.metadata?.labels || !Object.keys(obj.metadata.labels).length) throw new RawError(`error: the pod has no labels and cannot be exposed`);
    return obj.metadata.labels;
  }
  if (kind === 'Service' || kind === 'ReplicationController') {
    if (!spec.selector) throw new RawError(`error: the ${kind === 'Service' ? 'service' : 'replication controller'} has no pod selector set`);
    return spec.selector as Record<string, string>;
  }
  if (kind === 'Deployment' || kind === 'ReplicaSet') {
    const sel = spec.selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
    if (sel?.matchExpressions?.length) throw new RawError(`error: couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
    return sel?.matchLabels ?? {};
  }
  throw new RawError(`error: cannot expose a ${kind}`);
}

/** Ports a Service exposes when --port is absent (kubectl's PortsForObject / ProtocolsForObject). */
function portsFor(obj: KubeObj): ContainerPort[] {
  if (obj.kind === 'Service') return ((obj.spec as { ports?: { port: number; protocol?: string }[] }).ports ?? []).map((p) => ({ containerPort: p.port, protocol: p.protocol }));
  const path = podSpecPath(obj);
  const spec = path?.reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, obj);
  return ((spec?.containers as { ports?: ContainerPort[] }[] | undefined) ?? []).flatMap((c) => c.ports ?? []);
}

/**
 * kubectl expose (deployment|replicaset|rc|pod|service) NAME [--port] [--target-port] [--type] [--name]:
 * a Service selecting the object's pods, labelled like the object; ports from --port or the
 * containers. Prints "service/NAME exposed" or the Service with -o.
 */
export async function runExpose(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const dry = dryRunMode(ctx);
  if (!ctx.args.length && !ctx.list('filename').length) {
    throw new RawError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  for (const t of targets) {
    const selector = ctx.str('selector')
      ? Object.fromEntries(ctx.str('selector').split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]))
      : selectorFor(t.obj);
    const labels = ctx.str('labels') ? Object.fromEntries(ctx.str('labels').split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)])) : (t.obj.metadata?.labels ?? {});
    let ports: ContainerPort[] = ctx.str('port') ? ctx.str('port').split(',').map((p) => ({ containerPort: Number(p) })) : portsFor(t.obj);
    if (!ports.length) throw new RawError(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`);
    if (ctx.str('protocol')) ports = ports.map((p) => ({ ...p, protocol: ctx.str('protocol') }));
    const target = ctx.str('target-port') || ctx.str('container-port');
    const servicePorts = ports.map((p, i) => {
      const sp: Record<string, unknown> = {};
      if (ports.length > 1) sp.name = `port-${i + 1}`;
      sp.protocol = p.protocol ?? 'TCP';
      sp.port = p.containerPort;
      sp.targetPort = target ? (/^\d+$/.test(target) ? Number(target) : target) : p.containerPort;
      return sp;
    });
    const name = ctx.str('name') || t.name;
    const spec: Record<string, unknown> = { ports: servicePorts, selector: sortedMap(selector) };
    if (ctx.str('cluster-ip')) spec.clusterIP = ctx.str('cluster-ip');
    if (ctx.str('type')) spec.type = ctx.str('type');
    if (ctx.str('external-ip')) spec.externalIPs = [ctx.str('external-ip')];
    if (ctx.str('session-affinity')) spec.sessionAffinity = ctx.str('session-affinity');
    if (ctx.str('load-balancer-ip')) spec.loadBalancerIP = ctx.str('load-balancer-ip');
    const svc = { kind: 'Service', apiVersion: 'v1', metadata: objectMeta(name, labels, t.namespace && ctx.explicitNamespace ? t.namespace : undefined), spec, status: { loadBalancer: {} } };
    const result = dry.client
      ? svc
      : await ctx.io.client.call<Record<string, unknown>>({
          method: 'POST',
          path: resourcePath({ group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true }, t.namespace ?? ctx.namespace),
          body: svc,
          query: { fieldManager: ctx.str('field-manager') || 'kubectl-expose', fieldValidation: 'Strict', ...(dry.server ? { dryRun: 'All' } : {}) },
        });
    if (format.format) ctx.out(printObjects([result], format, true, { typed: dry.client }));
    else ctx.out(`service/${name} exposed${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}
