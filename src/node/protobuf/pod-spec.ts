// Node-only: core/v1 PodTemplateSpec and what it contains (field numbers from core/v1 generated.proto).
// Covers the fields kubectl's generators and common manifests set; unknown fields are skipped.
import { labelSelector, objectMeta } from './meta';
import type { Schema } from './wire';

const localRef: Schema = { 1: ['name', 'string'] };
const keySelector: Schema = { 1: ['', localRef, 'inline'], 2: ['key', 'string'], 3: ['optional', 'bool*'] };
const envVarSource: Schema = {
  1: ['fieldRef', { 1: ['apiVersion', 'string'], 2: ['fieldPath', 'string'] }],
  2: ['resourceFieldRef', { 1: ['containerName', 'string'], 2: ['resource', 'string'], 3: ['divisor', 'quantity'] }],
  3: ['configMapKeyRef', keySelector],
  4: ['secretKeyRef', keySelector],
};
const envFromRef: Schema = { 1: ['', localRef, 'inline'], 2: ['optional', 'bool*'] };
const execAction: Schema = { 1: ['command', 'string', true] };
const httpGet: Schema = { 1: ['path', 'string'], 2: ['port', 'intstr'], 3: ['host', 'string'], 4: ['scheme', 'string'], 5: ['httpHeaders', { 1: ['name', 'string'], 2: ['value', 'string'] }, true] };
const tcpSocket: Schema = { 1: ['port', 'intstr'], 2: ['host', 'string'] };
const probeHandler: Schema = { 1: ['exec', execAction], 2: ['httpGet', httpGet], 3: ['tcpSocket', tcpSocket], 4: ['grpc', { 1: ['port', 'int*'], 2: ['service', 'string'] }] };
const probe: Schema = {
  1: ['', probeHandler, 'inline'],
  2: ['initialDelaySeconds', 'int'],
  3: ['timeoutSeconds', 'int'],
  4: ['periodSeconds', 'int'],
  5: ['successThreshold', 'int'],
  6: ['failureThreshold', 'int'],
  7: ['terminationGracePeriodSeconds', 'int*'],
};
const lifecycleHandler: Schema = { 1: ['exec', execAction], 2: ['httpGet', httpGet], 3: ['tcpSocket', tcpSocket], 4: ['sleep', { 1: ['seconds', 'int*'] }] };
const seccomp: Schema = { 1: ['type', 'string'], 2: ['localhostProfile', 'string'] };
const securityContext: Schema = {
  1: ['capabilities', { 1: ['add', 'string', true], 2: ['drop', 'string', true] }],
  2: ['privileged', 'bool*'],
  4: ['runAsUser', 'int*'],
  5: ['runAsNonRoot', 'bool*'],
  6: ['readOnlyRootFilesystem', 'bool*'],
  7: ['allowPrivilegeEscalation', 'bool*'],
  8: ['runAsGroup', 'int*'],
  9: ['procMount', 'string'],
  11: ['seccompProfile', seccomp],
};
export const resourceRequirements: Schema = { 1: ['limits', 'quantityMap'], 2: ['requests', 'quantityMap'], 3: ['claims', { 1: ['name', 'string'], 2: ['request', 'string'] }, true] };

