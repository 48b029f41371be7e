/**
 * src/kubectl/kustomize: the kustomize subset kubectl 1.32 embeds (kustomize 5.5), for `kubectl kustomize DIR`
 * and `-k DIR` (apply, create, delete, diff, get, …). Files come from a KustomizeFs (KubectlIO.readFile:
 * the disk in Node, the workspace files in the tab). Covered: resources (files and sub-kustomizations),
 * bases, namespace, namePrefix/nameSuffix with name back-references, commonLabels (selectors too), labels,
 * commonAnnotations, images, replicas, configMapGenerator/secretGenerator (literals, files, envs, options,
 * behavior, kustomize's content hash), generatorOptions, patches (strategic merge and JSON 6902, target
 * selectors), patchesStrategicMerge, patchesJson6902; output in the legacy kind order.
 * - buildKustomization(dir, fs) → { objects, warnings } or KustomizeError.
 * - kustomizeHash(obj): the generated-name suffix.
 */
export { buildKustomization, readKustomization } from './build-kustomization';
export { kustomizeHash } from './kustomize-hash';
export { KustomizeError } from './kustomize-types';
export type { KustomizeFs } from './kustomize-fs';
