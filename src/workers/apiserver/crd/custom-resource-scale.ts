import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import { customResourceInfo } from './custom-resource-strategy';

/**
 * Where the scale subresource reads and writes: built-ins use spec.replicas, status.replicas and
 * spec.selector (a LabelSelector); a custom resource uses its CRD's specReplicasPath,
 * statusReplicasPath and labelSelectorPath (a selector string; none when the path is unset).
 */
export interface ScalePaths {
  specReplicas: string[];
  statusReplicas: string[];
  selector?: string[];
}

const split = (p: string) => p.replace(/^\./, '').split('.');

export function scalePaths(s: ResourceStrategy): ScalePaths {
  const scale = customResourceInfo(s)?.version.subresources?.scale;
  if (!scale) return { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], selector: ['spec', 'selector'] };
  return {
    specReplicas: split(scale.specReplicasPath ?? '.spec.replicas'),
    statusReplicas: split(scale.statusReplicasPath ?? '.status.replicas'),
    selector: scale.labelSelectorPath ? split(scale.labelSelectorPath) : undefined,
  };
}

export function getPath(obj: KubeObject, path: string[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Sets obj[path] = value, creating objects on the way (replacing non-objects). */
export function setPath(obj: KubeObject, path: string[], value: unknown): void {
  let o = obj as Record<string, unknown>;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    o = (o[k] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {}) as Record<string, unknown>;
  }
  o[path[path.length - 1]] = value;
}