export const container: Schema = {
  1: ['name', 'string'],
  2: ['image', 'string'],
  3: ['command', 'string', true],
  4: ['args', 'string', true],
  5: ['workingDir', 'string'],
  6: ['ports', { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int*'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] }, true],
  7: ['env', { 1: ['name', 'string'], 2: ['value', 'string'], 3: ['valueFrom', envVarSource] }, true],
  8: ['resources', resourceRequirements],
  9: ['volumeMounts', { 1: ['name', 'string'], 2: ['readOnly', 'bool'], 3: ['mountPath', 'string'], 4: ['subPath', 'string'], 5: ['mountPropagation', 'string'], 6: ['subPathExpr', 'string'], 7: ['recursiveReadOnly', 'string'] }, true],
  10: ['livenessProbe', probe],
  11: ['readinessProbe', probe],
  12: ['lifecycle', { 1: ['postStart', lifecycleHandler], 2: ['preStop', lifecycleHandler] }],
  13: ['terminationMessagePath', 'string'],
  14: ['imagePullPolicy', 'string'],
  15: ['securityContext', securityContext],
  16: ['stdin', 'bool'],
  17: ['stdinOnce', 'bool'],
  18: ['tty', 'bool'],
  19: ['envFrom', { 1: ['prefix', 'string'], 2: ['configMapRef', envFromRef], 3: ['secretRef', envFromRef] }, true],
  20: ['terminationMessagePolicy', 'string'],
  22: ['startupProbe', probe],
  23: ['resizePolicy', { 1: ['resourceName', 'string'], 2: ['restartPolicy', 'string'] }, true],
  24: ['restartPolicy', 'string'],
};

const keyToPath: Schema = { 1: ['key', 'string'], 2: ['path', 'string'], 3: ['mode', 'int*'] };
const volumeSource: Schema = {
  1: ['hostPath', { 1: ['path', 'string'], 2: ['type', 'string'] }],
  2: ['emptyDir', { 1: ['medium', 'string'], 2: ['sizeLimit', 'quantity'] }],
  6: ['secret', { 1: ['secretName', 'string'], 2: ['items', keyToPath, true], 3: ['defaultMode', 'int*'], 4: ['optional', 'bool*'] }],
  10: ['persistentVolumeClaim', { 1: ['claimName', 'string'], 2: ['readOnly', 'bool'] }],
  19: ['configMap', { 1: ['', localRef, 'inline'], 2: ['items', keyToPath, true], 3: ['defaultMode', 'int*'], 4: ['optional', 'bool*'] }],
};

const nodeSelectorRequirement: Schema = { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', true] };
const nodeSelectorTerm: Schema = { 1: ['matchExpressions', nodeSelectorRequirement, true], 2: ['matchFields', nodeSelectorRequirement, true] };
const podAffinityTerm: Schema = { 1: ['labelSelector', labelSelector], 2: ['namespaces', 'string', true], 3: ['topologyKey', 'string'], 4: ['namespaceSelector', labelSelector], 5: ['matchLabelKeys', 'string', true], 6: ['mismatchLabelKeys', 'string', true] };
const podAffinity: Schema = { 1: ['requiredDuringSchedulingIgnoredDuringExecution', podAffinityTerm, true], 2: ['preferredDuringSchedulingIgnoredDuringExecution', { 1: ['weight', 'int*'], 2: ['podAffinityTerm', podAffinityTerm] }, true] };
const affinity: Schema = {
  1: ['nodeAffinity', { 1: ['requiredDuringSchedulingIgnoredDuringExecution', { 1: ['nodeSelectorTerms', nodeSelectorTerm, 'always'] }], 2: ['preferredDuringSchedulingIgnoredDuringExecution', { 1: ['weight', 'int*'], 2: ['preference', nodeSelectorTerm] }, true] }],
  2: ['podAffinity', podAffinity],
  3: ['podAntiAffinity', podAffinity],
};

export const podSpec: Schema = {
  1: ['volumes', { 1: ['name', 'string'], 2: ['', volumeSource, 'inline'] }, true],
  2: ['containers', container, 'always'],
  3: ['restartPolicy', 'string'],
  4: ['terminationGracePeriodSeconds', 'int*'],
  5: ['activeDeadlineSeconds', 'int*'],
  6: ['dnsPolicy', 'string'],
  7: ['nodeSelector', 'map'],
  8: ['serviceAccountName', 'string'],
  9: ['serviceAccount', 'string'],
  10: ['nodeName', 'string'],
  11: ['hostNetwork', 'bool'],
  12: ['hostPID', 'bool'],
  13: ['hostIPC', 'bool'],
  14: ['securityContext', { 2: ['runAsUser', 'int*'], 3: ['runAsNonRoot', 'bool*'], 4: ['supplementalGroups', 'int*', true], 5: ['fsGroup', 'int*'], 6: ['runAsGroup', 'int*'], 10: ['seccompProfile', seccomp] }],
  15: ['imagePullSecrets', localRef, true],
  16: ['hostname', 'string'],
  17: ['subdomain', 'string'],
  18: ['affinity', affinity],
  19: ['schedulerName', 'string'],
  20: ['initContainers', container, true],
  21: ['automountServiceAccountToken', 'bool*'],
  22: ['tolerations', { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['value', 'string'], 4: ['effect', 'string'], 5: ['tolerationSeconds', 'int*'] }, true],
  23: ['hostAliases', { 1: ['ip', 'string'], 2: ['hostnames', 'string', true] }, true],
  24: ['priorityClassName', 'string'],
  25: ['priority', 'int*'],
  27: ['shareProcessNamespace', 'bool*'],
  28: ['readinessGates', { 1: ['conditionType', 'string'] }, true],
  29: ['runtimeClassName', 'string'],
  30: ['enableServiceLinks', 'bool*'],
  31: ['preemptionPolicy', 'string'],
  32: ['overhead', 'quantityMap'],
  33: ['topologySpreadConstraints', { 1: ['maxSkew', 'int*'], 2: ['topologyKey', 'string'], 3: ['whenUnsatisfiable', 'string'], 4: ['labelSelector', labelSelector], 5: ['minDomains', 'int*'], 6: ['nodeAffinityPolicy', 'string'], 7: ['nodeTaintsPolicy', 'string'], 8: ['matchLabelKeys', 'string', true] }, true],
  35: ['setHostnameAsFQDN', 'bool*'],
  37: ['hostUsers', 'bool*'],
  38: ['schedulingGates', { 1: ['name', 'string'] }, true],
};

export const podTemplateSpec: Schema = { 1: ['metadata', objectMeta], 2: ['spec', podSpec] };
