import type { Container, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1';
import { milliValue, quantityValue } from '../../api/quantity';
import { DEFAULT_CAPACITY } from './node-status';

/**
 * The value of a downward API resourceFieldRef (env or volume file), as the kubelet computes it
 * (ExtractContainerResourceValue after MergeContainerResourceLimits): the container's limit, or the node's
 * allocatable when the limit is unset; requests as set (0 when unset). cpu is ceil(milli / divisor milli),
 * so `limits.cpu` 250m reads `1` with the default divisor 1 and `250` with divisor 1m; memory, ephemeral
 * storage and hugepages are ceil(value / divisor). The container is `ref.containerName`, else `self`.
 */
export function resourceFieldValue(pod: Pod, self: Container | undefined, ref: ResourceFieldSelector, allocatable: Record<string, string> = DEFAULT_CAPACITY): string {
  const named = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === ref.containerName) : undefined;
  const c = named ?? self ?? pod.spec?.containers?.[0];
  const dot = ref.resource.indexOf('.');
  const kind = ref.resource.slice(0, dot) as 'limits' | 'requests';
  const res = ref.resource.slice(dot + 1);
  const set = c?.resources?.[kind]?.[res];
  const amount = set !== undefined ? String(set) : kind === 'limits' ? allocatable[res] : undefined;
  const divisor = ref.divisor !== undefined ? String(ref.divisor) : '1';
  if (res === 'cpu') return String(Math.ceil(milliValue(amount) / (milliValue(divisor) || 1)));
  return String(Math.ceil(quantityValue(amount) / (quantityValue(divisor) || 1)));
}
