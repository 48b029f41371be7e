import type { Pod } from 'kubernetes-types/core/v1';
import { Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { ApiError } from '../../api/status';
import { flagInt } from '../cli/parse-flags';
import { podForObject } from './pod-for-object';
import { stopOnAbort } from '../cli/stop-on-abort';

const USAGE = `error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.
POD or TYPE/NAME is a required argument for the logs command
See 'kubectl logs -h' for help and examples`;

/**
 * kubectl logs (POD | TYPE/NAME) [-c C] [--tail N] [--timestamps] [--previous] [-f]: TYPE/NAME picks a
 * pod of the workload (podForObject). Reads the pod to pick the
 * container (kubectl.kubernetes.io/default-container, else the first, announcing the choice on stderr
 * when there are several), then prints pods/log as is. -f streams until the server ends the stream or
 * io.signal aborts.
 */
export async function runLogs(ctx: CommandContext): Promise<void> {
  const [arg, maybeContainer] = ctx.args;
  if (!arg) throw new RawError(USAGE);
  const ns = ctx.namespace;
  // kubectl words the builder's NotFound for the pod (or TYPE/NAME) with the namespace.
  const notFound = (err: unknown) => {
    throw err instanceof ApiError && err.code === 404 ? new RawError(`error: error from server (NotFound): ${err.message} in namespace "${ns}"`) : err;
  };
  let podName = arg;
  if (arg.includes('/')) {
    const [type, name] = arg.split('/', 2);
    podName = ['pod', 'pods', 'po'].includes(type.toLowerCase()) ? name : await podForObject(ctx, type, name).catch(notFound);
  }
  const pod = await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ns, podName) }).catch(notFound);
  let container = ctx.str('container') || maybeContainer || '';
  if (!container) {
    const spec = pod.spec;
    const names = spec?.containers?.map((c) => c.name) ?? [];
    const preferred = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    container = preferred && names.includes(preferred) ? preferred : (names[0] ?? '');
    const allNames = [...names, ...(spec?.initContainers ?? []).map((c) => `${c.name} (init)`), ...(spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`)];
    if (allNames.length > 1 && !preferred) ctx.err(`Defaulted container "${container}" out of: ${allNames.join(', ')}\n`);
  }
  const query: Record<string, string> = { container };
  if (ctx.flags.set.has('tail')) query.tailLines = String(flagInt(ctx.flags, 'tail', -1));
  if (ctx.bool('timestamps')) query.timestamps = 'true';
  if (ctx.bool('previous')) query.previous = 'true';
  if (ctx.flags.set.has('limit-bytes')) query.limitBytes = String(flagInt(ctx.flags, 'limit-bytes', 0));
  if (query.tailLines === '-1') delete query.tailLines;
  const path = resourcePath(Pods, ns, podName, 'log');
  if (!ctx.bool('follow')) {
    const text = await ctx.io.client.call<unknown>({ method: 'GET', path, query });
    ctx.out(typeof text === 'string' ? text : JSON.stringify(text));
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const sub = ctx.io.client.openStream<string>(
      { method: 'GET', path, query: { ...query, follow: 'true' } },
      (chunk) => void ctx.out(String(chunk)),
      (err) => (err ? reject(err) : resolve()),
    );
    stopOnAbort(ctx.io.signal, sub, resolve);
  });
}
