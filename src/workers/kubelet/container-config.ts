import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import type { ContainerConfig, PodSandboxConfig } from '../runtime/cri';
import { containerEnv, expand, type ServiceReader } from './container-env';
import type { ObjectReader } from './pod-object-cache';
import { podLogDir } from './container-logs';
import { quantityBytes } from './quantity-bytes';
import { milliValue } from '../../api/quantity';

/** The kubelet's CFS period (cpu.cfs_period_us) for containers with a CPU limit. */
export const CPU_PERIOD_US = 100_000;

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
    // Host-network pods keep the node's UTS hostname (the runtime's own, which here is the node name).
    hostname: pod.spec?.hostNetwork === true ? (pod.spec.nodeName ?? '') : (pod.spec?.hostname ?? m.name ?? ''),
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

export async function containerConfig(client: ApiClient, pod: Pod, c: Container, attempt: number, hostIP: string, podIP: string | undefined, objects?: ObjectReader, services?: ServiceReader): Promise<ContainerConfig> {
  const uid = pod.metadata?.uid ?? '';
  const envs = await containerEnv(client, pod, c, hostIP, podIP, undefined, objects, services);
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
  if (c.stdin && c.stdinOnce) config.stdinOnce = true;
  if (c.tty) config.tty = true;
  const memory = c.resources?.limits?.memory;
  const limit = memory !== undefined ? quantityBytes(String(memory)) : undefined;
  if (limit) config.linux = { resources: { memoryLimitInBytes: limit } };
  // milliCPUToQuota: quota = milliCPU × period / 1000 µs, at least 1000 µs (the kernel's minimum).
  const cpu = c.resources?.limits?.cpu;
  const milli = cpu !== undefined ? milliValue(String(cpu)) : 0;
  if (milli > 0) {
    const resources = (config.linux ??= {}).resources ??= {};
    Object.assign(resources, { cpuPeriod: CPU_PERIOD_US, cpuQuota: Math.max(1000, Math.floor((milli * CPU_PERIOD_US) / 1000)) });
  }
  return config;
}
