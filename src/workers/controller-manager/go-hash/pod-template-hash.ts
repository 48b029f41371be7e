import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { fnv32, fnv32a, fnv32aBytes, safeEncodeHash } from './fnv';
import { goJson } from './go-json';
import { spewForHash } from './spew-for-hash';

const TEMPLATE = 'core.PodTemplateSpec';

/** dump.ForHash of the v1.PodTemplateSpec kube-controller-manager decodes from this template's stored JSON. */
export const podTemplateForHash = (template: PodTemplateSpec | undefined): string => spewForHash(TEMPLATE, template ?? {});

/**
 * controller.ComputeHash: FNV-32a of dump.ForHash(template), then (when collisionCount is set) its uint32 as 8
 * little-endian bytes, as rand.SafeEncodeString of the decimal sum. Not memoised: about 15 µs for a plain template
 * and 60 µs for one with many volumes (Node, loaded 2-core machine).
 */
export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const text = podTemplateForHash(template);
  let h = fnv32a(text);
  if (collisionCount !== undefined && collisionCount !== null) {
    const c = collisionCount >>> 0;
    h = fnv32aBytes([c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24, 0, 0, 0, 0], h);
  }
  return safeEncodeHash(h);
}

/**
 * The StatefulSet/DaemonSet controllers' getPatch: json.Marshal of {"spec":{"template":<typed template>}} with
 * template["$patch"] = "replace", through map[string]interface{} (so every object's keys are sorted). This is
 * ControllerRevision.data.Raw byte for byte.
 */
export function templatePatchRaw(template: PodTemplateSpec | undefined): string {
  const t = goJson(TEMPLATE, template ?? {});
  return `{"spec":{"template":{"$patch":"replace",${t.slice(1)}}}`;
}

/** history.HashControllerRevision: FNV-32 (not 1a) of data.Raw, then the probe's decimal text when set. */
export function hashControllerRevision(raw: string, probe?: number): string {
  let h = fnv32(raw);
  if (probe !== undefined && probe !== null) h = fnv32(String(probe | 0), h);
  return safeEncodeHash(h);
}
