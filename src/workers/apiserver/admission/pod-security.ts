import type { Namespace, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { Namespaces, Pods } from '../../../api/resources';
import { forbiddenError } from '../errors';
import type { KubeObject } from '../registry/strategy';
import { getStored, listStored, type AdmissionAttributes, type AdmissionPlugin } from './admission';
import { evaluatePod, forbiddenDetail, type Level } from './pod-security-checks';

const LABEL = 'pod-security.kubernetes.io/';
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];

interface Policy {
  level: Level;
  /** "restricted:latest" (api.LevelVersion.String()). */
  text: string;
}

/** The namespace's policy for a mode (enforce|warn|audit); privileged when unlabelled or the label is not a level. */
function policyOf(ns: Namespace | undefined, mode: 'enforce' | 'warn' | 'audit'): Policy {
  const labels = ns?.metadata?.labels ?? {};
  const level = labels[`${LABEL}${mode}`] as Level | undefined;
  if (!level || !LEVELS.includes(level)) return { level: 'privileged', text: 'privileged:latest' };
  return { level, text: `${level}:${labels[`${LABEL}${mode}-version`] || 'latest'}` };
}

/** The pod spec a write carries: pods, and the pod templates of the workload kinds. */
function podSpecOf(a: AdmissionAttributes, obj: KubeObject | undefined): PodSpec | undefined {
  if (!obj) return undefined;
  const { group, resource } = a.ref;
  const spec = obj.spec as Record<string, any> | undefined;
  if (group === '' && resource === 'pods') return spec as PodSpec;
  if (group === '' && resource === 'podtemplates') return (obj.template as { spec?: PodSpec } | undefined)?.spec;
  if (group === 'batch' && resource === 'cronjobs') return spec?.jobTemplate?.spec?.template?.spec;
  const templated = (group === '' && resource === 'replicationcontrollers') || (group === 'apps' && ['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(resource)) || (group === 'batch' && resource === 'jobs');
  return templated ? spec?.template?.spec : undefined;
}

/**
 * A namespace update that changes the enforce policy warns about the pods already there that violate it:
 * `existing pods in namespace "x" violate the new PodSecurity enforce level "restricted:latest"`, then one
 * warning per distinct reason list: `p: reason, reason` or `p (and 2 other pods): reason, ...` (p: the first name).
 */
async function checkExistingPods(a: AdmissionAttributes): Promise<void> {
  const ns = a.obj as unknown as Namespace;
  const enforce = policyOf(ns, 'enforce');
  if (enforce.level === 'privileged' || enforce.text === policyOf(a.old as unknown as Namespace, 'enforce').text) return;
  const byReasons = new Map<string, { first: string; count: number }>();
  for (const pod of await listStored<Pod>(a.ctx, Pods, ns.metadata?.name)) {
    const failed = evaluatePod(enforce.level, pod.spec ?? ({} as PodSpec));
    if (!failed.length) continue;
    const reasons = failed.map((f) => f.reason).join(', ');
    const seen = byReasons.get(reasons);
    const name = pod.metadata?.name ?? '';
    if (!seen) byReasons.set(reasons, { first: name, count: 1 });
    else byReasons.set(reasons, { first: name < seen.first ? name : seen.first, count: seen.count + 1 });
  }
  if (!byReasons.size) return;
  a.warnings.push(`existing pods in namespace ${JSON.stringify(ns.metadata?.name)} violate the new PodSecurity enforce level ${JSON.stringify(enforce.text)}`);
  for (const [reasons, { first, count }] of byReasons) a.warnings.push(count === 1 ? `${first}: ${reasons}` : `${first} (and ${count - 1} other pods): ${reasons}`);
}

/**
 * PodSecurity (staging/src/k8s.io/pod-security-admission), from the namespace labels
 * pod-security.kubernetes.io/{enforce,warn,audit}[-version] (levels privileged, baseline, restricted):
 * - pods (create, and updates that change spec): enforce refuses with 403
 *   `pods "x" is forbidden: violates PodSecurity "restricted:latest": reason (detail), ...`; warn adds the
 *   Warning `would violate PodSecurity "restricted:latest": ...` (unless enforce already refused at that level);
 * - workload kinds with a pod template: enforce and warn levels only warn (`would violate PodSecurity ...`);
 * - namespaces: see checkExistingPods;
 * - audit is accepted and ignored (no audit log here); subresources are not checked.
 */
export const podSecurity: AdmissionPlugin = {
  name: 'PodSecurity',
  async validate(a) {
    if (a.ref.group === '' && a.ref.resource === 'namespaces' && a.operation === 'UPDATE' && !a.subresource) return checkExistingPods(a);
    if (a.subresource || !a.namespace) return;
    const spec = podSpecOf(a, a.obj);
    if (!spec) return;
    if (a.operation === 'UPDATE' && JSON.stringify(spec) === JSON.stringify(podSpecOf(a, a.old))) return;
    const ns = await getStored<Namespace>(a.ctx, Namespaces, undefined, a.namespace);
    const enforce = policyOf(ns, 'enforce');
    const warn = policyOf(ns, 'warn');
    const isPod = a.ref.group === '' && a.ref.resource === 'pods';
    const enforced = evaluatePod(enforce.level, spec);
    if (enforced.length) {
      const detail = forbiddenDetail(enforced);
      if (isPod) throw forbiddenError(a.ref, a.name, `violates PodSecurity ${JSON.stringify(enforce.text)}: ${detail}`);
      a.warnings.push(`would violate PodSecurity ${JSON.stringify(enforce.text)}: ${detail}`);
    }
    if (warn.text === enforce.text && enforced.length) return;
    const warned = evaluatePod(warn.level, spec);
    if (warned.length) a.warnings.push(`would violate PodSecurity ${JSON.stringify(warn.text)}: ${forbiddenDetail(warned)}`);
  },
};
