/**
 * src/kubectl: kubectl 1.32 in TypeScript (core: no DOM, no Node), byte-identical for what it covers —
 * get, apply, create, delete, logs, describe pod, version, api-resources — over an ApiClient.
 * - runKubectl(argv, io): runs one command line (argv without "kubectl"), resolves with the exit code.
 * - splitCommandLine(line): shell-like word splitting for the terminal.
 * - parseManifests(text, source): manifest parsing with line/column errors (the editor marks them).
 * - toGoYaml / toGoJson: kubectl's -o yaml / -o json serializations.
 */
export { runKubectl } from './run-kubectl';
export type { KubectlIO } from './kubectl-io';
export { splitCommandLine } from './cli/split-command-line';
export { parseManifests, validateManifest, type Manifest, type ManifestError, type ParseResult } from './manifests/parse-manifests';
export { toGoYaml } from './printers/go-yaml';
export { toGoJson } from './printers/go-json';
