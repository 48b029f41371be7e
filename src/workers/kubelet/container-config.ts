import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import type { ContainerConfig, PodSandboxConfig } from '../runtime/cri';
import { containerEnv, expand } from './container-env';
import { podLogDir } from './container-logs';
import { quantityBytes } from './quantity-bytes';

/**
 * The CRI configs kubelet generates for a pod (generatePodSandboxConfig) and a container attempt
 * (generateContainerConfig): log paths <logDirectory>/<container>/<attempt>.log, the io.kubernetes.* labels,
 * and command/args $(VAR)-expanded against the container's environment. Rejects ConfigError (from
 * containerEnv) when a referenced ConfigMap/Secret is missing.
 */
export function sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
  const m = pod.metadata ?? {};
  return {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    hostname: pod.spec?.hostname ?? m.name ?? '',
    logDirectory: podLogDir(pod),
    labels: {
      ...(m.labels ?? {}),
      'io.kubernetes.pod.name': m.name ?? '',
      'io.kubernetes.pod.namespace': m.namespace ?? '',
      'io.kubernetes.pod.uid': m.uid ?? '',
    },
    annotations: { ...(m.annotations ?? {}) },
  };
}

export async function containerConfig(client: ApiClient, pod: Pod, c: Container, attempt: number, hostIP: string, podIP: string | undefined): Promise<ContainerConfig> {
  const uid = pod.metadata?.uid ?? '';
  const envs = await containerEnv(client, pod, c, hostIP, podIP);
  const vars = new Map(envs.map((e) => [e.key, e.value]));
  const config: ContainerConfig = {
    metadata: { name: c.name, attempt },
    image: { image: c.image ?? '' },
    envs,
    logPath: `${c.name}/${attempt}.log`,
    labels: {
      'io.kubernetes.container.name': c.name,
      'io.kubernetes.pod.name': pod.metadata?.name ?? '',
      'io.kubernetes.pod.namespace': pod.metadata?.namespace ?? '',
      'io.kubernetes.pod.uid': uid,
    },
    annotations: { 'io.kubernetes.container.restartCount': String(attempt) },
  };
  if (c.command?.length) config.command = c.command.map((x) => expand(x, vars));
  if (c.args?.length) config.args = c.args.map((x) => expand(x, vars));
  if (c.workingDir) config.workingDir = c.workingDir;
  if (c.stdin) config.stdin = true;
  if (c.tty) config.tty = true;
  const memory = c.resources?.limits?.memory;
  const limit = memory !== undefined ? quantityBytes(String(memory)) : undefined;
  if (limit) config.linux = { resources: { memoryLimitInBytes: limit } };
  return config;
}
