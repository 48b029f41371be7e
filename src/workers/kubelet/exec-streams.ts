import type { Pod } from 'kubernetes-types/core/v1';
import type { AttachOptions, ExecOptions, ExecStreamChunk, KubeletApi } from '../../api/protocol';
import type { AttachService, ContainerStatus, ExecService, PodSandbox, RuntimeService } from '../runtime/cri';

export interface ExecDeps {
  findPod(namespace: string, name: string): Pod | undefined;
  runtime: RuntimeService & Partial<ExecService> & Partial<AttachService>;
}

type ExecApi = Required<Pick<KubeletApi, 'execOpen' | 'attachOpen' | 'execRead' | 'execWrite' | 'execCloseStdin' | 'execResize' | 'execCancel'>>;

/**
 * The kubelet's pods/exec streams over the runtime's ExecService: picks the pod's running container of that
 * name (in a ready sandbox), starts the command, and frames its output as v4.channel.k8s.io chunks (UTF-8
 * decoded per stream, with the raw bytes alongside, the exit as a channel-3 Status); execWrite takes text or bytes. Stream ids are the runtime's session ids.
 * attachOpen (pods/attach) opens a CRI Attach session on the container's main process, read and written with
 * the same exec* calls; it ends with a channel-3 Success Status when the container exits or on cancel.
 *
 * Errors (rejections carry the kubelet's text, which kube-apiserver relays): 'pod does not exist' (server.go
 * getExec/getAttach, there a 404) for a pod this kubelet does not have,
 * 'container not found ("c")' (exec) or 'container c not found in pod p_ns' (attach, kubelet_pods.go GetAttach)
 * when no such container is running, and the runtime's message otherwise.
 */
export function execStreams(d: ExecDeps): ExecApi {
  const decoders = new Map<string, { 1: TextDecoder; 2: TextDecoder; command?: string[] }>();
  const rt = () => {
    const r = d.runtime;
    if (!r.exec || !r.execRead || !r.execWrite || !r.execCloseStdin || !r.execResize || !r.execCancel) throw new Error('the container runtime does not support exec');
    return r as RuntimeService & ExecService;
  };

  /** notFound: GetExec's and GetAttach's texts differ (`container not found ("c")` / `container c not found in pod p_ns`). */
  async function runningContainer(namespace: string, name: string, container: string, notFound = `container not found ("${container}")`): Promise<ContainerStatus> {
    const pod = d.findPod(namespace, name);
    if (!pod) throw new Error('pod does not exist');
    const uid = pod.metadata?.uid ?? '';
    const ready = new Set((await d.runtime.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': uid } })).filter((s: PodSandbox) => s.metadata.uid === uid && s.state === 'SANDBOX_READY').map((s) => s.id));
    const found = (await d.runtime.listContainers({ state: 'CONTAINER_RUNNING' })).find((c) => ready.has(c.podSandboxId) && c.metadata.name === container);
    if (!found) throw new Error(notFound);
    return found;
  }

  return {
    async execOpen(namespace: string, pod: string, container: string, opts: ExecOptions) {
      const c = await runningContainer(namespace, pod, container);
      const id = await rt().exec({ containerId: c.id, cmd: opts.command, stdin: !!opts.stdin, tty: !!opts.tty });
      decoders.set(id, { 1: new TextDecoder(), 2: new TextDecoder(), command: opts.command });
      return id;
    },
    async attachOpen(namespace: string, pod: string, container: string, opts: AttachOptions) {
      const c = await runningContainer(namespace, pod, container, `container ${container} not found in pod ${pod}_${namespace}`);
      if (!d.runtime.attach) throw new Error('the container runtime does not support attach');
      const id = await d.runtime.attach({ containerId: c.id, stdin: !!opts.stdin, tty: !!opts.tty });
      decoders.set(id, { 1: new TextDecoder(), 2: new TextDecoder() });
      return id;
    },
    execRead: async function read(id: string): Promise<ExecStreamChunk[] | null> {
      const batch = await rt().execRead(id);
      const dec = decoders.get(id);
      if (!batch || !dec) {
        decoders.delete(id);
        return null;
      }
      const out: ExecStreamChunk[] = [];
      for (const ch of batch) {
        if ('exitCode' in ch) {
          decoders.delete(id);
          for (const n of [1, 2] as const) {
            const rest = dec[n].decode();
            if (rest) out.push({ channel: n, data: rest, bytes: new Uint8Array(0) });
          }
          out.push({ channel: 3, status: dec.command ? exitStatus(dec.command, ch.exitCode) : { metadata: {}, status: 'Success' } });
        } else {
          const channel = ch.stream === 'stdout' ? 1 : 2;
          const data = dec[channel].decode(ch.data, { stream: true });
          if (ch.data.length) out.push({ channel, data, bytes: ch.data.slice() });
        }
      }
      return out.length ? out : read(id);
    },
    execWrite: (id: string, data: string | Uint8Array) => rt().execWrite(id, typeof data === 'string' ? new TextEncoder().encode(data) : data),
    execCloseStdin: (id: string) => rt().execCloseStdin(id),
    execResize: (id: string, size: { width: number; height: number }) => rt().execResize(id, size),
    async execCancel(id: string) {
      decoders.delete(id);
      await rt().execCancel(id);
    },
  };
}

/** The channel-3 Status the kubelet's remotecommand server sends when the process ends (the message wraps containerd's CodeExitError text). */
export function exitStatus(command: string[], exitCode: number): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
