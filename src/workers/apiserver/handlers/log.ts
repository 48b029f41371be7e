import type { Pod } from 'kubernetes-types/core/v1';
import type { Remote } from 'comlink';
import type { ApiResponse, KubeletApi, LogOptions } from '../../../api/protocol';
import { Nodes } from '../../../api/resources';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, badRequest, notFound } from '../errors';
import { failureStatus } from '../../../api/status';
import { loadObject } from './get';

function names(cs: Array<{ name: string }> | undefined): string {
  return (cs ?? []).map((c) => c.name).join(' ');
}

function intParam(rr: ResourceRequest, key: string): number | undefined {
  const v = rr.query[key];
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${key}: ${v}`);
  return Number(v);
}

export interface LogTarget {
  pod: Pod;
  container: string;
  opts: LogOptions;
  /** undefined for an unscheduled pod (its log is empty). */
  kubelet?: KubeletApi | Remote<KubeletApi>;
}

/**
 * Resolves pods/<name>/log to a kubelet, container and options, with kube's LogLocation errors
 * (400 for a missing/invalid container, 404 for the pod or an unknown node, 500 when the node's
 * kubelet is not connected).
 */
export async function resolveLogTarget(ctx: ApiContext, rr: ResourceRequest): Promise<LogTarget> {
  const pod = (await loadObject(ctx, rr)).obj as unknown as Pod;
  const name = rr.name!;
  const spec = pod.spec ?? { containers: [] };
  let container = rr.query.container ?? '';
  if (!container) {
    const cs = spec.containers ?? [];
    if (cs.length === 1) container = cs[0].name;
    else if (cs.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${names(cs)}]`;
      if ((spec.initContainers ?? []).length) msg += ` or one of the init containers: [${names(spec.initContainers)}]`;
      if ((spec.ephemeralContainers ?? []).length) msg += ` or one of the ephemeral containers: [${names(spec.ephemeralContainers)}]`;
      throw badRequest(msg);
    }
  } else if (![...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const opts: LogOptions = {};
  if (rr.query.previous === 'true') opts.previous = true;
  if (rr.query.timestamps === 'true') opts.timestamps = true;
  const tail = intParam(rr, 'tailLines');
  if (tail !== undefined) opts.tailLines = tail;
  const since = intParam(rr, 'sinceSeconds');
  if (since !== undefined) opts.sinceSeconds = since;
  const limit = intParam(rr, 'limitBytes');
  if (limit !== undefined) opts.limitBytes = limit;
  const nodeName = spec.nodeName;
  if (!nodeName) return { pod, container, opts };
  const kubelet = ctx.dialNode?.(nodeName);
  if (!kubelet) {
    if (!(await ctx.store.get(`/registry/nodes/${nodeName}`)).kv) throw notFound(Nodes, nodeName);
    const msg = `Get "https://${nodeName}:10250/containerLogs/${pod.metadata?.namespace}/${name}/${container}": dial tcp ${nodeName}:10250: connect: connection refused`;
    throw new ApiServerError(500, failureStatus('InternalError', msg));
  }
  return { pod, container, opts, kubelet };
}

/** Calls the kubelet; its rejection becomes 400 BadRequest with the kubelet's message. */
export async function fetchLog(t: LogTarget, opts: LogOptions = t.opts): Promise<string> {
  if (!t.kubelet) return '';
  try {
    return await t.kubelet.containerLogs(t.pod.metadata?.namespace ?? '', t.pod.metadata?.name ?? '', t.container, opts);
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
}

/**
 * GET pods/<name>/log: text from the node's kubelet (KubeletApi.containerLogs). An unscheduled pod has
 * an empty log (kube's LogLocation returns no location, hence an empty stream).
 */
export async function logHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const target = await resolveLogTarget(ctx, rr);
  return { status: 200, body: await fetchLog(target), headers: { 'content-type': 'text/plain' } };
}
