/**
 * src/node/protobuf: Node-only decoding of the Kubernetes protobuf wire format (application/vnd.kubernetes.protobuf)
 * that real kubectl 1.32 sends from its typed clients; src/node/protobuf-body.ts unwraps the "k8s\0" +
 * runtime.Unknown envelope and picks the schema by apiVersion/kind.
 * - wire.ts: Reader (varints, length-delimited fields) and decodeMessage(bytes, schema) → the JSON kube's JSON
 *   serializer would write (omitempty zero scalars dropped, pointers kept, empty structs {}, IntOrString,
 *   Quantity, Time, maps, base64 bytes, inline structs, null for non-omitempty slices).
 * - meta.ts: meta/v1 ObjectMeta, LabelSelector, DeleteOptions, ObjectReference.
 * - pod-spec.ts: core/v1 PodTemplateSpec, PodSpec, Container and what they hold (common fields).
 * - kinds.ts: WORKLOAD_KINDS (Deployment, Job, CronJob, Pod, Service, ResourceQuota, Binding, Role(Binding),
 *   ClusterRole(Binding), Ingress, PodDisruptionBudget, Eviction, autoscaling/v1 HPA, PriorityClass) and
 *   DELETE_OPTIONS; more-kinds.ts: StatefulSet, DaemonSet, PersistentVolumeClaim, autoscaling/v2 HPA. Field numbers are k8s.io/api's generated.proto; unknown fields are skipped.
 */
export { decodeMessage, Reader, type FieldType, type Schema } from './wire';
export { WORKLOAD_KINDS, DELETE_OPTIONS } from './kinds';
