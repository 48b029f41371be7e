/**
 * src/api: Kubernetes types and pure helpers shared by every layer.
 * - protocol: the request/response/stream contract between API clients and the apiserver.
 * - status: metav1.Status builders and ApiError.
 * - clock, ids: injected time and randomness (core never touches Date.now, setTimeout or Math.random).
 * - disposable: cleanup as a value.
 * Object types come from kubernetes-types.
 */
export * from './protocol';
export * from './status';
export * from './clock';
export * from './ids';
export * from './disposable';
export * from './resources';
