import type { Pod } from 'kubernetes-types/core/v1';
import type { ApiResponse, LogOptions } from '../../../api/protocol';
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

/**
 * GET pods/<name>/log: text from the node's kubelet (KubeletApi.containerLogs). Container choice and
 * errors follow kube's LogLocation; an unscheduled pod has an empty log (kube returns an empty stream);
 * a kubelet rejection is 400 BadRequest with the kubelet's message.
 */
export async function logHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
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
  const text = { 'content-type': 'text/plain' };
  const nodeName = spec.nodeName;
  if (!nodeName) return { status: 200, body: '', headers: text };
  const kubelet = ctx.dialNode?.(nodeName);
  if (!kubelet) {
    if (!(await ctx.store.get(`/registry/nodes/${nodeName}`)).kv) throw notFound(Nodes, nodeName);
    const msg = `Get "https://${nodeName}:10250/containerLogs/${pod.metadata?.namespace}/${name}/${container}": dial tcp ${nodeName}:10250: connect: connection refused`;
    throw new ApiServerError(500, failureStatus('InternalError', msg));
  }
  try {
    const body = await kubelet.containerLogs(pod.metadata?.namespace ?? '', name, container, opts);
    return { status: 200, body, headers: text };
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
}
