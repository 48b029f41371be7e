/**
 * src/workers/apiserver/crd: CustomResourceDefinitions (apiextensions.k8s.io/v1) and the custom
 * resources they define, served by the same handlers as built-ins.
 * - crd-strategy, crd-validation, crd-types: the CRD resource (defaults, kube's validation messages,
 *   NamesAccepted/Established and acceptedNames set synchronously on write).
 * - crd-registry: the per-apiserver StrategyTable (built-ins + one strategy per served version of each
 *   established CRD), rebuilt from the store at boot, after CRD writes and on store events.
 * - custom-resource-strategy: pruning, defaulting and OpenAPI v3 schema validation (json-schema),
 *   status/scale subresources (custom-resource-scale), additionalPrinterColumns, selectableFields.
 * - crd-cleanup: DELETE of a CRD (customresourcecleanup finalizer, Terminating) and the removal of its
 *   custom resources before the CRD goes.
 * - crd-openapi: the custom kinds' schemas for /openapi/v3 and /openapi/v2.
 * - cel-env, cel-validator, cel-rules: x-kubernetes-validations (CEL via @marcbachmann/cel-js):
 *   the environment and Kubernetes' extras, the per-write evaluation (transition rules, ratcheting,
 *   fieldPath/reason/messageExpression) and the CRD-time checks and compilation of the rules.
 * - admission-policy: the ValidatingAdmissionPolicy admission plugin (kube's dispatcher: bindings × params,
 *   Deny/Warn/Audit, configuration errors; CREATE/UPDATE/DELETE, subresources; the object converted to the
 *   matched version); connect-admission: CONNECT of pods/exec|attach|portforward with the options object;
 *   policy-match: resourceRules (resource/subresource patterns, matchPolicy Equivalent over resources sharing
 *   storage: CRD versions, core/events.k8s.io Events, autoscaling v1/v2 HPAs) and selectors; policy-audit: auditAnnotations (evaluation, the per-policy
 *   collector, create-time validation) and the validation_failure annotation; policy-index: policies and
 *   bindings from the store's watch, compiled once;
 *   policy-request: CollectParams, the `request` and `namespaceObject` variables; policy-authorizer: the CEL
 *   authz library behind the `authorizer` variable (Node,RBAC as the requesting user).
 */
export { crdStrategy } from './crd-strategy';
export { CrdRegistry } from './crd-registry';
export { customResourceInfo, customResourceStrategy, type CustomResourceInfo } from './custom-resource-strategy';
export { cleanupCustomResources, deleteCrdCollectionHandler, deleteCrdHandler } from './crd-cleanup';
export { CustomResourceDefinitions, type Crd } from './crd-types';
export { compileExpression, toCel, type CompiledExpression } from './cel-env';
