/**
 * src/kubectl: kubectl 1.32 in TypeScript (core: no DOM, no Node), byte-identical for what it covers —
 * get (tables, -o yaml|json|name|wide|jsonpath|jsonpath-as-json|custom-columns|go-template, --sort-by, -L,
 * -w/--watch-only, get all, several types), apply, create (-f and generators: deployment, service, configmap,
 * secret generic, namespace, serviceaccount, job, cronjob, ingress, role(binding), clusterrole(binding)), run,
 * expose, label, annotate, patch, scale, autoscale, set image|env|resources|selector|serviceaccount|subject, edit (io.edit), cp (over exec of
 * the container's tar; local side through io.readFileBytes/listDir/writeFile/mkdir),
 * rollout (Deployments; StatefulSets/DaemonSets via ControllerRevisions), events, kustomize and -k (kustomize/), wait, delete,
 * logs, exec, cordon, uncordon, drain (eviction, or delete when the server has no pods/eviction), taint, auth
 * can-i|whoami, config (view, contexts, use-context, set-context via io.setNamespace), describe (workloads, pods,
 * nodes, services, endpoints(lices), config, RBAC, ingress(classes), network policy, storage, HPA, PDB, quota, limits,
 * priority classes), version, api-resources — over an ApiClient. Where kubectl prints through a typed client
 * (create's generators, set image) -o json keeps Go struct order (printers/typed-order.ts). Server warnings (Warning headers) print as
 * `Warning: text` on stderr, once each per command line; --validate maps to fieldValidation.
 * - runKubectl(argv, io): runs one command line (argv without "kubectl"), resolves with the exit code.
 * -f takes a file, a folder (io.listDir; -R for sub-folders), `-` (io.stdin) or an http(s) URL (io.fetchUrl).
 * - splitCommandLine(line): shell-like word splitting for the terminal.
 * - parseManifests(text, source): manifest parsing with line/column errors (the editor marks them).
 * - toGoYaml / toGoJson: kubectl's -o yaml / -o json serializations.
 * - complete(line, cursor, client): Tab completion candidates (commands, flags, types, live names).
 * - `completion bash|zsh|fish|powershell` prints scripts that call the hidden `__complete`/`__completeNoDesc`
 *   (cobra's protocol, commands/completion-complete.ts; each command's flags and their usages as kubectl 1.32 has
 *   them in cli/flag-usages.json, captured by cli/capture-flag-usages.py); `options` prints the global flags; `proxy` serves the
 *   API through io.apiProxy (Node) and explains itself in the tab.
 */
export { runKubectl } from './run-kubectl';
export type { KubectlIO } from './kubectl-io';
export { splitCommandLine } from './cli/split-command-line';
export { parseManifests, validateManifest, type Manifest, type ManifestError, type ParseResult } from './manifests/parse-manifests';
export { toGoYaml } from './printers/go-yaml';
export { toGoJson } from './printers/go-json';
export { complete, commonPrefix, type Completion } from './completion';
