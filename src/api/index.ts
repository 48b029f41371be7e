/**
 * src/api: Kubernetes types and pure helpers shared by every layer.
 * - protocol: the request/response/stream contract between API clients and the apiserver.
 * - status: metav1.Status builders and ApiError.
 * - clock, ids: injected time and randomness (core never touches Date.now, setTimeout or Math.random).
 * - disposable: cleanup as a value.
 * - duration: kube's HumanDuration/ShortHumanDuration (AGE columns).
 * - stats-summary: the kubelet stats summary (KubeletApi.statsSummary) behind metrics.k8s.io.
 * - label-selector, field-selector, label-validation: kube's selector grammar and name/label checks.
 * - go-json-error: Go encoding/json's syntax-error texts (quoted by kube-apiserver 400s).
 * Object types come from kubernetes-types.
 */
export * from './protocol';
export * from './status';
export * from './clock';
export * from './ids';
export * from './disposable';
export * from './resources';
export * from './duration';
export * from './label-selector';
export * from './field-selector';
export * from './label-validation';
export * from './stats-summary';
