import type { ContainerConfig, PodSandboxConfig } from './cri';
import type { OciImageConfig } from './image-source';

/**
 * argv as Kubernetes builds it from the image and the container: `command` replaces the image Entrypoint and
 * drops its Cmd; `args` replaces Cmd. Empty when neither side names a program.
 */
export function containerArgv(image: OciImageConfig, config: Pick<ContainerConfig, 'command' | 'args'>): string[] {
  const entrypoint = config.command?.length ? config.command : (image.config?.Entrypoint ?? []);
  const cmd = config.args?.length ? config.args : config.command?.length ? [] : (image.config?.Cmd ?? []);
  return [...entrypoint, ...cmd];
}

/**
 * The process environment as containerd and runc build it: the image Env, then HOSTNAME, then the container's
 * envs (a name already present is replaced in place), then HOME=/root unless set.
 */
export function containerEnv(image: OciImageConfig, config: Pick<ContainerConfig, 'envs'>, sandbox: PodSandboxConfig): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  const set = (k: string, v: string) => {
    if (!values.has(k)) order.push(k);
    values.set(k, v);
  };
  for (const kv of image.config?.Env ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  set('HOSTNAME', sandbox.hostname || sandbox.metadata.name);
  for (const { key, value } of config.envs ?? []) set(key, value);
  if (!values.has('HOME')) set('HOME', '/root');
  return order.map((k) => `${k}=${values.get(k)}`);
}

/** A program found for execve (its path and bytes), or runc's error text (container-layer.ts findLiveProgram). */
export type ProgramLookup = { path: string; data: Uint8Array } | { error: string };
