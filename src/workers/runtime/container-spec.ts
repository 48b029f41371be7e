import type { ContainerConfig, PodSandboxConfig } from './cri';
import type { OciImageConfig } from './image-source';
import type { FsNode, RootfsSnapshot } from './wasi/mem-fs';

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

/** Resolves an absolute path in the snapshot, following symlinks (at most 40). */
function lookup(root: RootfsSnapshot, path: string): FsNode | undefined {
  for (let hops = 0; hops < 40; hops++) {
    const parts = path.split('/').filter((p) => p && p !== '.');
    const stack: FsNode[] = [root];
    let restart: string | undefined;
    for (let i = 0; i < parts.length && restart === undefined; i++) {
      const dir = stack[stack.length - 1];
      if (dir.kind !== 'dir') return undefined;
      if (parts[i] === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const node: FsNode | undefined = dir.entries[parts[i]];
      if (!node) return undefined;
      if (node.kind === 'symlink') {
        const here = '/' + parts.slice(0, i).join('/');
        const rest = parts.slice(i + 1).join('/');
        restart = (node.target.startsWith('/') ? node.target : `${here}/${node.target}`) + (rest ? `/${rest}` : '');
      } else stack.push(node);
    }
    if (restart === undefined) return stack[stack.length - 1];
    path = restart;
  }
  return undefined;
}

export type ProgramLookup = { path: string; data: Uint8Array } | { error: string };

/**
 * Finds the program file like execve via runc: a name without '/' is searched in PATH, otherwise resolved
 * against workingDir. The error is runc's text ('exec: "x": executable file not found in $PATH').
 */
export function findProgram(root: RootfsSnapshot, argv0: string, env: string[], workingDir = '/'): ProgramLookup {
  if (!argv0.includes('/')) {
    const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    for (const dir of pathVar.split(':')) {
      const full = `${dir || '.'}/${argv0}`;
      const node = lookup(root, full.startsWith('/') ? full : `${workingDir}/${full}`);
      if (node?.kind === 'file') return { path: full, data: node.data };
    }
    return { error: `exec: "${argv0}": executable file not found in $PATH` };
  }
  const full = argv0.startsWith('/') ? argv0 : `${workingDir.replace(/\/$/, '')}/${argv0}`;
  const node = lookup(root, full);
  if (!node) return { error: `exec: "${argv0}": stat ${argv0}: no such file or directory` };
  if (node.kind !== 'file') return { error: `exec: "${argv0}": permission denied` };
  return { path: full, data: node.data };
}
