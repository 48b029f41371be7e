/**
 * src/workers/apiserver/admission: kube-apiserver 1.32's admission chain (plugin/pkg/admission/*), run by the
 * create and update handlers (patch and scale end in update) between decoding+defaulting and the store write:
 * mutating phase, then the strategy's prepare/validate, then the validating phase.
 * - admission: AdmissionAttributes, AdmissionPlugin, admission.NewForbidden, store look-ups for plugins.
 * - admission-chain: the ordered plugin list, AdmissionRun (one write's pass), validateDelete (DELETE's validating
 *   admission: ValidatingAdmissionPolicy), admissionWarnings (Warning header texts).
 * - one file per plugin, named after it: namespace-lifecycle, limit-ranger, service-account, pod-security
 *   (+ pod-security-checks), priority, default-toleration-seconds, default-storage-class, resource-quota
 *   (+ quota-evaluator: what an object consumes, as the resourcequota-controller counts it).
 * - node-restriction: NodeRestriction (what a kubelet, system:node:<name>, may write); runs on subresources too;
 *   nodeRestrictionDelete / nodeRestrictionEviction are its DELETE and pods/eviction checks, called by those handlers.
 * - quantities: exact quantity arithmetic and Quantity.String() printing for the messages.
 */
export { ADMISSION_PLUGINS, AdmissionRun, admissionWarnings, validateDelete, withAdmissionWarnings } from './admission-chain';
export type { AdmissionAttributes, AdmissionPlugin } from './admission';
export { defaultStorageClass } from './default-storage-class';
export { nodeRestrictionDelete, nodeRestrictionEviction } from './node-restriction';
export { evaluatePod, type Level } from './pod-security-checks';
