/**
 * src/kubectl/apply: what kubectl apply and kubectl diff share.
 * - apply-targets: -f sources mapped to resources (namespaces filled in), --dry-run modes.
 * - three-way-strategic: the client-side apply patch for built-in kinds (strategic merge patch, with
 *   $setElementOrder, $deleteFromPrimitiveList, $retainKeys); three-way-patch: the JSON merge patch for
 *   custom resources, and Go's compact JSON for last-applied-configuration.
 * - server-side-apply: --server-side (apply PATCH, conflict help text); csa-upgrade: the hand-over from
 *   client-side apply kubectl performs afterwards (kubectl-last-applied, managedFields migration).
 * - prune: --prune with -l/--all and the default --prune-allowlist.
 * - unified-diff: `diff -u -N` output for kubectl diff.
 */
export { loadApplyTargets, dryRunMode, type ApplyTarget } from './apply-targets';
export { threeWayStrategicPatch } from './three-way-strategic';
export { serverSideApply, CONFLICT_HELP } from './server-side-apply';
export { unifiedDiff } from './unified-diff';
