import type { Container, Node, Pod, SecurityContext } from 'kubernetes-types/core/v1';
import { NAME_ALPHABET } from '../../api/ids';
import { Nodes, Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';

/** `node/NAME`, `nodes/NAME`, `no/NAME` (any case, optionally `.v1`): the node's name; undefined for other args. */
export function nodeTarget(arg: string): string | undefined {
  const slash = arg.indexOf('/');
  if (slash < 0) return undefined;
  const type = arg.slice(0, slash).toLowerCase().replace(/\.v1$/, '');
  return ['node', 'nodes', 'no'].includes(type) ? arg.slice(slash + 1) : undefined;
}

/**
 * kubectl's utilrand.String(5) stand-in: core code has no randomness, so the suffix is derived from the
 * clock and a seed text (the node or pod identity); the same inputs give the same suffix.
 */
export function randomSuffix(ctx: CommandContext, seedText: string, salt = 0): string {
  let seed = (ctx.io.clock.now() ^ salt) | 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    suffix += NAME_ALPHABET[(seed >>> 16) % NAME_ALPHABET.length];
  }
  return suffix;
}

export interface NodeDebugOptions {
  container: string;
  image: string;
  env: Container['env'];
  pullPolicy: string;
  stdin: boolean;
  tty: boolean;
  command: string[];
  argsOnly: boolean;
  profile: string;
  quiet: boolean;
}

const hostRoot = (pod: Pod, cname: string) => {
  pod.spec!.volumes = [...(pod.spec!.volumes ?? []), { name: 'host-root', hostPath: { path: '/' } }];
  const c = pod.spec!.containers.find((x) => x.name === cname)!;
  c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: '/host', name: 'host-root' }];
};
const hostNamespaces = (pod: Pod) => Object.assign(pod.spec!, { hostNetwork: true, hostPID: true, hostIPC: true });
const setSecurity = (pod: Pod, cname: string, sc: SecurityContext | undefined) => {
  const c = pod.spec!.containers.find((x) => x.name === cname)!;
  if (sc) c.securityContext = sc;
  else delete c.securityContext;
};

/**
 * kubectl 1.32's generateNodeDebugPod plus the profile's node rules: legacy and general mount the host's `/`
 * at /host (volume host-root) and use the host's network, PID and IPC namespaces (general also clears the
 * container's securityContext); baseline only clears it; restricted runs as non-root with ALL capabilities
 * dropped, no privilege escalation and the RuntimeDefault seccomp profile; netadmin adds NET_ADMIN and NET_RAW
 * and uses the host namespaces; sysadmin is privileged, with the host namespaces and /host.
 */
export function nodeDebugPod(node: string, podName: string, o: NodeDebugOptions): Pod {
  const c: Container = {
    name: o.container,
    image: o.image,
    ...(o.env?.length ? { env: o.env } : {}),
    ...(o.pullPolicy ? { imagePullPolicy: o.pullPolicy } : {}),
    ...(o.stdin ? { stdin: true } : {}),
    terminationMessagePolicy: 'File',
    ...(o.tty ? { tty: true } : {}),
    ...(o.command.length ? (o.argsOnly ? { args: o.command } : { command: o.command }) : {}),
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName },
    spec: { containers: [c], nodeName: node, restartPolicy: 'Never', tolerations: [{ operator: 'Exists' }] },
  };
  const cn = o.container;
  switch (o.profile) {
    case 'legacy':
      hostRoot(pod, cn);
      hostNamespaces(pod);
      break;
    case 'general':
      hostRoot(pod, cn);
      setSecurity(pod, cn, undefined);
      hostNamespaces(pod);
      break;
    case 'baseline':
      setSecurity(pod, cn, undefined);
      break;
    case 'restricted':
      setSecurity(pod, cn, { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } });
      break;
    case 'netadmin':
      setSecurity(pod, cn, { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } });
      hostNamespaces(pod);
      break;
    case 'sysadmin':
      setSecurity(pod, cn, { privileged: true });
      hostNamespaces(pod);
      hostRoot(pod, cn);
      break;
  }
  return pod;
}

/**
 * kubectl debug node/NAME: GETs the node (its NotFound as kubectl prints it), prints "Creating debugging pod
 * node-debugger-<node>-<xxxxx> with container <c> on node <node>." unless -q, creates the pod in the current
 * namespace and resolves with its name and container (the caller attaches with -i).
 */
export async function debugNode(ctx: CommandContext, nodeName: string, o: NodeDebugOptions): Promise<{ podName: string; container: string }> {
  const node = await ctx.io.client.call<Node>({ method: 'GET', path: resourcePath(Nodes, undefined, nodeName) });
  const name = node.metadata?.name ?? nodeName;
  const podName = `node-debugger-${name}-${randomSuffix(ctx, `${node.metadata?.uid ?? name}/${node.metadata?.resourceVersion ?? ''}`)}`;
  if (!o.quiet) ctx.out(`Creating debugging pod ${podName} with container ${o.container} on node ${name}.\n`);
  const pod = nodeDebugPod(name, podName, o);
  await ctx.io.client.call({ method: 'POST', path: resourcePath(Pods, ctx.namespace), body: pod });
  return { podName, container: o.container };
}
