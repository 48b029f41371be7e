import type { Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { PriorityClasses } from '../../../api/resources';
import { admissionForbidden, getStored, isPod, listStored, type AdmissionAttributes, type AdmissionPlugin } from './admission';

const isPriorityClass = (a: AdmissionAttributes) => a.ref.group === 'scheduling.k8s.io' && a.ref.resource === 'priorityclasses';

/** getDefaultPriority: the globalDefault class with the lowest value (ties: the first listed), if any. */
async function globalDefault(a: AdmissionAttributes): Promise<PriorityClass | undefined> {
  let best: PriorityClass | undefined;
  for (const pc of await listStored<PriorityClass>(a.ctx, PriorityClasses)) {
    if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  }
  return best;
}

async function admitPod(a: AdmissionAttributes): Promise<void> {
  const pod = a.obj as unknown as Pod;
  const spec = (pod.spec ??= { containers: [] });
  let priority = 0;
  let preemption: string = 'PreemptLowerPriority';
  if (!spec.priorityClassName) {
    const pc = await globalDefault(a);
    if (pc) {
      spec.priorityClassName = pc.metadata!.name!;
      priority = pc.value;
      preemption = pc.preemptionPolicy ?? preemption;
    }
  } else {
    const pc = await getStored<PriorityClass>(a.ctx, PriorityClasses, undefined, spec.priorityClassName);
    if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemption = pc.preemptionPolicy ?? preemption;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw admissionForbidden(a, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (spec.preemptionPolicy && spec.preemptionPolicy !== preemption) {
    throw admissionForbidden(a, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemption} from the given PriorityClass name`);
  }
  spec.preemptionPolicy = preemption;
}

/**
 * Priority (plugin/pkg/admission/priority):
 * - pod create: spec.priorityClassName resolves to spec.priority and spec.preemptionPolicy (default
 *   PreemptLowerPriority); without a name the globalDefault class applies (its name is written), else priority 0.
 *   403 `no PriorityClass with name x was found`; a spec.priority or preemptionPolicy that differs from the class's
 *   is refused with the plugin's "must not be provided in pod spec" texts. system-node-critical and
 *   system-cluster-critical are ordinary stored classes (bootstrap.ts creates them).
 * - PriorityClass create/update with globalDefault=true: 403 `PriorityClass x is already marked as default. Only
 *   one default can exist` when another class is the default.
 */
export const priority: AdmissionPlugin = {
  name: 'Priority',
  async admit(a) {
    if (isPod(a) && a.operation === 'CREATE') await admitPod(a);
  },
  async validate(a) {
    if (!isPriorityClass(a) || a.subresource) return;
    const pc = a.obj as unknown as PriorityClass;
    if (!pc.globalDefault) return;
    const other = (await listStored<PriorityClass>(a.ctx, PriorityClasses)).find((c) => c.globalDefault && c.metadata?.name !== pc.metadata?.name);
    if (other) throw admissionForbidden(a, `PriorityClass ${other.metadata?.name} is already marked as default. Only one default can exist`);
  },
};
