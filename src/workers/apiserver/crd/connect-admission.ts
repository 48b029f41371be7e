import { attributesFor } from '../admission/admission';
import type { ApiContext, ResourceRequest } from '../context';
import type { KubeObject } from '../registry/strategy';
import { validatingAdmissionPolicy } from './admission-policy';

const on = (rr: ResourceRequest, k: string) => rr.query[k] === 'true' || rr.query[k] === '1';

/**
 * The options object a CONNECT is admitted with (v1 PodExecOptions / PodAttachOptions /
 * PodPortForwardOptions, as the connect handler decodes them from the query; false flags omitted).
 */
export function connectOptions(rr: ResourceRequest): KubeObject {
  const flags = Object.fromEntries(['stdin', 'stdout', 'stderr', 'tty'].filter((k) => on(rr, k)).map((k) => [k, true]));
  const container = rr.query.container ? { container: rr.query.container } : {};
  if (rr.subresource === 'portforward') {
    const ports = (rr.query.ports ?? rr.query.port ?? '').split(',').filter(Boolean).map(Number);
    return { kind: 'PodPortForwardOptions', apiVersion: 'v1', ...(ports.length ? { ports } : {}) };
  }
  if (rr.subresource === 'attach') return { kind: 'PodAttachOptions', apiVersion: 'v1', ...flags, ...container };
  const command = (rr.query.command ?? '').split('\0').filter((w, i, all) => w !== '' || all.length > 1);
  return { kind: 'PodExecOptions', apiVersion: 'v1', ...flags, ...container, command };
}

/**
 * handlers.ConnectResource's admission (1.32): before the pod is looked up, a CONNECT of pods/exec,
 * pods/attach or pods/portforward is validated by ValidatingAdmissionPolicy (the only validating plugin here
 * that handles CONNECT) with object = the options (connectOptions), oldObject null, request.operation
 * CONNECT, request.kind v1 PodExecOptions/…, name the pod's. A denial throws (403/422 …, `pods "<name>" is
 * forbidden: ValidatingAdmissionPolicy '<p>' with binding '<b>' denied request: <message>`).
 */
export async function admitConnect(ctx: ApiContext, rr: ResourceRequest): Promise<void> {
  const options = connectOptions(rr);
  const a = attributesFor(ctx, rr, 'CONNECT', options);
  a.name = rr.name ?? '';
  a.ref = { ...a.ref, kind: String(options.kind) };
  await validatingAdmissionPolicy.validate!(a);
}
